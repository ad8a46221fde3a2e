// PutObject: stream the body into its place, verifying every digest the client sent, then
// commit the record. Commit order (DESIGN.md): data durable first, then one synced metadata
// batch, then the answer.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "common/checksum.h"
#include "common/crypto.h"
#include "s3/conditional.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/names.h"
#include "s3/object_data.h"
#include "s3/object_metadata.h"
#include "s3/object_writer.h"
#include "s3/payload_digests.h"
#include "s3/tag_set.h"

namespace stratus::s3 {
namespace {

std::optional<ObjectState> StateOf(const std::optional<meta::ObjectRecord>& object) {
  if (!object) return std::nullopt;
  return ObjectState{.etag = object->etag,
                     .modified_unix_seconds = object->modified_ns / 1'000'000'000};
}

}  // namespace

HandlerResult PutObject(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  if (!request.Header("Content-Length") && !request.Header("Transfer-Encoding")) {
    return Error(ErrorCode::kMissingContentLength);
  }
  std::optional<uint64_t> length = ctx.verified.payload->length();
  if (length && *length > kMaxPutObjectBytes) return Error(ErrorCode::kEntityTooLarge);
  ASSIGN_OR_RETURN(ObjectMetadata metadata, ParseObjectMetadata(request.headers));
  ASSIGN_OR_RETURN(TagSet tags, ParseTaggingHeader(request.Header("x-amz-tagging").value_or("")));
  ASSIGN_OR_RETURN(ExpectedDigests expected, ParseExpectedDigests(request.headers));
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  // Refuse a doomed conditional write before its body arrives; the check that counts is
  // repeated atomically with the commit below.
  ASSIGN_OR_RETURN(auto current, services.meta.GetObject(ctx.route.bucket, ctx.route.key));
  RETURN_IF_ERROR(EvaluateWriteConditions(request.headers, StateOf(current)));

  ChecksumSet checksums = ChecksumSet::ForPut(expected.algorithm);
  ObjectWriter writer(services.backend, services.config.inline_threshold);
  ASSIGN_OR_RETURN(ReceivedBody body,
                   ReceiveBody(*ctx.verified.payload, length, checksums,
                               [&](std::span<const char> chunk) { return writer.Write(chunk); }));
  const ChecksumValues& actual = body.checksums;
  RETURN_IF_ERROR(VerifyDigests(expected, actual, ctx.verified.payload->trailers()));

  meta::ObjectRecord record;
  record.bucket = ctx.route.bucket;
  record.key = ctx.route.key;
  record.size = writer.size();
  record.etag = HexEncode(*actual.md5);
  record.modified_ns = NowUnixNanos();
  record.system_metadata = std::move(metadata.system);
  record.user_metadata = std::move(metadata.user);
  record.tags = std::move(tags);
  record.checksums = EncodeChecksums(actual);
  RETURN_IF_ERROR(
      StoreObject(services, writer, record, [&](const std::optional<meta::ObjectRecord>& now) {
        return EvaluateWriteConditions(request.headers, StateOf(now));
      }));

  http::Response response;
  response.headers.Set("ETag", "\"" + record.etag + "\"");
  ChecksumAlgorithm answered = expected.algorithm.value_or(ChecksumAlgorithm::kCrc64Nvme);
  response.headers.Set(std::string(ChecksumHeaderName(answered)),
                       record.checksums[std::string(ChecksumAlgorithmName(answered))]);
  response.headers.Set("x-amz-checksum-type", record.checksum_type);
  return response;
}

}  // namespace stratus::s3
