// Field tags are listed in docs/formats/metadata.md ("Multipart uploads"); keep them in sync.
#include "meta/upload_codec.h"

#include <bitset>
#include <initializer_list>
#include <optional>

#include "meta/coding.h"
#include "meta/record_codec.h"

namespace stratus::meta {
namespace {

// Upload record tags.
constexpr uint64_t kUploadInitiatedNs = 1;
constexpr uint64_t kUploadOwner = 2;
constexpr uint64_t kUploadSystemMetadata = 3;  // repeated pair
constexpr uint64_t kUploadUserMetadata = 4;    // repeated pair
constexpr uint64_t kUploadTagging = 5;
constexpr uint64_t kUploadChecksumAlgorithm = 6;
constexpr uint64_t kUploadChecksumType = 7;
constexpr uint64_t kUploadStorageClass = 8;
constexpr uint64_t kUploadMaxTag = 8;

// Part tags (part records and object part lists alike).
constexpr uint64_t kPartNumber = 1;
constexpr uint64_t kPartSize = 2;
constexpr uint64_t kPartEtag = 3;
constexpr uint64_t kPartModifiedNs = 4;
constexpr uint64_t kPartChecksum = 5;  // repeated pair
constexpr uint64_t kPartDataId = 6;
constexpr uint64_t kPartMaxTag = 6;

constexpr uint64_t kMaxPartNumber = 10000;

Status Corrupt(std::string_view what) {
  return Status::Internal("corrupt metadata record: " + std::string(what));
}

void PutField(std::string& out, uint64_t tag, std::string_view payload) {
  PutVarint(out, tag);
  PutLengthPrefixed(out, payload);
}

void PutUintField(std::string& out, uint64_t tag, uint64_t value) {
  std::string payload;
  PutVarint(payload, value);
  PutField(out, tag, payload);
}

void PutPairField(std::string& out, uint64_t tag, std::string_view name, std::string_view value) {
  std::string payload;
  PutLengthPrefixed(payload, name);
  payload.append(value);
  PutField(out, tag, payload);
}

struct Field {
  uint64_t tag;
  std::string_view payload;
};

// Walks tagged fields, rejecting unknown tags and repeats of single-valued ones.
class Fields {
 public:
  Fields(std::string_view bytes, uint64_t max_tag, std::initializer_list<uint64_t> repeatable)
      : in_(bytes), max_tag_(max_tag) {
    for (uint64_t tag : repeatable) repeatable_.set(tag);
  }

  Status SkipVersion() {
    if (in_.empty()) return Corrupt("empty");
    auto version = static_cast<uint8_t>(in_.front());
    if (version == 0 || version > kRecordFormatVersion) {
      return Corrupt("unknown format version " + std::to_string(version));
    }
    in_.remove_prefix(1);
    return Status::Ok();
  }

  Result<std::optional<Field>> Next() {
    if (in_.empty()) return std::nullopt;
    std::optional<uint64_t> tag = GetVarint(in_);
    if (!tag) return Error(Corrupt("truncated tag"));
    if (*tag == 0 || *tag > max_tag_) return Error(Corrupt("unknown tag " + std::to_string(*tag)));
    std::optional<std::string_view> payload = GetLengthPrefixed(in_);
    if (!payload) return Error(Corrupt("truncated field " + std::to_string(*tag)));
    if (!repeatable_.test(*tag)) {
      if (seen_.test(*tag)) return Error(Corrupt("repeated field " + std::to_string(*tag)));
      seen_.set(*tag);
    }
    return Field{*tag, *payload};
  }

