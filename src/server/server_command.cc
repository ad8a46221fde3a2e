#include "server/server_command.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "auth/credentials.h"
#include "http/server.h"
#include "meta/rocksdb/rocksdb_meta_store.h"
#include "s3/api.h"
#include "s3/error_response.h"
#include "s3/multipart_expiry.h"
#include "server/root_credentials.h"
#include "storage/local/local_backend.h"

namespace stratus::server {
namespace {

Status PrepareDataDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Internal("create " + dir + ": " + ec.message());
  return Status::Ok();
}

int Fail(const Status& status) {
  spdlog::critical("{}", status.ToString());
  return 1;
}

}  // namespace

void AddServerOptions(CLI::App& command, ServerOptions& options) {
  command.add_option("dir", options.data_dir, "Data directory (created if missing)")
      ->required()
      ->envname("STRATUS_DATA_DIR");
  command.add_option("--address", options.address, "Listen address host:port (port 0: any free)")
      ->envname("STRATUS_ADDRESS")
      ->capture_default_str();
  command
      .add_option("--domain", options.domain,
                  "Domain for virtual-hosted-style requests (<bucket>.<domain>)")
      ->envname("STRATUS_DOMAIN");
  command.add_option("--region", options.region, "Region this endpoint serves")
      ->envname("STRATUS_REGION")
      ->capture_default_str();
  command.add_option("--tls-cert", options.tls_cert, "TLS certificate chain (PEM): serve HTTPS")
      ->envname("STRATUS_TLS_CERT");
  command.add_option("--tls-key", options.tls_key, "TLS private key (PEM)")
      ->envname("STRATUS_TLS_KEY");
  command
      .add_option("--upload-expiry", options.upload_expiry_seconds,
                  "Seconds after which incomplete multipart uploads are aborted")
      ->envname("STRATUS_UPLOAD_EXPIRY")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      .add_option("--complete-retry-window", options.complete_retry_window_seconds,
                  "Seconds a completed multipart upload is remembered so that a retried "
                  "CompleteMultipartUpload gets the first answer (0: never)")
      ->envname("STRATUS_COMPLETE_RETRY_WINDOW")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command
      .add_option("--min-body-rate", options.min_body_rate,
                  "Bytes/s a request body must average after a 5 s grace, else 400 "
                  "RequestTimeout (0: only the 30 s stall timeout)")
      ->envname("STRATUS_MIN_BODY_RATE")
      ->capture_default_str();
  command
      .add_option("--max-connections-per-client", options.max_connections_per_client,
                  "Open connections per client address (IPv6: per /64) before SlowDown (0: any)")
      ->envname("STRATUS_MAX_CONNECTIONS_PER_CLIENT")
      ->capture_default_str();
  command
      .add_option("--max-requests-per-client", options.max_requests_per_client,
                  "Requests per client address being handled at once before SlowDown (0: any)")
      ->envname("STRATUS_MAX_REQUESTS_PER_CLIENT")
      ->capture_default_str();
  command
      .add_option("--max-requests-in-flight", options.max_requests_in_flight,
                  "Requests being handled at once, most waiting on slow clients, before "
                  "SlowDown")
      ->envname("STRATUS_MAX_REQUESTS_IN_FLIGHT")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      .add_option("--parsed-body-memory", options.parsed_body_memory,
                  "Bytes all XML request bodies parsed in memory may hold at once (each "
                  "charged 3x its size), before SlowDown")
      ->envname("STRATUS_PARSED_BODY_MEMORY")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

int RunServer(const ServerOptions& options) {
  // Signals are taken by a waiting thread below, never by whichever thread they interrupt.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return Fail(Status(ErrorCode::kInvalidArgument, "--tls-cert and --tls-key go together"));
  }
  if (Status s = PrepareDataDir(options.data_dir); !s.ok()) return Fail(s);
  auto root = LoadOrCreateRootCredentials(options.data_dir);
  if (!root) return Fail(root.error());
  auto meta =
      meta::OpenRocksDbMetaStore((std::filesystem::path(options.data_dir) / "meta").string());
  if (!meta) return Fail(meta.error());
  auto backend = storage::OpenLocalBackend(options.data_dir);
  if (!backend) return Fail(backend.error());
  // Data a crash left behind (unfinished writes, files no record took) goes before serving.
  Status swept = (*backend)->SweepOrphans(
      [&](std::string_view data_id) { return (*meta)->IsDataReferenced(data_id); });
  if (!swept.ok()) return Fail(swept);

  auth::StaticCredentialStore credentials;
  credentials.Add(root->credential);
  s3::ApiConfig api_config{.region = options.region, .domain = options.domain};
  api_config.upload_expiry = std::chrono::seconds(options.upload_expiry_seconds);
  api_config.complete_retry_window = std::chrono::seconds(options.complete_retry_window_seconds);
  api_config.parsed_body_budget_bytes = options.parsed_body_memory;
  s3::Api api(api_config, **meta, **backend, credentials);
  // Sweeps once now, then periodically, for uploads nobody completed or aborted and for
  // completions past their retry window.
  s3::UploadExpirer expirer(
      **meta, **backend, api_config.upload_expiry, api_config.complete_retry_window,
      s3::UploadExpirer::DefaultPeriod(
          std::max(std::chrono::seconds(1),
                   std::min(api_config.upload_expiry, api_config.complete_retry_window))));

  http::ServerOptions http_options;
  http_options.address = options.address;
  http_options.tls_cert_file = options.tls_cert;
  http_options.tls_key_file = options.tls_key;
  http_options.min_body_rate = options.min_body_rate;
  http_options.max_connections_per_client = options.max_connections_per_client;
  http_options.max_requests_per_client = options.max_requests_per_client;
  http_options.max_in_flight = options.max_requests_in_flight;
  http::Server server(
      http_options, [&](http::Request& request) { return api.Handle(request); },
      [](const Status& error, const http::Request& request) {
        return s3::ErrorResponse(error, request);
      },
      [&](http::Request& request, http::Responder respond) {
        return api.HandleInline(request, respond);
      });
  if (Status s = server.Start(); !s.ok()) return Fail(s);

  const char* scheme = options.tls_cert.empty() ? "http" : "https";
  std::string host = options.address.substr(0, options.address.rfind(':'));
  std::printf("stratus listening on %s://%s:%u\n", scheme, host.c_str(), server.port());
  std::printf("  region:        %s\n", options.region.c_str());
  std::printf("  root user:     %s\n", root->credential.access_key.c_str());
  // The password is shown once, when it is made: output often ends up in logs, and an
  // operator who set it or can read the file already has it.
  switch (root->source) {
    case RootCredentials::Source::kCreated:
      std::printf("  root password: %s\n", root->credential.secret_key.c_str());
      std::printf("  (created now, shown only this once; saved in %s, mode 0600)\n",
                  root->file.c_str());
      break;
    case RootCredentials::Source::kFile:
      std::printf("  root password: in %s\n", root->file.c_str());
      break;
    case RootCredentials::Source::kEnvironment:
      std::printf("  root password: from STRATUS_ROOT_PASSWORD\n");
      break;
  }
  std::fflush(stdout);

  std::thread stopper([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("signal {}: finishing in-flight requests", signal);
    server.Stop();
  });
  server.Run();
  // Run() returned without a signal (e.g. a fatal listener error): release the waiting thread.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return 0;
}

}  // namespace stratus::server
