#include "meta/upload_keys.h"

#include "meta/keys.h"

namespace stratus::meta::keys {
namespace {

void PutU32BigEndian(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

}  // namespace

std::string UploadKey(std::string_view bucket, std::string_view key, std::string_view upload_id) {
  std::string out = UploadPrefix(bucket, key);
  out.push_back('\0');
  out.append(upload_id);
  return out;
}

std::string UploadPrefix(std::string_view bucket, std::string_view key_prefix) {
  std::string out(1, kUpload);
  out.append(bucket);
  out.push_back('\0');
  out.append(key_prefix);
  return out;
}

std::string AllUploadsPrefix() { return std::string(1, kUpload); }

std::string CompletionKey(std::string_view bucket, std::string_view key,
                          std::string_view upload_id) {
  std::string out = UploadKey(bucket, key, upload_id);
  out.front() = kCompletion;  // the same components as the upload's key
  return out;
}

std::string CompletionPrefix(std::string_view bucket) {
  std::string out(1, kCompletion);
  if (!bucket.empty()) out.append(bucket).push_back('\0');
  return out;
}

std::optional<UploadKeyParts> SplitUploadKey(std::string_view rest) {
  size_t nul = rest.find('\0');
  if (nul == std::string_view::npos) return std::nullopt;
  return UploadKeyParts{rest.substr(0, nul), rest.substr(nul + 1)};
}

std::optional<FullUploadKey> ParseUploadKey(std::string_view full) {
  if (full.empty() || full.front() != kUpload) return std::nullopt;
  full.remove_prefix(1);
  size_t nul = full.find('\0');
  if (nul == std::string_view::npos) return std::nullopt;
  auto rest = SplitUploadKey(full.substr(nul + 1));
  if (!rest) return std::nullopt;
  return FullUploadKey{full.substr(0, nul), rest->key, rest->upload_id};
}

std::string PartKey(std::string_view upload_id, uint32_t part_number) {
  std::string out = PartPrefix(upload_id);
  PutU32BigEndian(out, part_number);
  return out;
}

std::string PartPrefix(std::string_view upload_id) {
  std::string out(1, kPart);
  out.append(upload_id);
  out.push_back('\0');
  return out;
}

std::string PartDataRefKey(std::string_view data_id, std::string_view upload_id,
                           uint32_t part_number) {
  // \x01 can never start a bucket name, so part references never collide with object ones.
  std::string out = DataRefPrefix(data_id);
  out.push_back('\x01');
  out.append(upload_id);
  out.push_back('\0');
  PutU32BigEndian(out, part_number);
  return out;
}

bool IsValidUploadId(std::string_view upload_id) {
  if (upload_id.empty() || upload_id.size() > 128) return false;
  for (char c : upload_id) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!hex) return false;
  }
  return true;
}

}  // namespace stratus::meta::keys
