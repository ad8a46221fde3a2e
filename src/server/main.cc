// The stratus binary: subcommands over the server and its tools.
#include <CLI/CLI.hpp>

#include "bench/bench_command.h"
#include "server/server_command.h"

int main(int argc, char** argv) {
  CLI::App app{"stratus: an S3-compatible object store"};
  app.require_subcommand(1);
  stratus::server::ServerOptions options;
  CLI::App* server = app.add_subcommand("server", "Serve the S3 API from a data directory");
  stratus::server::AddServerOptions(*server, options);
  stratus::bench::BenchOptions bench_options;
  CLI::App* bench = app.add_subcommand("bench", "Measure an S3 endpoint (a load generator)");
  stratus::bench::AddBenchOptions(*bench, bench_options);
  CLI11_PARSE(app, argc, argv);
  if (server->parsed()) return stratus::server::RunServer(options);
  if (bench->parsed()) return stratus::bench::RunBench(bench_options);
  return 0;
}
