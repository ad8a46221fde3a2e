// `stratus server DIR`: the wiring of every module into a running S3 endpoint. This is the
// only place that knows them all (DESIGN.md: server -> s3 -> auth, meta, storage -> http).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace stratus::server {

struct ServerOptions {
  std::string data_dir;
  std::string address = "127.0.0.1:9000";
  std::string domain;
  std::string region = "us-east-1";
  std::string tls_cert;
  std::string tls_key;
  int64_t upload_expiry_seconds = 7 * 24 * 3600;      // incomplete multipart uploads
  int64_t complete_retry_window_seconds = 24 * 3600;  // completed uploads, for retries
  // Slow and greedy clients (http::ServerOptions has the why of each).
  size_t min_body_rate = 240;  // bytes/s
  size_t max_connections_per_client = 1000;
  size_t max_requests_per_client = 256;
  size_t max_requests_in_flight = 1024;
  size_t parsed_body_memory = 256 << 20;  // s3::ApiConfig::parsed_body_budget_bytes
};

// Flags, each also read from a STRATUS_* environment variable.
void AddServerOptions(CLI::App& command, ServerOptions& options);

// Runs until SIGTERM or SIGINT, then finishes in-flight requests. Returns the exit code.
int RunServer(const ServerOptions& options);

}  // namespace stratus::server
