#include "meta/field_coding.h"

#include "meta/coding.h"
#include "meta/record_codec.h"

namespace stratus::meta {

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

Fields::Fields(std::string_view bytes, uint64_t max_tag, std::initializer_list<uint64_t> repeatable)
    : in_(bytes), max_tag_(max_tag) {
  for (uint64_t tag : repeatable) repeatable_.set(tag);
}

Status Fields::SkipVersion() {
  if (in_.empty()) return Corrupt("empty");
  auto version = static_cast<uint8_t>(in_.front());
  if (version == 0 || version > kRecordFormatVersion) {
    return Corrupt("unknown format version " + std::to_string(version));
  }
  in_.remove_prefix(1);
  return Status::Ok();
}

Result<std::optional<Field>> Fields::Next() {
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

}  // namespace stratus::meta
