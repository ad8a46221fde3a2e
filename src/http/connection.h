// One accepted client connection and the state it shares with the Server (internal to http/).
//
// A connection lives on its own strand: every socket operation is started and completed there,
// on an io thread. The handler runs on a WorkerPool thread; when it reads the body or writes
// the response, it posts the operation to the strand and waits (see connection.cc). The
// inline handler, if any, runs on the strand itself.
// ServerState is thread-safe where noted and outlives every connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/memory_budget.h"
#include "http/chunk_buffers.h"
#include "http/client_limits.h"
#include "http/server_options.h"
#include "http/worker_pool.h"

namespace stratus::http {

class Connection {
 public:
  virtual ~Connection() = default;
  // Each posts to the connection's strand; callable from any thread.
  virtual void Start() = 0;
  // Stop(): closes the connection if it waits for a request (keep-alive or TLS handshake).
  virtual void CloseIfIdle() = 0;
  // End of the grace period: closes the socket, failing any operation a handler waits for.
  virtual void ForceClose() = 0;
};

class ServerState {
 public:
  ServerState(ServerOptions options, Handler handler, ErrorResponder error_responder,
              InlineHandler inline_handler)
      : options(std::move(options)),
        handler(std::move(handler)),
        error_responder(std::move(error_responder)),
        inline_handler(std::move(inline_handler)),
        client_limits(this->options.max_connections_per_client,
                      this->options.max_requests_per_client) {}

  const ServerOptions options;
  const Handler handler;
  const ErrorResponder error_responder;
  const InlineHandler inline_handler;  // may be empty
  std::unique_ptr<WorkerPool> pool;    // set by Server::Start
  std::atomic<bool> stopping{false};
  ClientLimits client_limits;
  // Full-size response chunk buffers; as many kept idle as two per io and worker thread would
  // use at once is more than needed, 32 (32 MiB) is plenty.
  ChunkBuffers chunk_buffers{1 << 20, 32};
  // Bodies read before dispatch: options.prefetch_budget_bytes. Thread-safe.
  MemoryBudget prefetch_budget{options.prefetch_budget_bytes};
  // Called (on any thread) when stopping and the last connection has gone.
  std::function<void()> on_drained;

  // The live-connection registry. Thread-safe.
  uint64_t Register(std::weak_ptr<Connection> connection);
  void Unregister(uint64_t id);
  std::vector<std::shared_ptr<Connection>> LiveConnections();
  // Calls on_drained if stopping and no connection is left.
  void CheckDrained();

 private:
  std::mutex mu_;
  uint64_t next_id_ = 1;                                          // guarded by mu_
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> live_;  // guarded by mu_
};

// Takes over an accepted socket (whose executor is a strand) and starts serving it; with `tls`
// the connection performs a server-side TLS handshake first. `tls` outlives the connection.
void StartConnection(boost::asio::ip::tcp::socket socket, ServerState& state,
                     boost::asio::ssl::context* tls);

}  // namespace stratus::http
