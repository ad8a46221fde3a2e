// What a run measured, merged over workers, and its two renderings: a human table and JSON
// (--json). Rates are over the measured phase only (the prepare and cleanup phases are not
// measured). Pure functions; a Summary is built once, after the workers stopped.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/histogram.h"
#include "bench/operation.h"
#include "bench/parse.h"

namespace stratus::bench {

// One operation's outcomes. Latency (nanoseconds, request sent to response fully read) is
// recorded for successful operations only.
struct OpStats {
  uint64_t count = 0;   // successful
  uint64_t errors = 0;  // HTTP errors, I/O failures and verification mismatches
  uint64_t bytes = 0;   // object bytes written or read by successful operations
  uint64_t verified = 0;
  uint64_t verify_failures = 0;
  Histogram latency;

  void Merge(const OpStats& other);
};

struct Summary {
  std::string endpoint;
  std::string bucket;
  std::string operation;  // "put", ..., or "mixed"
  std::vector<MixEntry> mix;
  SizeRange sizes;
  uint64_t part_size = 0;
  int concurrency = 0;
  uint64_t objects = 0;
  uint32_t prefixes = 1;
  double seconds = 0;  // measured wall time
  std::array<OpStats, kOpCount> ops;
  std::map<std::string, uint64_t> errors;  // "GetObject: 404 NoSuchKey" -> how many

  const OpStats& stats(Op op) const { return ops[static_cast<size_t>(op)]; }
  OpStats& stats(Op op) { return ops[static_cast<size_t>(op)]; }
  // The operations the run issued (those of the mix), in the mix's order.
  std::vector<Op> Issued() const;
};

nlohmann::json ToJson(const Summary& summary);
std::string FormatTable(const Summary& summary);

}  // namespace stratus::bench
