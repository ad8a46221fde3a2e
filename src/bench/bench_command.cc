#include "bench/bench_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>

#include "bench/plan.h"
#include "bench/runner.h"
#include "common/crypto.h"

namespace stratus::bench {

void AddBenchOptions(CLI::App& command, BenchOptions& o) {
  command.add_option("--endpoint", o.endpoint, "S3 endpoint: http(s)://host:port")
      ->capture_default_str();
  command.add_option("--access-key", o.access_key, "Access key id")->envname("AWS_ACCESS_KEY_ID");
  command.add_option("--secret-key", o.secret_key, "Secret access key")
      ->envname("AWS_SECRET_ACCESS_KEY");
  command.add_option("--region", o.region, "Region to sign for")->capture_default_str();
  command.add_option("--bucket", o.bucket,
                     "Bucket to use (created and removed if missing); default: a generated one");
  command.add_option("--op", o.op,
                     "Operation: put, get, head (or stat), list, delete, multipart, mixed "
                     "(default put)");
  command.add_option("--mix", o.mix,
                     "Weighted mix, implies --op mixed (default for mixed: "
                     "get=45,put=15,stat=30,delete=10)");
  command.add_option("--size", o.size, "Object size (4KiB, 1MiB, 64MiB) or range (1KiB-1MiB)")
      ->capture_default_str();
  command.add_option("--part-size", o.part_size, "Part size of multipart uploads")
      ->capture_default_str();
  command.add_option("--concurrency,-c", o.concurrency, "Parallel connections, one per worker")
      ->capture_default_str();
  command.add_option("--duration,-d", o.duration,
                     "How long to measure (30s, 2m, 1m30s); default 30s unless --count");
  command.add_option("--count", o.count, "Operations to run in total (0: no limit)");
  command
      .add_option("--objects", o.objects, "Objects created up front for get, head, list, delete")
      ->capture_default_str();
  command.add_option("--prefixes", o.prefixes, "Spread keys over this many prefixes")
      ->capture_default_str();
  command
      .add_option("--verify-every", o.verify_every,
                  "Verify the content of every Nth GET (0: never; sizes are always checked)")
      ->capture_default_str();
  command.add_option("--seed", o.seed, "Seed of the object contents (0: random)");
  command.add_flag("--json", o.json, "Print the report as JSON");
  command.add_flag("--quiet,-q", o.quiet, "No progress line on stderr");
  command.add_flag("--insecure", o.insecure, "Do not verify the server's TLS certificate");
  command.add_flag("--keep", o.keep, "Keep the objects and bucket (no cleanup)");
  command.add_flag("--discard", o.discard,
                   "Drop GET bodies that are not verified in the kernel (recv MSG_TRUNC, plain "
                   "HTTP only), so the client costs no copy: for comparing with a limit such as "
                   "nginx at large sizes");
  command.add_flag("--plain", o.plain,
                   "Plain HTTP file server (nginx with WebDAV PUT): unsigned requests, the bucket "
                   "is a directory; put, get, head, delete only");
}

int RunBench(const BenchOptions& options) {
  const std::string random = RandomBytes(12);
  uint64_t seed = 0;
  std::memcpy(&seed, random.data() + 4, sizeof seed);
  Result<Plan> plan = MakePlan(options, HexEncode(random.substr(0, 4)), seed | 1);
  if (!plan) {
    fmt::print(stderr, "stratus bench: {}\n", plan.error().message());
    return 1;
  }
  return Run(*plan);
}

}  // namespace stratus::bench
