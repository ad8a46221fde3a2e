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
#include "s3/object_metadata.h"
#include "s3/object_writer.h"

namespace stratus::s3 {
namespace {

constexpr uint64_t kMaxPutObjectBytes = 5ULL * 1024 * 1024 * 1024;  // S3's single-PUT limit
constexpr size_t kChunkBytes = 1024 * 1024;

// What the client says the body's digests are.
struct ExpectedDigests {
  std::optional<std::string> content_md5;      // raw 16 bytes
  std::optional<ChecksumAlgorithm> algorithm;  // x-amz-checksum-*, x-amz-trailer or -sdk-
  std::optional<std::string> checksum;         // raw value, when sent as a header
  std::optional<std::string> trailer;          // the trailer that will carry it
};

Result<ExpectedDigests> ParseExpectedDigests(const http::Headers& headers) {
  ExpectedDigests expected;
  if (auto md5 = headers.Get("Content-MD5")) {
    auto raw = Base64Decode(*md5);
    if (!raw || raw->size() != 16) return Error(ErrorCode::kInvalidDigest);
    expected.content_md5 = std::move(*raw);
  }
  for (const auto& [name, value] : headers.fields()) {
    auto algorithm = ChecksumAlgorithmFromHeader(name);
    if (!algorithm) continue;
    if (expected.algorithm) {
      return Error(ErrorCode::kInvalidRequest,
                   "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                   "allowed.");
    }
    ASSIGN_OR_RETURN(expected.checksum, DecodeChecksumValue(*algorithm, value));
    expected.algorithm = algorithm;
  }
  if (auto trailer = headers.Get("x-amz-trailer")) {
    auto algorithm = ChecksumAlgorithmFromHeader(*trailer);
    if (!algorithm)
      return Error(ErrorCode::kInvalidRequest,
                   "The value specified in the x-amz-trailer header is not supported");
    if (expected.algorithm && *expected.algorithm != *algorithm) {
      return Error(ErrorCode::kInvalidRequest,
                   "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                   "allowed.");
    }
    expected.algorithm = algorithm;
    expected.trailer = http::ToLower(*trailer);
  }
  if (auto sdk = headers.Get("x-amz-sdk-checksum-algorithm"); sdk && !expected.algorithm) {
    expected.algorithm = ParseChecksumAlgorithm(*sdk);
    if (!expected.algorithm) {
      return Error(ErrorCode::kInvalidRequest, "Checksum algorithm provided is unsupported.");
    }
  }
  return expected;
}

// Compares what arrived with what the client promised. A mismatch stores nothing.
Status VerifyDigests(const ExpectedDigests& expected, const ChecksumValues& actual,
                     const http::Headers& trailers) {
  if (expected.content_md5 && !ConstantTimeEquals(*expected.content_md5, *actual.md5)) {
    return Status(ErrorCode::kBadDigest);
  }
  if (!expected.algorithm) return Status::Ok();
  std::optional<std::string> promised = expected.checksum;
  if (expected.trailer) {
    auto value = trailers.Get(*expected.trailer);
    if (!value) {
      return Status(ErrorCode::kInvalidRequest,
                    "The x-amz-trailer header was specified but the trailer is missing.");
    }
    ASSIGN_OR_RETURN(promised, DecodeChecksumValue(*expected.algorithm, *value));
  }
  if (promised && *promised != *actual.Get(*expected.algorithm)) {
    return Status(ErrorCode::kBadDigest,
                  fmt::format("The {} you specified did not match the calculated checksum.",
                              ChecksumAlgorithmName(*expected.algorithm)));
  }
  return Status::Ok();
}

std::optional<ObjectState> StateOf(const std::optional<meta::ObjectRecord>& object) {
  if (!object) return std::nullopt;
  return ObjectState{.etag = object->etag,
                     .modified_unix_seconds = object->modified_ns / 1'000'000'000};
}

// Streams the payload into `writer`, hashing every chunk on the way.
Result<ChecksumValues> ReceiveBody(http::ByteStream& payload, std::optional<uint64_t> length,
                                   ChecksumSet& checksums, ObjectWriter& writer) {
  std::vector<char> buffer(std::clamp<uint64_t>(length.value_or(kChunkBytes), 1, kChunkBytes));
  while (true) {
    ASSIGN_OR_RETURN(size_t n, payload.Read(buffer));
    if (n == 0) break;
    if (writer.size() + n > kMaxPutObjectBytes) return Error(ErrorCode::kEntityTooLarge);
    std::span<const char> chunk(buffer.data(), n);
    checksums.Update(std::string_view(chunk.data(), chunk.size()));
    RETURN_IF_ERROR(writer.Write(chunk));
  }
  if (length && writer.size() != *length) return Error(ErrorCode::kIncompleteBody);
  return checksums.Final();
}

}  // namespace

HandlerResult PutObject(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  if (request.Header("x-amz-copy-source")) {
    return Error(ErrorCode::kNotImplemented, "CopyObject is not implemented yet.");
  }
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  if (!request.content_length && !request.Header("Transfer-Encoding")) {
    return Error(ErrorCode::kMissingContentLength);
  }
  std::optional<uint64_t> length = ctx.verified.payload->length();
  if (length && *length > kMaxPutObjectBytes) return Error(ErrorCode::kEntityTooLarge);
  ASSIGN_OR_RETURN(ObjectMetadata metadata, ParseObjectMetadata(request.headers));
  ASSIGN_OR_RETURN(ExpectedDigests expected, ParseExpectedDigests(request.headers));
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  // Refuse a doomed conditional write before its body arrives; the check that counts is
  // repeated atomically with the commit below.
  ASSIGN_OR_RETURN(auto current, services.meta.GetObject(ctx.route.bucket, ctx.route.key));
  RETURN_IF_ERROR(EvaluateWriteConditions(request.headers, StateOf(current)));

  ChecksumSet checksums = ChecksumSet::ForPut(expected.algorithm);
  ObjectWriter writer(services.backend, services.config.inline_threshold);
  ASSIGN_OR_RETURN(ChecksumValues actual,
                   ReceiveBody(*ctx.verified.payload, length, checksums, writer));
  RETURN_IF_ERROR(VerifyDigests(expected, actual, ctx.verified.payload->trailers()));

  meta::ObjectRecord record;
  record.bucket = ctx.route.bucket;
  record.key = ctx.route.key;
  record.size = writer.size();
  record.etag = HexEncode(*actual.md5);
  record.modified_ns = NowUnixNanos();
  record.system_metadata = std::move(metadata.system);
  record.user_metadata = std::move(metadata.user);

  for (ChecksumAlgorithm algorithm : kAllChecksumAlgorithms) {
    if (const auto& value = actual.Get(algorithm)) {
      record.checksums[std::string(ChecksumAlgorithmName(algorithm))] = Base64Encode(*value);
    }
  }
  ASSIGN_OR_RETURN(record.data, writer.Commit());

  auto replaced =
      services.meta.PutObject(record, [&](const std::optional<meta::ObjectRecord>& now) {
        return EvaluateWriteConditions(request.headers, StateOf(now));
      });
  if (!replaced) {
    if (!record.data.is_inline()) (void)services.backend.Remove(record.data.data_id);
    return Error(replaced.error());
  }
  if (*replaced && !(*replaced)->data.is_inline()) {
    // Readers that opened the old data keep reading it; the bytes go once they finish.
    (void)services.backend.Remove((*replaced)->data.data_id);
  }

  http::Response response;
  response.headers.Set("ETag", "\"" + record.etag + "\"");
  ChecksumAlgorithm answered = expected.algorithm.value_or(ChecksumAlgorithm::kCrc64Nvme);
  response.headers.Set(std::string(ChecksumHeaderName(answered)),
                       record.checksums[std::string(ChecksumAlgorithmName(answered))]);
  response.headers.Set("x-amz-checksum-type", record.checksum_type);
  return response;
}

}  // namespace stratus::s3
