// The HTTP/1.1 server: accepts connections, parses requests and runs the Handler for each.
//
// Threading (docs/decisions/0001-http-threading.md):
//  - io threads (one per core) run every socket operation: accept, TLS handshakes, header
//    reads, keep-alive, timeouts. Each connection lives on its own strand; io threads never
//    block.
//  - Handlers run on a bounded WorkerPool, each on its own fiber, and may block on the disk.
//    A handler's body reads and the response writes are posted to the connection's strand as
//    async operations; the handler parks until each completes (so only the strand ever
//    touches the socket, and a slow client holds a parked fiber, not a worker thread:
//    docs/decisions/0002-parked-handlers.md).
//  - Responses stream in ~1 MiB chunks, reading the next chunk while the previous is written.
//  - A full pool (busy workers + max_pending queued, or max_in_flight handlers started and
//    unfinished) answers SlowDown without the handler.
//  - An optional InlineHandler may answer a request whose body is in memory on the io thread
//    (a small PUT: verified there, its write grouped with others by the store), or hand it on
//    to the pool.
//  - Stop() stops accepting, closes idle connections, lets in-flight requests finish within
//    grace_period, then closes what is left; Run() returns once all connections are gone.
// Server is thread-safe: Stop() may be called from any thread (e.g. a signal_set handler).
#pragma once

#include <cstdint>
#include <memory>

#include "common/status.h"
#include "http/request.h"
#include "http/server_options.h"

namespace stratus::http {

class Server {
 public:
  Server(ServerOptions options, Handler handler, ErrorResponder error_responder,
         InlineHandler inline_handler = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens (SO_REUSEADDR), loads the TLS certificate if configured.
  Status Start();
  // The bound port, known after Start() (useful with port 0).
  uint16_t port() const;
  // Runs the io threads on this thread and io_threads - 1 others; returns after Stop() has
  // drained every connection (or Start() was not called / failed).
  void Run();
  // Graceful shutdown; idempotent; callable from any thread, before or during Run().
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stratus::http
