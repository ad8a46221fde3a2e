// Field tags are listed in docs/formats/metadata.md ("Multipart uploads"); keep them in sync.
#include "meta/upload_codec.h"

#include <bitset>
#include <initializer_list>
#include <optional>

#include "meta/coding.h"
#include "meta/field_coding.h"
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

// Completion record tags.
constexpr uint64_t kCompletionNs = 1;
constexpr uint64_t kCompletionEtag = 2;
constexpr uint64_t kCompletionPartsDigest = 3;
constexpr uint64_t kCompletionChecksum = 4;  // repeated pair
constexpr uint64_t kCompletionChecksumType = 5;
constexpr uint64_t kCompletionMaxTag = 5;

constexpr uint64_t kMaxPartNumber = 10000;

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

std::string EncodeCompletionRecord(const CompletionRecord& completion) {
  std::string out(1, static_cast<char>(kRecordFormatVersion));
  PutUintField(out, kCompletionNs, static_cast<uint64_t>(completion.completed_ns));
  PutField(out, kCompletionEtag, completion.etag);
  PutField(out, kCompletionPartsDigest, completion.parts_digest);
  for (const auto& [name, value] : completion.checksums) {
    PutPairField(out, kCompletionChecksum, name, value);
  }
  PutField(out, kCompletionChecksumType, completion.checksum_type);
  return out;
}

Result<CompletionRecord> DecodeCompletionRecord(std::string_view bytes) {
  Fields fields(bytes, kCompletionMaxTag, {kCompletionChecksum});
  RETURN_IF_ERROR(fields.SkipVersion());
  CompletionRecord completion;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<Field> field, fields.Next());
    if (!field) break;
    switch (field->tag) {
      case kCompletionNs: {
        ASSIGN_OR_RETURN(uint64_t completed, ParseUint(*field));
        completion.completed_ns = static_cast<int64_t>(completed);
        break;
      }
      case kCompletionEtag:
        completion.etag = field->payload;
        break;
      case kCompletionPartsDigest:
        completion.parts_digest = field->payload;
        break;
      case kCompletionChecksum: {
        ASSIGN_OR_RETURN(auto pair, ParsePair(*field));
        if (!completion.checksums.insert(std::move(pair)).second) {
          return Error(Corrupt("repeated checksum algorithm"));
        }
        break;
      }
      case kCompletionChecksumType:
        completion.checksum_type = field->payload;
        break;
    }
  }
  if (completion.parts_digest.size() != 32) return Error(Corrupt("bad parts digest"));
  // Written last: a record cut short anywhere lacks it.
  if (completion.etag.empty() || completion.checksum_type.empty()) {
    return Error(Corrupt("completion without its etag or checksum type"));
  }
  return completion;
}

}  // namespace stratus::meta
