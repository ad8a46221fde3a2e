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
  // Bucket-level configurations by S3 sub-resource name ("tagging", "cors", ...): each is the
  // document the handler that owns it stores (its own validated XML or JSON).
  std::map<std::string, std::string> configs = {};
};

// One part of a multipart upload: its part record while the upload is in progress, then an
// entry of the completed object's part list (docs/formats/metadata.md).
struct PartRecord {
  uint32_t number = 0;  // 1..10000
  uint64_t size = 0;
  std::string etag;         // md5 hex of the part, without quotes
  int64_t modified_ns = 0;  // when this part was uploaded
  // Algorithm name ("CRC64NVME", "CRC32", ...) -> base64 value of this part's bytes.
  std::map<std::string, std::string> checksums;
  std::string data_id;  // the backend's id of the part's bytes; never empty
};

// Where an object's bytes are: inside the record, in a data file of the backend, or (a
// completed multipart upload) in the data files of its parts, read one after the other.
struct DataLocation {
  std::string inline_data;        // small objects (< about 128 KiB): the bytes themselves
  std::string data_id;            // large objects: the backend's id; empty when inline
  std::vector<PartRecord> parts;  // multipart objects, in part order; data_id empty then
  bool is_inline() const { return data_id.empty() && parts.empty(); }
  bool is_multipart() const { return !parts.empty(); }
  // Every backend data id this location uses (none when inline).
  std::vector<std::string> DataIds() const {
    std::vector<std::string> ids;
    if (!data_id.empty()) ids.push_back(data_id);
    for (const PartRecord& part : parts) ids.push_back(part.data_id);
    return ids;
  }
};

// A multipart upload in progress: what CreateMultipartUpload was told, kept until
// CompleteMultipartUpload turns it into an object record (or it is aborted or expires).
struct UploadRecord {
  std::string bucket;
  std::string key;
  std::string upload_id;
  int64_t initiated_ns = 0;
  std::string owner;  // the access key that created it
  std::vector<std::pair<std::string, std::string>> system_metadata;  // as ObjectRecord
  std::vector<std::pair<std::string, std::string>> user_metadata;    // as ObjectRecord
  std::string tagging;             // x-amz-tagging as received (a query string), or empty
  std::string checksum_algorithm;  // "CRC32" ... as asked at creation, or empty
  std::string checksum_type;       // "COMPOSITE" or "FULL_OBJECT"; empty with no algorithm
  std::string storage_class = "STANDARD";
};

// What recognises a retried CompleteMultipartUpload once its upload is gone, and rebuilds the
// first answer (docs/formats/metadata.md, "Completed uploads").
struct CompletionRecord {
  int64_t completed_ns = 0;                      // the object's Last-Modified
  std::string etag;                              // without quotes
  std::string parts_digest;                      // SHA-256 of the part list the completion named
  std::map<std::string, std::string> checksums;  // as ObjectRecord
  std::string checksum_type;
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
  // Object tags (x-amz-tagging, PutObjectTagging), in the order given.
  std::vector<std::pair<std::string, std::string>> tags = {};
  std::string checksum_type = "FULL_OBJECT";  // or "COMPOSITE" (multipart)
  std::string storage_class = "STANDARD";
  DataLocation data;
};

}  // namespace stratus::meta
