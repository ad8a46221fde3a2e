#include "bench/report.h"

#include <fmt/format.h>

#include <cmath>

namespace stratus::bench {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

double Ms(uint64_t ns) { return static_cast<double>(ns) / 1e6; }

double Rate(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0.0; }

// Rounds for JSON readers: 3 decimals are below any measurement's precision here.
double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

}  // namespace

void OpStats::Merge(const OpStats& other) {
  count += other.count;
  errors += other.errors;
  bytes += other.bytes;
  verified += other.verified;
  verify_failures += other.verify_failures;
  latency.Merge(other.latency);
}

std::vector<Op> Summary::Issued() const {
  std::vector<Op> issued;
  for (const MixEntry& entry : mix) issued.push_back(entry.op);
  return issued;
}

nlohmann::json ToJson(const Summary& summary) {
  nlohmann::json mix = nlohmann::json::array();
  for (const MixEntry& entry : summary.mix) {
    mix.push_back({{"operation", OpName(entry.op)}, {"weight", entry.weight}});
  }
  nlohmann::json operations = nlohmann::json::object();
  OpStats total;
  for (Op op : summary.Issued()) {
    const OpStats& s = summary.stats(op);
    total.Merge(s);
    operations[std::string(OpName(op))] = {
        {"count", s.count},
        {"errors", s.errors},
        {"bytes", s.bytes},
        {"ops_per_second", Round3(Rate(static_cast<double>(s.count), summary.seconds))},
        {"mib_per_second", Round3(Rate(static_cast<double>(s.bytes) / kMiB, summary.seconds))},
        {"latency_ms",
         {{"p50", Round3(Ms(s.latency.Percentile(0.50)))},
          {"p90", Round3(Ms(s.latency.Percentile(0.90)))},
          {"p99", Round3(Ms(s.latency.Percentile(0.99)))},
          {"max", Round3(Ms(s.latency.max()))},
          {"mean", Round3(s.latency.mean() / 1e6)}}},
        {"verified", s.verified},
        {"verify_failures", s.verify_failures},
    };
  }
  return {
      {"endpoint", summary.endpoint},
      {"bucket", summary.bucket},
      {"operation", summary.operation},
      {"mix", mix},
      {"size", {{"min", summary.sizes.min}, {"max", summary.sizes.max}}},
      {"part_size", summary.part_size},
      {"concurrency", summary.concurrency},
      {"objects", summary.objects},
      {"prefixes", summary.prefixes},
      {"duration_seconds", Round3(summary.seconds)},
      {"operations", operations},
      {"total",
       {{"count", total.count},
        {"errors", total.errors},
        {"bytes", total.bytes},
        {"ops_per_second", Round3(Rate(static_cast<double>(total.count), summary.seconds))},
        {"mib_per_second",
         Round3(Rate(static_cast<double>(total.bytes) / kMiB, summary.seconds))}}},
      {"errors", summary.errors},
  };
}

std::string FormatTable(const Summary& summary) {
  std::string sizes = summary.sizes.fixed()
                          ? FormatSize(summary.sizes.min)
                          : FormatSize(summary.sizes.min) + "-" + FormatSize(summary.sizes.max);
  std::string out = fmt::format(
      "stratus bench: {}, objects of {}, concurrency {}, {:.1f}s measured\n"
      "endpoint {}, bucket {}\n\n",
      summary.operation, sizes, summary.concurrency, summary.seconds, summary.endpoint,
      summary.bucket);
  out += fmt::format("{:<16} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7}\n", "operation",
                     "ops", "ops/s", "MiB/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors");
  OpStats total;
  for (Op op : summary.Issued()) {
    const OpStats& s = summary.stats(op);
    total.Merge(s);
    out +=
        fmt::format("{:<16} {:>9} {:>10.1f} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>7}\n",
                    OpName(op), s.count, Rate(static_cast<double>(s.count), summary.seconds),
                    Rate(static_cast<double>(s.bytes) / kMiB, summary.seconds),
                    Ms(s.latency.Percentile(0.5)), Ms(s.latency.Percentile(0.9)),
                    Ms(s.latency.Percentile(0.99)), Ms(s.latency.max()), s.errors);
  }
  if (summary.mix.size() > 1) {
    out +=
        fmt::format("{:<16} {:>9} {:>10.1f} {:>9.2f} {:>49}\n", "total", total.count,
                    Rate(static_cast<double>(total.count), summary.seconds),
                    Rate(static_cast<double>(total.bytes) / kMiB, summary.seconds), total.errors);
  }
  for (Op op : summary.Issued()) {
    const OpStats& s = summary.stats(op);
    if (s.verified + s.verify_failures > 0) {
      out += fmt::format("\n{}: {} objects verified, {} mismatches", OpName(op), s.verified,
                         s.verify_failures);
    }
  }
  if (!summary.errors.empty()) {
    out += "\n\nerrors:";
    for (const auto& [kind, n] : summary.errors) out += fmt::format("\n  {:>8}  {}", n, kind);
  }
  out += '\n';
  return out;
}

}  // namespace stratus::bench
