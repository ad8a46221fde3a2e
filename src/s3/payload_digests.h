// What PutObject and UploadPart share: the digests a client promises for a body (Content-MD5,
// an x-amz-checksum-* header or trailer), receiving the body while hashing it, and checking
// what arrived against what was promised. A mismatch stores nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "common/checksum.h"
#include "common/status.h"
#include "http/headers.h"
#include "http/request.h"

namespace stratus::s3 {

// S3's largest single PUT and largest part.
inline constexpr uint64_t kMaxPutObjectBytes = 5ULL * 1024 * 1024 * 1024;

// What the client says the body's digests are.
struct ExpectedDigests {
  std::optional<std::string> content_md5;      // raw 16 bytes
  std::optional<ChecksumAlgorithm> algorithm;  // x-amz-checksum-*, x-amz-trailer or -sdk-
  std::optional<std::string> checksum;         // raw value, when sent as a header
  std::optional<std::string> trailer;          // the trailer that will carry it
};

Result<ExpectedDigests> ParseExpectedDigests(const http::Headers& headers);

// Compares what arrived with what the client promised.
Status VerifyDigests(const ExpectedDigests& expected, const ChecksumValues& actual,
                     const http::Headers& trailers);

struct ReceivedBody {
  ChecksumValues checksums;
  uint64_t size = 0;
};

// Streams the payload in chunks of up to 1 MiB into `sink`, hashing every chunk on the way.
// More than kMaxPutObjectBytes is EntityTooLarge; fewer bytes than `length` IncompleteBody.
Result<ReceivedBody> ReceiveBody(http::ByteStream& payload, std::optional<uint64_t> length,
                                 ChecksumSet& checksums,
                                 const std::function<Status(std::span<const char>)>& sink);

}  // namespace stratus::s3
