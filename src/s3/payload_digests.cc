#include "s3/payload_digests.h"

#include <memory>

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "common/crypto.h"

namespace stratus::s3 {
namespace {

constexpr size_t kChunkBytes = 1024 * 1024;

}  // namespace

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

Result<ReceivedBody> ReceiveBody(http::ByteStream& payload, std::optional<uint64_t> length,
                                 ChecksumSet& checksums,
                                 const std::function<Status(std::span<const char>)>& sink) {
  const size_t buffer_size = std::clamp<uint64_t>(length.value_or(kChunkBytes), 1, kChunkBytes);
  auto buffer = std::make_unique_for_overwrite<char[]>(buffer_size);  // filled before it is read
  ReceivedBody body;
  while (true) {
    ASSIGN_OR_RETURN(size_t n, payload.Read({buffer.get(), buffer_size}));
    if (n == 0) break;
    if (body.size + n > kMaxPutObjectBytes) return Error(ErrorCode::kEntityTooLarge);
    std::span<const char> chunk(buffer.get(), n);
    checksums.Update(std::string_view(chunk.data(), chunk.size()));
    RETURN_IF_ERROR(sink(chunk));
    body.size += n;
  }
  if (length && body.size != *length) return Error(ErrorCode::kIncompleteBody);
  body.checksums = checksums.Final();
  return body;
}

}  // namespace stratus::s3
