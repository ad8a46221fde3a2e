// S3's flexible checksums (x-amz-checksum-*): CRC32, CRC32C, CRC64NVME, SHA-1 and SHA-256.
//
// The raw value of a checksum is its big-endian bytes (a CRC) or the digest bytes (SHA); the wire
// form in headers, trailers and XML is the base64 of those bytes. The CRC functions below work on
// the finished value (init and final xor applied), so they can be chained: pass the previous
// result as `crc` to continue a stream, starting from 0. The *Combine functions give crc(A||B)
// from crc(A), crc(B) and len(B); multipart "full object" checksums are built with them.
//
// Checksummer and ChecksumSet are not thread-safe; use one per request.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "common/status.h"

namespace stratus {

enum class ChecksumAlgorithm { kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };

inline constexpr std::array<ChecksumAlgorithm, 5> kAllChecksumAlgorithms = {
    ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme,
    ChecksumAlgorithm::kSha1, ChecksumAlgorithm::kSha256};

// "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256" (x-amz-checksum-algorithm, XML).
std::string_view ChecksumAlgorithmName(ChecksumAlgorithm algorithm);
// The inverse of ChecksumAlgorithmName, ignoring case; nullopt for anything else.
std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name);
// "x-amz-checksum-crc32", ..., "x-amz-checksum-sha256" (lowercase).
std::string_view ChecksumHeaderName(ChecksumAlgorithm algorithm);
// The algorithm a header name (any case) carries, e.g. "X-Amz-Checksum-CRC32C" -> kCrc32c.
std::optional<ChecksumAlgorithm> ChecksumAlgorithmFromHeader(std::string_view header_name);
// Size of the raw value in bytes: 4, 4, 8, 20, 32.
size_t ChecksumSize(ChecksumAlgorithm algorithm);
// Decodes a client-sent wire value (base64). A value that is not base64 or has the wrong size
// is kInvalidRequest "Value for x-amz-checksum-crc32 header is invalid.", as S3 answers.
Result<std::string> DecodeChecksumValue(ChecksumAlgorithm algorithm, std::string_view base64);

// CRC-32 (gzip, zlib, Ethernet): reflected 0x04C11DB7, init and xorout ~0. ISA-L underneath.
uint32_t Crc32(std::span<const uint8_t> data, uint32_t crc = 0);
// CRC-32C (Castagnoli, iSCSI): reflected 0x1EDC6F41, init and xorout ~0. ISA-L underneath.
uint32_t Crc32c(std::span<const uint8_t> data, uint32_t crc = 0);
// CRC-64/NVME: reflected 0xAD93D23594C93659, init and xorout ~0 (check 0xAE8B14860A799888).
uint64_t Crc64Nvme(std::span<const uint8_t> data, uint64_t crc = 0);
namespace internal {
// The table-driven CRC-64/NVME that Crc64Nvme falls back to without PCLMULQDQ (for tests).
uint64_t Crc64NvmePortable(std::span<const uint8_t> data, uint64_t crc = 0);
}  // namespace internal

// crc(A||B) given crc(A), crc(B) and the length of B in bytes.
uint32_t Crc32Combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);
uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);
uint64_t Crc64NvmeCombine(uint64_t crc_a, uint64_t crc_b, uint64_t length_b);
// The same on raw values (big-endian bytes of ChecksumSize); CRC algorithms only.
std::string CombineCrc(ChecksumAlgorithm algorithm, std::string_view raw_a, std::string_view raw_b,
                       uint64_t length_b);

// A streaming checksum of one algorithm.
class Checksummer {
 public:
  explicit Checksummer(ChecksumAlgorithm algorithm);

  void Update(std::span<const uint8_t> data);
  void Update(std::string_view data);
  // The raw value; the object is reset and can be reused afterwards.
  std::string Final();

  ChecksumAlgorithm algorithm() const { return algorithm_; }

 private:
  ChecksumAlgorithm algorithm_;
  uint64_t crc_ = 0;                // the CRC algorithms
  std::unique_ptr<Digest> digest_;  // SHA-1 and SHA-256
};

// The raw values a ChecksumSet produced.
struct ChecksumValues {
  std::optional<std::string> md5;  // raw MD5 (the ETag of a single-part object), if asked
  std::array<std::optional<std::string>, kAllChecksumAlgorithms.size()> values;

  const std::optional<std::string>& Get(ChecksumAlgorithm algorithm) const {
    return values[static_cast<size_t>(algorithm)];
  }
};

// Several checksums computed over the same bytes, each chunk visited once by every algorithm
// while it is hot in cache.
class ChecksumSet {
 public:
  ChecksumSet(bool with_md5, std::initializer_list<ChecksumAlgorithm> algorithms);
  // What a PUT computes: MD5 for the ETag, CRC64NVME (S3's default checksum since 2025) and the
  // algorithm the client asked for, if any.
  static ChecksumSet ForPut(std::optional<ChecksumAlgorithm> requested);

  // Adds an algorithm before the first Update; adding one twice is harmless.
  void Add(ChecksumAlgorithm algorithm);
  bool Has(ChecksumAlgorithm algorithm) const;

  void Update(std::span<const uint8_t> data);
  void Update(std::string_view data);
  // The raw values; the set is reset and can be reused afterwards.
  ChecksumValues Final();

 private:
  std::unique_ptr<Digest> md5_;
  std::array<std::optional<Checksummer>, kAllChecksumAlgorithms.size()> checksummers_;
};

}  // namespace stratus
