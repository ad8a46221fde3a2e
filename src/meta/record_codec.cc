// Field tags and payload kinds are listed in docs/formats/metadata.md; keep them in sync.
#include "meta/record_codec.h"

#include <bitset>
#include <optional>
#include <utility>

#include "meta/coding.h"
#include "meta/field_coding.h"
#include "meta/upload_codec.h"

namespace stratus::meta {
namespace {

// Bucket record tags.
constexpr uint64_t kBucketRegion = 1;
constexpr uint64_t kBucketOwner = 2;
constexpr uint64_t kBucketCreatedNs = 3;
constexpr uint64_t kBucketConfig = 4;  // repeated pair: configuration name -> document
constexpr uint64_t kBucketMaxTag = 4;

// Object record tags.
constexpr uint64_t kObjectSize = 1;
constexpr uint64_t kObjectEtag = 2;
constexpr uint64_t kObjectModifiedNs = 3;
constexpr uint64_t kObjectSystemMetadata = 4;  // repeated pair
constexpr uint64_t kObjectUserMetadata = 5;    // repeated pair
constexpr uint64_t kObjectChecksum = 6;        // repeated pair
constexpr uint64_t kObjectChecksumType = 7;
constexpr uint64_t kObjectStorageClass = 8;
constexpr uint64_t kObjectInlineData = 9;
constexpr uint64_t kObjectDataId = 10;
constexpr uint64_t kObjectTag = 11;   // repeated pair: object tag key -> value
constexpr uint64_t kObjectPart = 13;  // repeated: one part of a multipart object (upload_codec.h)
constexpr uint64_t kObjectMaxTag = 13;

}  // namespace

std::string EncodeBucketRecord(const BucketRecord& bucket) {
  std::string out(1, static_cast<char>(kRecordFormatVersion));
  PutField(out, kBucketRegion, bucket.region);
  PutField(out, kBucketOwner, bucket.owner);
  PutUintField(out, kBucketCreatedNs, static_cast<uint64_t>(bucket.created_ns));
  for (const auto& [name, document] : bucket.configs) {
    PutPairField(out, kBucketConfig, name, document);
  }
  return out;
}

Result<BucketRecord> DecodeBucketRecord(std::string_view bytes) {
  Fields reader(bytes, kBucketMaxTag, {kBucketConfig});
  RETURN_IF_ERROR(reader.SkipVersion());
  BucketRecord bucket;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<Field> field, reader.Next());
    if (!field) break;
    switch (field->tag) {
      case kBucketConfig: {
        ASSIGN_OR_RETURN(auto config, ParsePair(*field));
        bucket.configs.insert(std::move(config));
        break;
      }
      case kBucketRegion:
        bucket.region = field->payload;
        break;
      case kBucketOwner:
        bucket.owner = field->payload;
        break;
      case kBucketCreatedNs: {
        ASSIGN_OR_RETURN(uint64_t created, ParseUint(*field));
        bucket.created_ns = static_cast<int64_t>(created);
        break;
      }
    }
  }
  return bucket;
}

std::string EncodeObjectRecord(const ObjectRecord& object) {
  std::string out(1, static_cast<char>(kRecordFormatVersion));
  PutUintField(out, kObjectSize, object.size);
  PutField(out, kObjectEtag, object.etag);
  PutUintField(out, kObjectModifiedNs, static_cast<uint64_t>(object.modified_ns));
  for (const auto& [name, value] : object.system_metadata) {
    PutPairField(out, kObjectSystemMetadata, name, value);
  }
  for (const auto& [name, value] : object.user_metadata) {
    PutPairField(out, kObjectUserMetadata, name, value);
  }
  for (const auto& [name, value] : object.checksums) {
    PutPairField(out, kObjectChecksum, name, value);
  }
  for (const auto& [name, value] : object.tags) {
    PutPairField(out, kObjectTag, name, value);
  }
  PutField(out, kObjectChecksumType, object.checksum_type);
  PutField(out, kObjectStorageClass, object.storage_class);
  if (object.data.is_multipart()) {
    for (const PartRecord& part : object.data.parts) {
      PutField(out, kObjectPart, EncodePartFields(part));
    }
  } else if (object.data.is_inline()) {
    PutField(out, kObjectInlineData, object.data.inline_data);
  } else {
    PutField(out, kObjectDataId, object.data.data_id);
  }
  return out;
}

Result<ObjectRecord> DecodeObjectRecord(std::string_view bytes, ObjectDecodeOptions options) {
  Fields reader(
      bytes, kObjectMaxTag,
      {kObjectSystemMetadata, kObjectUserMetadata, kObjectChecksum, kObjectTag, kObjectPart});
  RETURN_IF_ERROR(reader.SkipVersion());
  ObjectRecord object;
  bool has_inline = false;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<Field> field, reader.Next());
    if (!field) break;
    switch (field->tag) {
      case kObjectSize: {
        ASSIGN_OR_RETURN(object.size, ParseUint(*field));
        break;
      }
      case kObjectEtag:
        object.etag = field->payload;
        break;
      case kObjectModifiedNs: {
        ASSIGN_OR_RETURN(uint64_t modified, ParseUint(*field));
        object.modified_ns = static_cast<int64_t>(modified);
        break;
      }
      case kObjectSystemMetadata: {
        ASSIGN_OR_RETURN(auto pair, ParsePair(*field));
        object.system_metadata.push_back(std::move(pair));
        break;
      }
      case kObjectUserMetadata: {
        ASSIGN_OR_RETURN(auto pair, ParsePair(*field));
        object.user_metadata.push_back(std::move(pair));
        break;
      }
      case kObjectChecksum: {
        ASSIGN_OR_RETURN(auto pair, ParsePair(*field));
        if (!object.checksums.insert(std::move(pair)).second) {
          return Error(Corrupt("repeated checksum algorithm"));
        }
        break;
      }
      case kObjectTag: {
        ASSIGN_OR_RETURN(auto pair, ParsePair(*field));
        object.tags.push_back(std::move(pair));
        break;
      }
      case kObjectChecksumType:
        object.checksum_type = field->payload;
        break;
      case kObjectStorageClass:
        object.storage_class = field->payload;
        break;
      case kObjectInlineData:
        has_inline = true;
        if (!options.skip_inline_data) object.data.inline_data = field->payload;
        break;
      case kObjectDataId:
        if (field->payload.empty()) return Error(Corrupt("empty data id"));
        object.data.data_id = field->payload;
        break;
      case kObjectPart: {
        ASSIGN_OR_RETURN(PartRecord part, DecodePartFields(field->payload));
        object.data.parts.push_back(std::move(part));
        break;
      }
    }
  }
  int locations =
      int{has_inline} + int{!object.data.data_id.empty()} + int{!object.data.parts.empty()};
  if (locations != 1) {
    return Error(Corrupt("record needs exactly one of inline data, data id and parts"));
  }
  if (has_inline && !options.skip_inline_data && object.data.inline_data.size() != object.size) {
    return Error(Corrupt("inline data length differs from size"));
  }
  return object;
}

}  // namespace stratus::meta
