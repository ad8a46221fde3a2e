#include "s3/multipart_checksum.h"

#include "common/crypto.h"

namespace stratus::s3 {

Result<std::string> MultipartEtag(const std::vector<std::string>& part_etags) {
  std::string concatenated;
  concatenated.reserve(16 * part_etags.size());
  for (const std::string& etag : part_etags) {
    auto raw = HexDecode(etag);
    if (!raw || raw->size() != 16) return Error(Status::Internal("part etag is not an md5"));
    concatenated += *raw;
  }
  return HexEncode(Md5(concatenated)) + "-" + std::to_string(part_etags.size());
}

std::string CompositeChecksum(ChecksumAlgorithm algorithm,
                              const std::vector<std::string>& raw_part_checksums) {
  Checksummer checksummer(algorithm);
  for (const std::string& raw : raw_part_checksums) checksummer.Update(std::string_view(raw));
  return Base64Encode(checksummer.Final()) + "-" + std::to_string(raw_part_checksums.size());
}

std::string FullObjectChecksum(ChecksumAlgorithm algorithm, const std::vector<PartCrc>& parts) {
  // The CRC of no bytes is 0 for every algorithm here (init and xorout cancel).
  std::string combined = Checksummer(algorithm).Final();
  for (const PartCrc& part : parts) {
    combined = CombineCrc(algorithm, combined, part.raw, part.size);
  }
  return Base64Encode(combined);
}

bool IsCrc(ChecksumAlgorithm algorithm) {
  return algorithm == ChecksumAlgorithm::kCrc32 || algorithm == ChecksumAlgorithm::kCrc32c ||
         algorithm == ChecksumAlgorithm::kCrc64Nvme;
}

bool SupportsChecksumType(ChecksumAlgorithm algorithm, std::string_view type) {
  if (type == "FULL_OBJECT") return IsCrc(algorithm);
  if (type == "COMPOSITE") return algorithm != ChecksumAlgorithm::kCrc64Nvme;
  return false;
}

}  // namespace stratus::s3
