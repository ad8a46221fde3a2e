#include "meta/coding.h"

namespace stratus::meta {

void PutVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void PutLengthPrefixed(std::string& out, std::string_view bytes) {
  PutVarint(out, bytes.size());
  out.append(bytes);
}

std::optional<uint64_t> GetVarint(std::string_view& in) {
  uint64_t value = 0;
  for (int i = 0; i < 10; ++i) {
    if (in.empty()) return std::nullopt;
    auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    // The tenth byte may only carry the 64th bit.
    if (i == 9 && byte > 1) return std::nullopt;
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

std::optional<std::string_view> GetLengthPrefixed(std::string_view& in) {
  std::optional<uint64_t> length = GetVarint(in);
  if (!length || *length > in.size()) return std::nullopt;
  std::string_view bytes = in.substr(0, *length);
  in.remove_prefix(*length);
  return bytes;
}

}  // namespace stratus::meta
