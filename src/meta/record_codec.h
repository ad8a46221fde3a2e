// The on-disk encoding of metadata records (docs/formats/metadata.md): a format version byte
// followed by tagged, length-delimited fields. Bucket names and object keys are not part of
// the value: they live in the database key, and the store fills them in after decoding.
//
// Decoders run on bytes from disk and are fuzzed: they never read out of bounds, reject
// truncated or malformed input, unknown tags, repeated single-valued fields and unknown
// format versions, and answer kInternalError with a reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "meta/records.h"

namespace stratus::meta {

// The version written by this build; decoders accept versions 1..kRecordFormatVersion.
inline constexpr uint8_t kRecordFormatVersion = 1;

std::string EncodeBucketRecord(const BucketRecord& bucket);  // name not encoded
Result<BucketRecord> DecodeBucketRecord(std::string_view bytes);

struct ObjectDecodeOptions {
  // Leaves data.inline_data empty (listings never return object bytes).
  bool skip_inline_data = false;
};

std::string EncodeObjectRecord(const ObjectRecord& object);  // bucket and key not encoded
Result<ObjectRecord> DecodeObjectRecord(std::string_view bytes, ObjectDecodeOptions options = {});

}  // namespace stratus::meta
