#include "bench/runner.h"

#include <unistd.h>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/client.h"
#include "bench/payload.h"
#include "bench/report.h"
#include "bench/s3_ops.h"
#include "bench/worker.h"
#include "common/crypto.h"

namespace stratus::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> g_interrupted{false};

void OnInterrupt(int) { g_interrupted.store(true); }

// Requests still running this long after the deadline are cut off (their sockets shut down).
constexpr auto kGrace = std::chrono::seconds(60);

class BenchRun {
 public:
  explicit BenchRun(const Plan& plan)
      : plan_(plan),
        tls_(boost::asio::ssl::context::tls_client),
        payload_(plan.seed, plan.sizes),
        ops_(plan, payload_) {
    if (plan.endpoint.tls) {
      tls_.set_default_verify_paths();
      tls_.set_verify_mode(plan.insecure ? boost::asio::ssl::verify_none
                                         : boost::asio::ssl::verify_peer);
    }
    for (int i = 0; i < plan.concurrency; ++i) {
      connections_.push_back(
          std::make_unique<Connection>(io_, &tls_, plan.endpoint, plan.credentials));
    }
  }

  int Execute();

 private:
  void Progress(std::string_view line) const;
  void EndProgress() const;
  // Nothing with --plain: the bucket is a directory the file server creates on PUT.
  Status SetUpBucket();
  // Calls fn(connection, i) for i in [0, total) from up to --concurrency threads; stops at the
  // first failure or interrupt and returns it.
  Status ParallelFor(uint64_t total, std::string_view label,
                     const std::function<Status(Connection&, uint64_t)>& fn);
  Status Prepare();
  Summary Measure();
  // Deletes the run's objects: those listed under its prefix or, with --plain (nothing to list
  // with), every key index it may have written.
  Status CleanUp();

  const Plan& plan_;
  boost::asio::io_context io_;
  boost::asio::ssl::context tls_;
  Payload payload_;
  S3Ops ops_;
  std::vector<std::unique_ptr<Connection>> connections_;
  bool created_bucket_ = false;
  uint64_t written_end_ = 0;  // key indices [0, written_end_) are all the run may have written
  bool tty_ = isatty(STDERR_FILENO) != 0;
};

void BenchRun::Progress(std::string_view line) const {
  if (plan_.quiet) return;
  if (tty_) {
    fmt::print(stderr, "\r\033[K{}", line);
  } else {
    fmt::print(stderr, "{}\n", line);
  }
  std::fflush(stderr);
}

void BenchRun::EndProgress() const {
  if (!plan_.quiet && tty_) fmt::print(stderr, "\n");
}

Status BenchRun::SetUpBucket() {
  if (plan_.plain) return Status::Ok();
  Connection& c = *connections_.front();
  if (!plan_.generated_bucket) {
    ASSIGN_OR_RETURN(bool exists, ops_.BucketExists(c));
    if (exists) return Status::Ok();
  }
  RETURN_IF_ERROR(ops_.CreateBucket(c));
  created_bucket_ = true;
  return Status::Ok();
}

Status BenchRun::ParallelFor(uint64_t total, std::string_view label,
                             const std::function<Status(Connection&, uint64_t)>& fn) {
  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> done{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first_error;
  const size_t threads =
      static_cast<size_t>(std::min<uint64_t>(total, static_cast<uint64_t>(connections_.size())));
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (;;) {
        if (failed.load() || g_interrupted.load()) return;
        const uint64_t i = next.fetch_add(1);
        if (i >= total) return;
        Status s = fn(*connections_[t], i);
        if (!s.ok()) {
          std::lock_guard lock(mu);
          if (first_error.ok()) first_error = std::move(s);
          failed.store(true);
          return;
        }
        done.fetch_add(1);
      }
    });
  }
  // Reports once a second until the threads are through.
  std::thread reporter;
  std::atomic<bool> finished{false};
  if (!label.empty()) {
    reporter = std::thread([&] {
      while (!finished.load()) {
        for (int i = 0; i < 10 && !finished.load(); ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        Progress(fmt::format("{}: {}/{}", label, done.load(), total));
      }
    });
  }
  for (std::thread& thread : pool) thread.join();
  finished.store(true);
  if (reporter.joinable()) {
    reporter.join();
    EndProgress();
  }
  if (!first_error.ok()) return first_error;
  if (g_interrupted.load()) return Status::Internal("interrupted");
  return Status::Ok();
}

Status BenchRun::Prepare() {
  if (plan_.objects == 0) return Status::Ok();
  return ParallelFor(plan_.objects, "prepare: uploading objects", [&](Connection& c, uint64_t i) {
    const std::string key = ObjectKey(plan_, i);
    Outcome outcome = ops_.PutObject(c, key);
    if (!outcome.ok) return Status::Internal(fmt::format("prepare {}: {}", key, outcome.error));
    return Status::Ok();
  });
}

