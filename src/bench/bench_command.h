// `stratus bench`: a load generator for any S3 endpoint (stratus or another), in the manner of
// MinIO's warp. It creates a bucket (or uses --bucket), uploads the objects that reads need
// (not measured), runs one operation or a weighted mix from --concurrency keep-alive
// connections for --duration or --count operations, prints per-operation throughput and
// latency percentiles (a table, or --json), and removes what it created. With --plain it drives
// a plain HTTP file server instead (nginx with WebDAV PUT/DELETE): unsigned requests, no bucket
// requests, cleanup by key index. docs/performance.md describes the method.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace stratus::bench {

struct BenchOptions {
  std::string endpoint = "http://127.0.0.1:9000";
  std::string access_key;  // also AWS_ACCESS_KEY_ID
  std::string secret_key;  // also AWS_SECRET_ACCESS_KEY
  std::string region = "us-east-1";
  std::string bucket;  // empty: a generated name, created and removed
  std::string op;      // put (default), get, head, stat, list, delete, multipart, mixed
  std::string mix;     // "get=45,put=15,stat=30,delete=10"; implies mixed
  std::string size = "1MiB";
  std::string part_size = "5MiB";
  int concurrency = 16;
  std::string duration;  // default 30s unless --count is given
  uint64_t count = 0;    // total operations; 0: no limit
  uint64_t objects = 1000;
  uint32_t prefixes = 1;
  uint32_t verify_every = 10;  // verify every Nth GET's content; 0: never
  uint64_t seed = 0;           // 0: random
  bool json = false;
  bool quiet = false;
  bool insecure = false;
  bool keep = false;
  bool plain = false;    // a plain HTTP file server: no signing, no bucket or listing requests
  bool discard = false;  // GET bodies not verified are dropped in the kernel (MSG_TRUNC)
};

void AddBenchOptions(CLI::App& command, BenchOptions& options);

// Runs the benchmark and prints its report on stdout. Exit code: 0 when every operation
// succeeded, 2 when some failed or read back wrong bytes, 1 when the run could not start or
// prepare (bad options, unreachable endpoint, bucket or prepare failure).
int RunBench(const BenchOptions& options);

}  // namespace stratus::bench
