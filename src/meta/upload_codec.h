// The encodings of multipart upload records (U), part records (P) and the part list of a
// completed multipart object (object record tag 13); docs/formats/metadata.md. Same record
// grammar as record_codec.h: a version byte, then tagged length-delimited fields.
//
// Decoders run on bytes from disk: they never read out of bounds and reject truncated input,
// unknown tags, repeated single-valued fields and unknown versions with kInternalError.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "meta/records.h"

namespace stratus::meta {

std::string EncodeUploadRecord(const UploadRecord& upload);  // bucket, key, upload id not encoded
Result<UploadRecord> DecodeUploadRecord(std::string_view bytes);

std::string EncodePartRecord(const PartRecord& part);
Result<PartRecord> DecodePartRecord(std::string_view bytes);

std::string EncodeCompletionRecord(const CompletionRecord& completion);
Result<CompletionRecord> DecodeCompletionRecord(std::string_view bytes);

// One entry of an object record's part list: the part's fields without the version byte.
std::string EncodePartFields(const PartRecord& part);
Result<PartRecord> DecodePartFields(std::string_view bytes);

}  // namespace stratus::meta
