// Tagged-field coding shared by the record codecs (record_codec.cc, upload_codec.cc): a
// record is a version byte, then fields of varint tag + length-prefixed payload
// (docs/formats/metadata.md, "Encoding").
#pragma once

#include <bitset>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace stratus::meta {

// The error of a record that does not decode.
Status Corrupt(std::string_view what);

void PutField(std::string& out, uint64_t tag, std::string_view payload);
void PutUintField(std::string& out, uint64_t tag, uint64_t value);
void PutPairField(std::string& out, uint64_t tag, std::string_view name, std::string_view value);

struct Field {
  uint64_t tag;
  std::string_view payload;
};

// Walks tagged fields, rejecting unknown tags and repeats of single-valued ones.
class Fields {
 public:
  Fields(std::string_view bytes, uint64_t max_tag, std::initializer_list<uint64_t> repeatable);

  // Checks and skips the record's format version byte.
  Status SkipVersion();
  // nullopt at the end of the record.
  Result<std::optional<Field>> Next();

 private:
  std::string_view in_;
  uint64_t max_tag_;
  std::bitset<64> repeatable_;
  std::bitset<64> seen_;
};

Result<uint64_t> ParseUint(const Field& field);
Result<std::pair<std::string, std::string>> ParsePair(const Field& field);

}  // namespace stratus::meta