 private:
  std::string_view in_;
  uint64_t max_tag_;
  std::bitset<64> repeatable_;
  std::bitset<64> seen_;
};

Result<uint64_t> ParseUint(const Field& field) {
  std::string_view in = field.payload;
  std::optional<uint64_t> value = GetVarint(in);
  if (!value || !in.empty()) {
    return Error(Corrupt("bad integer in field " + std::to_string(field.tag)));
  }
  return *value;
}

Result<std::pair<std::string, std::string>> ParsePair(const Field& field) {
  std::string_view in = field.payload;
  std::optional<std::string_view> name = GetLengthPrefixed(in);
  if (!name) return Error(Corrupt("bad pair in field " + std::to_string(field.tag)));
  return std::pair<std::string, std::string>(*name, in);
}

Result<PartRecord> DecodePartBody(Fields& fields) {
  PartRecord part;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<Field> field, fields.Next());
    if (!field) break;
    switch (field->tag) {
      case kPartNumber: {
        ASSIGN_OR_RETURN(uint64_t number, ParseUint(*field));
        if (number == 0 || number > kMaxPartNumber) return Error(Corrupt("bad part number"));
        part.number = static_cast<uint32_t>(number);
        break;
      }
      case kPartSize: {
        ASSIGN_OR_RETURN(part.size, ParseUint(*field));
        break;
      }
      case kPartEtag:
        part.etag = field->payload;
        break;
      case kPartModifiedNs: {
        ASSIGN_OR_RETURN(uint64_t modified, ParseUint(*field));
        part.modified_ns = static_cast<int64_t>(modified);
        break;
      }
      case kPartChecksum: {
        ASSIGN_OR_RETURN(auto pair, ParsePair(*field));
        if (!part.checksums.insert(std::move(pair)).second) {
          return Error(Corrupt("repeated checksum algorithm"));
        }
        break;
      }
      case kPartDataId:
        part.data_id = field->payload;
        break;
    }
  }
  if (part.number == 0) return Error(Corrupt("part without a number"));
  if (part.data_id.empty()) return Error(Corrupt("part without a data id"));
  return part;
}

}  // namespace

std::string EncodeUploadRecord(const UploadRecord& upload) {
  std::string out(1, static_cast<char>(kRecordFormatVersion));
  PutUintField(out, kUploadInitiatedNs, static_cast<uint64_t>(upload.initiated_ns));
  PutField(out, kUploadOwner, upload.owner);
  for (const auto& [name, value] : upload.system_metadata) {
    PutPairField(out, kUploadSystemMetadata, name, value);
  }
  for (const auto& [name, value] : upload.user_metadata) {
    PutPairField(out, kUploadUserMetadata, name, value);
  }
  PutField(out, kUploadTagging, upload.tagging);
  PutField(out, kUploadChecksumAlgorithm, upload.checksum_algorithm);
  PutField(out, kUploadChecksumType, upload.checksum_type);
  PutField(out, kUploadStorageClass, upload.storage_class);
  return out;
}

Result<UploadRecord> DecodeUploadRecord(std::string_view bytes) {
  Fields fields(bytes, kUploadMaxTag, {kUploadSystemMetadata, kUploadUserMetadata});
  RETURN_IF_ERROR(fields.SkipVersion());
  UploadRecord upload;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<Field> field, fields.Next());
    if (!field) break;
    switch (field->tag) {
      case kUploadInitiatedNs: {
        ASSIGN_OR_RETURN(uint64_t initiated, ParseUint(*field));
        upload.initiated_ns = static_cast<int64_t>(initiated);
        break;
      }
      case kUploadOwner:
        upload.owner = field->payload;
        break;
      case kUploadSystemMetadata: {
        ASSIGN_OR_RETURN(auto pair, ParsePair(*field));
        upload.system_metadata.push_back(std::move(pair));
        break;
      }
      case kUploadUserMetadata: {
        ASSIGN_OR_RETURN(auto pair, ParsePair(*field));
        upload.user_metadata.push_back(std::move(pair));
        break;
      }
      case kUploadTagging:
        upload.tagging = field->payload;
        break;
      case kUploadChecksumAlgorithm:
        upload.checksum_algorithm = field->payload;
        break;
      case kUploadChecksumType:
        upload.checksum_type = field->payload;
        break;
      case kUploadStorageClass:
        upload.storage_class = field->payload;
        break;
    }
  }
  return upload;
}

std::string EncodePartFields(const PartRecord& part) {
  std::string out;
  PutUintField(out, kPartNumber, part.number);
  PutUintField(out, kPartSize, part.size);
  PutField(out, kPartEtag, part.etag);
  PutUintField(out, kPartModifiedNs, static_cast<uint64_t>(part.modified_ns));
  for (const auto& [name, value] : part.checksums) PutPairField(out, kPartChecksum, name, value);
  PutField(out, kPartDataId, part.data_id);
  return out;
}

Result<PartRecord> DecodePartFields(std::string_view bytes) {
  Fields fields(bytes, kPartMaxTag, {kPartChecksum});
  return DecodePartBody(fields);
}

std::string EncodePartRecord(const PartRecord& part) {
  std::string out(1, static_cast<char>(kRecordFormatVersion));
  out += EncodePartFields(part);
  return out;
}

Result<PartRecord> DecodePartRecord(std::string_view bytes) {
  Fields fields(bytes, kPartMaxTag, {kPartChecksum});
  RETURN_IF_ERROR(fields.SkipVersion());
  return DecodePartBody(fields);
}

}  // namespace stratus::meta
