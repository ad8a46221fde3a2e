// One load-generating worker: a thread's loop over its connection, drawing operations from the
// plan's mix and recording outcomes into its own statistics (merged after the run), with
// relaxed atomic counters the progress line reads while it runs. The state all workers share
// (stop flag, operation budget, fresh key indices, written keys that mixed deletes remove) is
// in WorkShared.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "bench/client.h"
#include "bench/plan.h"
#include "bench/report.h"
#include "bench/s3_ops.h"

namespace stratus::bench {

struct WorkShared {
  WorkShared(const Plan& plan, const S3Ops& ops);

  const Plan& plan;
  const S3Ops& ops;
  uint32_t total_weight = 0;
  bool track_written = false;  // a mix with delete: remember what puts wrote
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> issued{0};       // against plan.count
  std::atomic<uint64_t> next_fresh{0};   // key indices for writes, from plan.objects up
  std::atomic<uint64_t> next_delete{0};  // "delete" alone: prepared objects in order
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

  std::mutex written_mu;
  std::deque<uint64_t> written;  // GUARDED_BY(written_mu): oldest first
};

class Worker {
 public:
  Worker(WorkShared& shared, Connection& connection, uint64_t rng_seed);

  // Runs until stopped, out of time or out of operations.
  void Run();

  const std::array<OpStats, kOpCount>& stats() const { return stats_; }
  const std::map<std::string, uint64_t>& errors() const { return errors_; }
  uint64_t live_ops() const { return live_ops_.load(std::memory_order_relaxed); }
  uint64_t live_bytes() const { return live_bytes_.load(std::memory_order_relaxed); }
  uint64_t live_errors() const { return live_errors_.load(std::memory_order_relaxed); }
  std::chrono::steady_clock::time_point finished() const { return finished_; }

 private:
  uint64_t Next();
  Op PickOp();
  // Runs one operation; nullopt when there was nothing left to do (delete alone ran out).
  std::optional<Outcome> Execute(Op op);
  void Record(Op op, const Outcome& outcome, uint64_t nanos);

  WorkShared& shared_;
  Connection& connection_;
  uint64_t rng_state_;
  uint64_t gets_ = 0;
  std::array<OpStats, kOpCount> stats_;
  std::map<std::string, uint64_t> errors_;
  std::atomic<uint64_t> live_ops_{0};
  std::atomic<uint64_t> live_bytes_{0};
  std::atomic<uint64_t> live_errors_{0};
  std::chrono::steady_clock::time_point finished_;
};

}  // namespace stratus::bench
