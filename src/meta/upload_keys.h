// The RocksDB keys of multipart uploads (docs/formats/metadata.md, "Multipart uploads"):
//
//   U<bucket>\0<key>\0<upload_id>              upload record
//   P<upload_id>\0<part number, u32 BE>        part record
//   D<data_id>\0\x01<upload_id>\0<part u32 BE> reverse reference from a part's data
//   F<bucket>\0<key>\0<upload_id>              completion record of a completed upload
//
// Upload ids are hex and start with the initiation time, so a scan of U lists uploads in key
// order, then initiation order, as ListMultipartUploads answers. Part keys sort by number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::meta::keys {

inline constexpr char kUpload = 'U';
inline constexpr char kPart = 'P';
inline constexpr char kCompletion = 'F';

std::string UploadKey(std::string_view bucket, std::string_view key, std::string_view upload_id);
// Upload keys of `bucket` whose object key starts with `key_prefix`.
std::string UploadPrefix(std::string_view bucket, std::string_view key_prefix = {});
std::string AllUploadsPrefix();

// Splits the part of an upload key after UploadPrefix(bucket) into object key and upload id.
struct UploadKeyParts {
  std::string_view key;
  std::string_view upload_id;
};
std::optional<UploadKeyParts> SplitUploadKey(std::string_view rest);
// The bucket, key and upload id of a full upload key.
struct FullUploadKey {
  std::string_view bucket;
  std::string_view key;
  std::string_view upload_id;
};
std::optional<FullUploadKey> ParseUploadKey(std::string_view full);

std::string CompletionKey(std::string_view bucket, std::string_view key,
                          std::string_view upload_id);
// Completion keys of `bucket` (all buckets when empty).
std::string CompletionPrefix(std::string_view bucket = {});

std::string PartKey(std::string_view upload_id, uint32_t part_number);
std::string PartPrefix(std::string_view upload_id);
std::string PartDataRefKey(std::string_view data_id, std::string_view upload_id,
                           uint32_t part_number);

// Upload ids this store generates: hex digits only (URL-safe and never a NUL).
bool IsValidUploadId(std::string_view upload_id);

}  // namespace stratus::meta::keys