Summary BenchRun::Measure() {
  WorkShared shared(plan_, ops_);
  std::vector<std::unique_ptr<Worker>> workers;
  const uint64_t seed_base = plan_.seed * 0x9e3779b97f4a7c15ULL;
  for (size_t i = 0; i < connections_.size(); ++i) {
    workers.push_back(std::make_unique<Worker>(shared, *connections_[i], seed_base + i));
  }
  const Clock::time_point start = Clock::now();
  if (plan_.duration.count() > 0) shared.deadline = start + plan_.duration;
  std::atomic<size_t> running{workers.size()};
  std::vector<std::thread> threads;
  for (auto& worker : workers) {
    threads.emplace_back([&running, w = worker.get()] {
      w->Run();
      running.fetch_sub(1);
    });
  }

  uint64_t last_ops = 0, last_bytes = 0;
  Clock::time_point last = start;
  bool aborted = false;
  while (running.load() > 0) {
    std::this_thread::sleep_until(
        std::min(last + std::chrono::seconds(1), Clock::now() + std::chrono::milliseconds(100)));
    if (g_interrupted.load()) shared.stop.store(true);
    const Clock::time_point now = Clock::now();
    if (!aborted && plan_.duration.count() > 0 && now > shared.deadline + kGrace) {
      for (auto& c : connections_) c->Abort();
      aborted = true;
    }
    if (now - last < std::chrono::seconds(1)) continue;
    uint64_t ops = 0, bytes = 0, errors = 0;
    for (const auto& w : workers) {
      ops += w->live_ops();
      bytes += w->live_bytes();
      errors += w->live_errors();
    }
    const double dt = std::chrono::duration<double>(now - last).count();
    Progress(fmt::format("{:>5.0f}s  {:>9.1f} ops/s  {:>9.2f} MiB/s  {} ops  {} errors",
                         std::chrono::duration<double>(now - start).count(),
                         static_cast<double>(ops - last_ops) / dt,
                         static_cast<double>(bytes - last_bytes) / dt / (1024.0 * 1024.0), ops,
                         errors));
    last_ops = ops;
    last_bytes = bytes;
    last = now;
  }
  for (std::thread& t : threads) t.join();
  EndProgress();
  written_end_ = shared.next_fresh.load();

  Summary summary;
  summary.endpoint = plan_.endpoint_url;
  summary.bucket = plan_.bucket;
  summary.operation = plan_.operation;
  summary.mix = plan_.mix;
  summary.sizes = plan_.sizes;
  summary.part_size = plan_.part_size;
  summary.concurrency = plan_.concurrency;
  summary.objects = plan_.objects;
  summary.prefixes = plan_.prefixes;
  Clock::time_point end = start;
  for (const auto& w : workers) {
    end = std::max(end, w->finished());
    for (size_t i = 0; i < kOpCount; ++i) summary.ops[i].Merge(w->stats()[i]);
    for (const auto& [kind, n] : w->errors()) summary.errors[kind] += n;
  }
  summary.seconds = std::chrono::duration<double>(end - start).count();
  return summary;
}

Status BenchRun::CleanUp() {
  g_interrupted.store(false);  // an interrupted run still removes what it created
  if (plan_.plain) {
    // Includes keys already deleted or never written (a failed PUT): those answer 404.
    return ParallelFor(written_end_, "cleanup: deleting objects", [&](Connection& c, uint64_t i) {
      return ops_.RemoveObject(c, ObjectKey(plan_, i));
    });
  }
  Connection& c = *connections_.front();
  std::optional<std::string> continuation;
  uint64_t removed = 0;
  do {
    ASSIGN_OR_RETURN(ListPage page, ops_.ListKeys(c, plan_.run_prefix + "/", continuation));
    RETURN_IF_ERROR(ParallelFor(page.keys.size(), "", [&](Connection& conn, uint64_t i) {
      return ops_.RemoveObject(conn, page.keys[i]);
    }));
    removed += page.keys.size();
    continuation = std::move(page.continuation);
    Progress(fmt::format("cleanup: {} objects removed", removed));
  } while (continuation);
  EndProgress();
  if (created_bucket_) RETURN_IF_ERROR(ops_.DeleteBucket(c));
  return Status::Ok();
}

int BenchRun::Execute() {
  if (Status s = SetUpBucket(); !s.ok()) {
    fmt::print(stderr, "stratus bench: {}\n", s.message());
    return 1;
  }
  int code = 0;
  written_end_ = plan_.objects;  // until Measure() knows more
  if (Status s = Prepare(); !s.ok()) {
    fmt::print(stderr, "stratus bench: {}\n", s.message());
    code = 1;
  } else {
    Summary summary = Measure();
    if (plan_.json) {
      fmt::print("{}\n", ToJson(summary).dump(2));
    } else {
      fmt::print("{}", FormatTable(summary));
    }
    std::fflush(stdout);
    for (const OpStats& s : summary.ops) {
      if (s.errors > 0) code = 2;
    }
  }
  if (plan_.cleanup) {
    if (Status s = CleanUp(); !s.ok()) {
      fmt::print(stderr, "stratus bench: cleanup: {}\n", s.message());
      if (code == 0) code = 2;
    }
  }
  return code;
}

}  // namespace

int Run(const Plan& plan) {
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  BenchRun run(plan);
  return run.Execute();
}

}  // namespace stratus::bench
