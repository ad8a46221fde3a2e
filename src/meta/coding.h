// Little building blocks of the metadata record encoding (docs/formats/metadata.md):
// LEB128 varints and length-prefixed byte strings, appended to a std::string and read back
// from a string_view cursor.
//
// The readers never read past the end of their input and reject overlong or overflowing
// varints: they run on bytes from disk and are fuzzed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::meta {

void PutVarint(std::string& out, uint64_t value);
void PutLengthPrefixed(std::string& out, std::string_view bytes);

// Consumes a varint from the front of `in`; nullopt (and `in` unspecified) when truncated,
// longer than 10 bytes or larger than 64 bits.
std::optional<uint64_t> GetVarint(std::string_view& in);
// Consumes a varint length and that many bytes; nullopt when the input is too short.
std::optional<std::string_view> GetLengthPrefixed(std::string_view& in);

}  // namespace stratus::meta
