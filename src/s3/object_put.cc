// PutObject: stream the body into its place, verifying every digest the client sent, then
// commit the record. Commit order (DESIGN.md): data durable first, then one synced metadata
// batch, then the answer.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "common/checksum.h"
#include "common/crypto.h"
#include "s3/conditional.h"
#include "s3/error_response.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/names.h"
#include "s3/object_data.h"
#include "s3/object_metadata.h"
#include "s3/object_writer.h"
#include "s3/payload_digests.h"
#include "s3/storage_class.h"
#include "s3/tag_set.h"

namespace stratus::s3 {
namespace {

// What a PutObject's headers say, checked before its body is read.
struct PutInput {
  std::optional<uint64_t> length;
  ObjectMetadata metadata;
  TagSet tags;
  ExpectedDigests expected;
  std::string storage_class;
};

Result<PutInput> ParsePutInput(RequestContext& ctx) {
  const http::Request& request = ctx.request;
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  if (!request.Header("Content-Length") && !request.Header("Transfer-Encoding")) {
    return Error(ErrorCode::kMissingContentLength);
  }
  PutInput input;
  input.length = ctx.verified.payload->length();
  if (input.length && *input.length > kMaxPutObjectBytes) return Error(ErrorCode::kEntityTooLarge);
  ASSIGN_OR_RETURN(input.metadata, ParseObjectMetadata(request.headers));
  ASSIGN_OR_RETURN(input.tags, ParseTaggingHeader(request.Header("x-amz-tagging").value_or("")));
  ASSIGN_OR_RETURN(input.expected, ParseExpectedDigests(request.headers));
  ASSIGN_OR_RETURN(input.storage_class, RequestedStorageClass(request.headers));
  return input;
}

// Reads the body into `writer`, verifies every digest the client sent, and returns the record
// to commit (its data location not yet set).
Result<meta::ObjectRecord> ReceivePut(RequestContext& ctx, PutInput& input, ObjectWriter& writer) {
  ChecksumSet checksums = ChecksumSet::ForPut(input.expected.algorithm);
  ASSIGN_OR_RETURN(ReceivedBody body,
                   ReceiveBody(*ctx.verified.payload, input.length, checksums,
                               [&](std::span<const char> chunk) { return writer.Write(chunk); }));
  const ChecksumValues& actual = body.checksums;
  RETURN_IF_ERROR(VerifyDigests(input.expected, actual, ctx.verified.payload->trailers()));

  meta::ObjectRecord record;
  record.bucket = ctx.route.bucket;
  record.key = ctx.route.key;
  record.size = writer.size();
  record.etag = HexEncode(*actual.md5);
  record.modified_ns = NowUnixNanos();
  record.system_metadata = std::move(input.metadata.system);
  record.user_metadata = std::move(input.metadata.user);
  record.tags = std::move(input.tags);
  record.storage_class = input.storage_class;
  record.checksums = EncodeChecksums(actual);
  return record;
}

http::Response PutResponse(const PutInput& input, const meta::ObjectRecord& record) {
  http::Response response;
  response.headers.Set("ETag", "\"" + record.etag + "\"");
  ChecksumAlgorithm answered = input.expected.algorithm.value_or(ChecksumAlgorithm::kCrc64Nvme);
  auto checksum = record.checksums.find(std::string(ChecksumAlgorithmName(answered)));
  response.headers.Set(std::string(ChecksumHeaderName(answered)),
                       checksum == record.checksums.end() ? std::string() : checksum->second);
  response.headers.Set("x-amz-checksum-type", record.checksum_type);
  return response;
}

}  // namespace

HandlerResult PutObject(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  ASSIGN_OR_RETURN(PutInput input, ParsePutInput(ctx));
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  // Refuse a doomed conditional write before its body arrives; the check that counts is
  // repeated atomically with the commit below.
  ASSIGN_OR_RETURN(auto current, services.meta.GetObject(ctx.route.bucket, ctx.route.key));
  RETURN_IF_ERROR(EvaluateWriteConditions(request.headers, StateOf(current)));

  ObjectWriter writer(services.backend, services.config.inline_threshold);
  ASSIGN_OR_RETURN(meta::ObjectRecord record, ReceivePut(ctx, input, writer));
  RETURN_IF_ERROR(StoreObject(services, writer, record, WriteConditionsAtCommit(request)));
  return PutResponse(input, record);
}

// The same PutObject for a small body already in memory, on an io thread: no read of the
// store before the commit (the committer checks the bucket and the conditions), no file, and
// the commit grouped with others without a thread waiting for it. Whatever goes another way
// (an invalid request, a body that fails its digests, one too large to keep inline) is
// declined, and PutObject answers it as usual.
bool PutObjectInline(const Services& services, RequestContext& ctx,
                     const http::Responder& respond) {
  auto input = ParsePutInput(ctx);
  if (!input || !input->length || *input->length > services.config.inline_threshold) return false;
  ObjectWriter writer(services.backend, services.config.inline_threshold);
  auto record = ReceivePut(ctx, *input, writer);
  if (!record) return false;
  auto location = writer.Commit();
  if (!location || !location->is_inline()) return false;
  record->data = *std::move(location);
  // Shared: a std::function is copyable, a Response is not.
  auto response = std::make_shared<http::Response>(PutResponse(*input, *record));
  const http::Request& request = ctx.request;  // lives until respond is called
  services.meta.PutObjectAsync(
      *std::move(record), WriteConditionsAtCommit(request),
      [&services, &request, respond, response, bucket = ctx.route.bucket,
       key = ctx.route.key](Result<std::optional<meta::ObjectRecord>> replaced) {
        if (!replaced) {
          respond(ErrorResponse(replaced.error(), request, bucket, key));
          return;
        }
        if (*replaced) RemoveObjectData(services.backend, (*replaced)->data);
        respond(std::move(*response));
      });
  return true;
}

}  // namespace stratus::s3
