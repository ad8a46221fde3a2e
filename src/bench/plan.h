// A Plan is the validated, resolved form of BenchOptions: parsed sizes, durations and mix, the
// bucket name and this run's key prefix. Keys are a pure function of the plan and an index, so
// workers share no key lists. Pure and thread-safe once made.
//
// Key layout: "<run>/<index>" or, with --prefixes N > 1, "<run>/p<index % N>/<index>", where
// <run> is "bench-<run id>". Indices [0, objects) are the prepared objects that reads use;
// writes (put, multipart) take fresh indices from `objects` upward.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_command.h"
#include "bench/client.h"
#include "bench/parse.h"
#include "common/status.h"

namespace stratus::bench {

struct Plan {
  Endpoint endpoint;
  std::string endpoint_url;
  std::optional<Credentials> credentials;  // nullopt: unsigned requests (--plain)
  bool discard = false;                    // BenchOptions::discard
  bool plain = false;  // a plain HTTP file server: no bucket requests, cleanup by key index
  bool insecure = false;
  std::string bucket;
  bool generated_bucket = false;
  std::string operation;  // as the report names the run: "put", ..., "mixed"
  std::vector<MixEntry> mix;
  SizeRange sizes;
  uint64_t part_size = 0;
  int concurrency = 1;
  std::chrono::nanoseconds duration{0};  // 0: no time limit
  uint64_t count = 0;                    // 0: no operation limit
  uint64_t objects = 0;                  // prepared objects (0 when nothing reads)
  uint32_t prefixes = 1;
  uint32_t verify_every = 0;
  uint64_t seed = 0;
  std::string run_prefix;  // "bench-<run id>"
  bool json = false;
  bool quiet = false;
  bool cleanup = true;

  bool Issues(Op op) const;
  // Only "delete" alone consumes the prepared objects (each once).
  bool DeletesPrepared() const { return mix.size() == 1 && mix[0].op == Op::kDeleteObject; }
};

// Validates and resolves the options. run_id names the generated bucket and the key prefix;
// `random_seed` is used when options.seed is 0.
Result<Plan> MakePlan(const BenchOptions& options, std::string_view run_id, uint64_t random_seed);

std::string ObjectKey(const Plan& plan, uint64_t index);
// The prefix ListObjectsV2 lists: "<run>/p<prefix>/" or "<run>/".
std::string ListPrefix(const Plan& plan, uint32_t prefix);

}  // namespace stratus::bench
