#include "bench/worker.h"

#include <fmt/format.h>

namespace stratus::bench {
namespace {

// Distinct error texts kept per worker; I/O messages can vary, the counts stay exact.
constexpr size_t kMaxErrorKinds = 64;

}  // namespace

WorkShared::WorkShared(const Plan& plan, const S3Ops& ops) : plan(plan), ops(ops) {
  for (const MixEntry& entry : plan.mix) total_weight += entry.weight;
  track_written = plan.mix.size() > 1 && plan.Issues(Op::kDeleteObject);
  next_fresh = plan.objects;
}

Worker::Worker(WorkShared& shared, Connection& connection, uint64_t rng_seed)
    : shared_(shared), connection_(connection), rng_state_(rng_seed) {}

// SplitMix64: tiny state, good enough to draw operations and keys.
uint64_t Worker::Next() {
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Op Worker::PickOp() {
  for (;;) {
    uint64_t r = Next() % shared_.total_weight;
    Op op = shared_.plan.mix.back().op;
    for (const MixEntry& entry : shared_.plan.mix) {
      if (r < entry.weight) {
        op = entry.op;
        break;
      }
      r -= entry.weight;
    }
    if (op != Op::kDeleteObject || !shared_.track_written) return op;
    // A mixed delete removes an object the run wrote; until there is one, draw again (the
    // mix holds a write, so this ends).
    std::lock_guard lock(shared_.written_mu);
    if (!shared_.written.empty()) return op;
  }
}

std::optional<Outcome> Worker::Execute(Op op) {
  const Plan& plan = shared_.plan;
  const S3Ops& ops = shared_.ops;
  switch (op) {
    case Op::kPutObject:
    case Op::kMultipartUpload: {
      const uint64_t index = shared_.next_fresh.fetch_add(1, std::memory_order_relaxed);
      const std::string key = ObjectKey(plan, index);
      Outcome outcome = op == Op::kPutObject ? ops.PutObject(connection_, key)
                                             : ops.MultipartUpload(connection_, key);
      if (outcome.ok && shared_.track_written) {
        std::lock_guard lock(shared_.written_mu);
        shared_.written.push_back(index);
      }
      return outcome;
    }
    case Op::kGetObject: {
      const bool verify = plan.verify_every > 0 && gets_++ % plan.verify_every == 0;
      return ops.GetObject(connection_, ObjectKey(plan, Next() % plan.objects), verify);
    }
    case Op::kHeadObject:
      return ops.HeadObject(connection_, ObjectKey(plan, Next() % plan.objects));
    case Op::kListObjectsV2:
      return ops.ListObjectsV2(connection_,
                               ListPrefix(plan, static_cast<uint32_t>(Next() % plan.prefixes)));
    case Op::kDeleteObject: {
      uint64_t index = 0;
      if (shared_.track_written) {
        std::lock_guard lock(shared_.written_mu);
        if (shared_.written.empty()) return std::nullopt;  // raced: nothing to delete
        index = shared_.written.front();
        shared_.written.pop_front();
      } else {
        index = shared_.next_delete.fetch_add(1, std::memory_order_relaxed);
        if (index >= plan.objects) return std::nullopt;
      }
      return ops.DeleteObject(connection_, ObjectKey(plan, index));
    }
  }
  return std::nullopt;
}

void Worker::Record(Op op, const Outcome& outcome, uint64_t nanos) {
  OpStats& s = stats_[static_cast<size_t>(op)];
  if (outcome.verified) ++s.verified;
  if (outcome.verify_failed) ++s.verify_failures;
  if (outcome.ok) {
    ++s.count;
    s.bytes += outcome.bytes;
    s.latency.Record(nanos);
    live_ops_.fetch_add(1, std::memory_order_relaxed);
    live_bytes_.fetch_add(outcome.bytes, std::memory_order_relaxed);
    return;
  }
  ++s.errors;
  live_errors_.fetch_add(1, std::memory_order_relaxed);
  std::string kind = fmt::format("{}: {}", OpName(op), outcome.error);
  if (errors_.size() < kMaxErrorKinds || errors_.contains(kind)) {
    ++errors_[kind];
  } else {
    ++errors_[fmt::format("{}: (other errors)", OpName(op))];
  }
}

void Worker::Run() {
  using Clock = std::chrono::steady_clock;
  const uint64_t count = shared_.plan.count;
  while (!shared_.stop.load(std::memory_order_relaxed) && Clock::now() < shared_.deadline) {
    if (count > 0 && shared_.issued.fetch_add(1, std::memory_order_relaxed) >= count) break;
    const Op op = PickOp();
    const Clock::time_point start = Clock::now();
    std::optional<Outcome> outcome = Execute(op);
    if (!outcome) {
      if (shared_.track_written) continue;  // a mixed delete that lost a race: draw again
      break;                                // "delete" alone ran out of objects
    }
    const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start);
    Record(op, *outcome, static_cast<uint64_t>(nanos.count()));
  }
  finished_ = Clock::now();
}

}  // namespace stratus::bench
