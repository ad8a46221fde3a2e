// The metadata records the S3 layer reads and writes through a MetaStore. Their encoding on
// disk is versioned and documented in docs/formats/metadata.md; these structs are the
// in-memory form only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stratus::meta {

struct BucketRecord {
  std::string name;
  std::string region;      // LocationConstraint given at creation ("us-east-1" by default)
  std::string owner;       // the access key (later: account id) that created it
  int64_t created_ns = 0;  // unix time in nanoseconds
};

// Where an object's bytes are: inside the record, or in a data file of the backend.
struct DataLocation {
  std::string inline_data;  // small objects (< about 128 KiB): the bytes themselves
  std::string data_id;      // large objects: the backend's id; empty when inline
  bool is_inline() const { return data_id.empty(); }
};

struct ObjectRecord {
  std::string bucket;
  std::string key;
  uint64_t size = 0;
  std::string etag;         // without quotes: md5 hex, or "<md5>-<parts>" for multipart
  int64_t modified_ns = 0;  // Last-Modified, unix nanoseconds
  // Content-Type, Content-Encoding, Content-Disposition, Content-Language, Cache-Control,
  // Expires, as received (name in canonical case -> value).
  std::vector<std::pair<std::string, std::string>> system_metadata;
  // x-amz-meta-* with the prefix removed, names lowercased.
  std::vector<std::pair<std::string, std::string>> user_metadata;
  // Checksum algorithm name as S3 spells it ("CRC64NVME", "CRC32", "SHA256") -> base64 value.
  std::map<std::string, std::string> checksums;
  std::string checksum_type = "FULL_OBJECT";  // or "COMPOSITE" (multipart)
  std::string storage_class = "STANDARD";
  DataLocation data;
};

}  // namespace stratus::meta
