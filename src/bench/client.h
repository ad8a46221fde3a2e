// A small HTTP/1.1 S3 client for the load generator: one keep-alive connection (plain TCP or
// TLS), blocking I/O, SigV4-signed requests with UNSIGNED-PAYLOAD (or, without credentials,
// plain unsigned HTTP requests for a file server). Request bodies are sent as
// slices of the shared Payload (never copied); response bodies are read into one reusable
// buffer and either verified, counted or (for small XML answers) kept.
//
// A Connection belongs to one worker thread; only Abort() may be called from another thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/payload.h"
#include "bench/signer.h"
#include "common/status.h"
#include "http/request.h"

namespace stratus::bench {

// "http://127.0.0.1:9000", "https://s3.example.com" (port 80/443 by default), "http://[::1]:9000".
struct Endpoint {
  bool tls = false;
  std::string host;         // without brackets
  std::string port;         // "9000"
  std::string host_header;  // as the URL spells it: "127.0.0.1:9000"
};
Result<Endpoint> ParseEndpoint(std::string_view url);

// One request. The body is either `text` or, when payload is set, bytes [position,
// position + length) of the object at `payload_offset`.
struct RequestSpec {
  std::string_view method;
  std::string_view path;  // URI-encoded: "/bucket/key"
  http::QueryParams query = {};
  std::string_view text = {};
  const Payload* payload = nullptr;
  uint64_t payload_offset = 0;
  uint64_t payload_position = 0;
  uint64_t payload_length = 0;
  // The response body: checked by `verifier` when set; kept in Response::body when
  // keep_body (small XML answers) or when the status is an error; otherwise only counted.
  PayloadVerifier* verifier = nullptr;
  bool keep_body = false;
  // A successful, unverified, Content-Length body on plain TCP is dropped by the kernel
  // (recv with MSG_TRUNC) instead of being copied to user space; only its size is counted.
  bool discard = false;
};

struct Response {
  int status = 0;
  uint64_t body_bytes = 0;
  std::string etag;
  std::string body;  // see RequestSpec::keep_body; error bodies are capped at 64 KiB
  bool ok() const { return status >= 200 && status < 300; }
};

class Connection {
 public:
  // tls_context is used when the endpoint is https and must outlive the connection. Requests
  // are signed with `credentials`, or carry no Authorization and no x-amz-* headers without.
  Connection(boost::asio::io_context& io, boost::asio::ssl::context* tls_context, Endpoint endpoint,
             std::optional<Credentials> credentials);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends the request and reads the whole response. A request that fails on a reused
  // connection before any answer arrived (the server closed an idle keep-alive connection) is
  // retried once on a fresh one. I/O and TLS failures are kInternalError.
  Result<Response> Send(const RequestSpec& spec);

  // Shuts the socket down so a blocked Send() returns; safe from any thread.
  void Abort();

 private:
  Status Connect();
  void Close();
  // One attempt; `answered` tells whether any response bytes arrived.
  Result<Response> Attempt(const RequestSpec& spec, bool& answered);
  template <typename Stream>
  Result<Response> Exchange(Stream& stream, const RequestSpec& spec, bool& answered);
  // The rest of a Content-Length body, dropped in the kernel (RequestSpec::discard).
  Result<Response> Discard(boost::asio::ip::tcp::socket& socket, uint64_t length, bool keep_alive,
                           Response response);

  boost::asio::io_context& io_;
  boost::asio::ssl::context* tls_context_;
  Endpoint endpoint_;
  std::optional<Signer> signer_;
  std::optional<boost::asio::ip::tcp::socket> tcp_;
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  std::atomic<int> native_fd_{-1};
  bool connected_ = false;
  bool reused_ = false;
  boost::beast::flat_buffer read_buffer_;
  std::vector<char> body_buffer_;
  std::vector<boost::asio::ip::tcp::endpoint> resolved_;
};

}  // namespace stratus::bench
