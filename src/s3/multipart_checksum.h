// How S3 derives a completed multipart object's ETag and checksums from its parts. Pure
// functions; thread-safe.
//
//   ETag:        hex(md5(md5(part 1) || ... || md5(part N))) "-" N
//   COMPOSITE:   base64(checksum(raw checksum(part 1) || ... || raw checksum(part N))) "-" N
//   FULL_OBJECT: the CRC of the whole object, combined from the parts' CRCs and sizes
//                (CRC algorithms only), base64, no suffix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/checksum.h"
#include "common/status.h"

namespace stratus::s3 {

// `part_etags` are the parts' ETags (md5 hex, unquoted). InternalError when one is not an MD5.
Result<std::string> MultipartEtag(const std::vector<std::string>& part_etags);

// Raw part checksums in part order -> "<base64>-N".
std::string CompositeChecksum(ChecksumAlgorithm algorithm,
                              const std::vector<std::string>& raw_part_checksums);

struct PartCrc {
  std::string raw;  // the part's CRC, big-endian bytes
  uint64_t size = 0;
};
// CRC algorithms only -> base64 of the whole object's CRC.
std::string FullObjectChecksum(ChecksumAlgorithm algorithm, const std::vector<PartCrc>& parts);

// Whether S3 allows the pair: CRC64NVME is FULL_OBJECT only, SHA1/SHA256 COMPOSITE only, CRC32
// and CRC32C either.
bool IsCrc(ChecksumAlgorithm algorithm);
bool SupportsChecksumType(ChecksumAlgorithm algorithm, std::string_view type);

}  // namespace stratus::s3
