// What the fuzz targets share: FUZZ_CHECK for their invariants, and helpers to compare two
// parses of one input. A failed check prints itself and aborts, so the driver (or libFuzzer)
// keeps the input. Checks are on in every build type, unlike assert().
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

#include "common/status.h"

#define FUZZ_CHECK(condition)                                                       \
  do {                                                                              \
    if (!(condition)) ::stratus::fuzz::CheckFailed(#condition, __FILE__, __LINE__); \
  } while (0)

namespace stratus::fuzz {

[[noreturn]] inline void CheckFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", file, line, condition);
  std::abort();
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Both parses succeeded with equal values, or both failed alike.
template <typename T, typename Equal>
bool SameResult(const Result<T>& a, const Result<T>& b, Equal equal) {
  if (a.has_value() != b.has_value()) return false;
  return a ? equal(*a, *b) : a.error().ToString() == b.error().ToString();
}

// A failed parse's code is one of `codes`, the errors the parser documents.
template <typename T>
bool FailsWithOneOf(const Result<T>& result, std::initializer_list<ErrorCode> codes) {
  for (ErrorCode code : codes) {
    if (result.error().code() == code) return true;
  }
  return false;
}

}  // namespace stratus::fuzz
