// Parsers of the bench command line's values: sizes ("4KiB", "1KiB-1MiB"), durations ("30s",
// "1m30s") and operation mixes ("get=45,put=15,stat=30,delete=10"). Pure and thread-safe;
// errors are kInvalidArgument with a message naming the bad text.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/operation.h"
#include "common/status.h"

namespace stratus::bench {

// "4096", "4KiB", "1MiB", "64MiB", "1GiB" (binary units; "K"/"M"/"G" too) or "4KB", "1MB"
// (decimal). Case-insensitive; no fractions.
Result<uint64_t> ParseSize(std::string_view text);

// Object sizes: one size, or an inclusive range "1KiB-1MiB" (each object's size is drawn
// uniformly from it).
struct SizeRange {
  uint64_t min = 0;
  uint64_t max = 0;
  bool fixed() const { return min == max; }
};
Result<SizeRange> ParseSizeRange(std::string_view text);

// "1MiB" for 1048576, "1.5KiB" for 1536: the unit that keeps the number readable.
std::string FormatSize(uint64_t bytes);

// Go-style durations: "30s", "500ms", "2m", "1h", "1m30s"; a bare number means seconds.
Result<std::chrono::nanoseconds> ParseDuration(std::string_view text);

// One operation and its relative weight in a mixed workload.
struct MixEntry {
  Op op;
  uint32_t weight;
};
// "get=45,put=15,stat=30,delete=10": weights are relative (they need not sum to 100), each
// positive, each operation at most once.
Result<std::vector<MixEntry>> ParseMix(std::string_view text);

}  // namespace stratus::bench
