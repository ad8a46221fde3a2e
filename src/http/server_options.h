// What the HTTP server is configured with and what it calls: the request Handler (the S3 layer)
// and the ErrorResponder that renders failures the HTTP layer detects by itself.
// Plain data; copy freely.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "common/status.h"
#include "http/request.h"

namespace stratus::http {

// Runs on a worker thread; may block (reading the body, the disk, the network).
using Handler = std::function<Response(Request&)>;

// Takes a request's answer, from any thread, exactly once.
using Responder = std::function<void(Response)>;

// The fast path for small requests, run on an io thread for a request whose body, if any, is
// already in memory, so that no worker thread is woken and none sleeps through a commit. It
// must not block. It either takes the request and returns true, and then calls `respond`
// once (now, or later from another thread, e.g. when a grouped write is durable) with a
// response whose body is in memory (no stream); or it returns false having changed nothing,
// and the request goes to a worker and the Handler as if the fast path did not exist (the
// body is read from its start again). Anything unusual (an error to answer, a case it does
// not know) should go that way. An exception counts as false.
using InlineHandler = std::function<bool(Request&, Responder respond)>;

// Builds the S3-style error response for failures found before or instead of the Handler:
//   kRequestHeaderSectionTooLarge  header section over header_limit_bytes / header_count_limit
//   kInvalidRequest                a malformed request (bad request line, bad header framing)
//   kInvalidURI                    a malformed percent-escape in the query
//   kSlowDown                      the worker pool and its queue are full
//   kInternalError                 the Handler threw
// partial_request holds what was parsed so far (at least request_id and remote_address).
// Runs on an io thread: it must be quick and must not block. Only `body` is sent (no stream).
using ErrorResponder = std::function<Response(const Status& error, const Request& partial_request)>;

struct ServerOptions {
  std::string address = "127.0.0.1:9000";  // host:port; port 0 picks a free port; "[::1]:p" too
  size_t io_threads = 0;                   // 0 = one per core
  size_t worker_threads = 0;               // handler threads; 0 = max(32, 8 x cores)
  size_t max_pending = 1024;  // requests queued beyond busy workers before answering SlowDown
  // Handlers started and not finished, most of them parked on a slow client (each holds a
  // fiber stack and its body buffers), before answering SlowDown.
  size_t max_in_flight = 1024;
  // Per client address (IPv6: per /64; 0 = no limit): open connections, beyond which a
  // connection's request is answered SlowDown and the connection closed; and requests handed
  // to handlers at once, beyond which a request is answered SlowDown.
  size_t max_connections_per_client = 1000;
  size_t max_requests_per_client = 256;
  size_t header_limit_bytes = 16 * 1024;
  size_t header_count_limit = 100;
  std::chrono::seconds idle_timeout{60};  // keep-alive connection waiting for its next request
  std::chrono::seconds read_timeout{30};  // no progress while reading a request header or body
  // A request body must arrive at least this fast (bytes/s) on average, over the time the
  // server waited for it beyond body_rate_grace; slower -> 400 RequestTimeout and close.
  // 0: only read_timeout applies. Kestrel's defaults.
  size_t min_body_rate = 240;
  std::chrono::seconds body_rate_grace{5};
  std::chrono::seconds write_timeout{30};  // no progress while writing a response
  std::chrono::seconds grace_period{25};   // Stop(): how long in-flight requests may finish
  // Bodies of at most 64 KiB are read whole before dispatch, into buffers taken from this
  // budget; once it is spent (many clients holding their bodies back), bodies stream instead.
  size_t prefetch_budget_bytes = 32 << 20;
  std::string tls_cert_file;  // PEM chain; both set -> HTTPS
  std::string tls_key_file;   // PEM private key
};

}  // namespace stratus::http
