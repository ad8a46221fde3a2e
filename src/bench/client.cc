#include "bench/client.h"

#include <poll.h>
#include <sys/socket.h>

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <limits>
#include <type_traits>

#include "auth/sigv4.h"
#include "common/time.h"

namespace stratus::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kBodyBufferSize = 256 * 1024;
constexpr size_t kErrorBodyCap = 64 * 1024;

// Boost 1.74's Beast speaks boost::string_view.
beast::string_view Bsv(std::string_view s) { return {s.data(), s.size()}; }

Status IoError(std::string_view what, const boost::system::error_code& ec) {
  return Status::Internal(fmt::format("{}: {}", what, ec.message()));
}

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view url) {
  Endpoint endpoint;
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    endpoint.tls = true;
    rest = url.substr(8);
  } else {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("endpoint '{}' must start with http:// or https://", url));
  }
  if (const size_t slash = rest.find('/'); slash != std::string_view::npos) {
    if (rest.substr(slash) != "/") {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("endpoint '{}' must not have a path", url));
    }
    rest = rest.substr(0, slash);
  }
  endpoint.host_header = std::string(rest);
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with('[')) {  // IPv6 literal
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return Error(ErrorCode::kInvalidArgument, fmt::format("bad IPv6 host in '{}'", url));
    }
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') {
        return Error(ErrorCode::kInvalidArgument, fmt::format("bad endpoint '{}'", url));
      }
      port = rest.substr(close + 2);
    }
  } else if (const size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("endpoint '{}' has no host", url));
  }
  if (port.empty()) port = endpoint.tls ? "443" : "80";
  if (port.find_first_not_of("0123456789") != std::string_view::npos) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("bad port in endpoint '{}'", url));
  }
  endpoint.host = std::string(host);
  endpoint.port = std::string(port);
  return endpoint;
}

Connection::Connection(asio::io_context& io, asio::ssl::context* tls_context, Endpoint endpoint,
                       std::optional<Credentials> credentials)
    : io_(io),
      tls_context_(tls_context),
      endpoint_(std::move(endpoint)),
      body_buffer_(kBodyBufferSize) {
  if (credentials) signer_.emplace(*std::move(credentials));
}

Connection::~Connection() { Close(); }

Status Connection::Connect() {
  boost::system::error_code ec;
  if (resolved_.empty()) {
    tcp::resolver resolver(io_);
    auto results = resolver.resolve(endpoint_.host, endpoint_.port, ec);
    if (ec) return IoError("resolve " + endpoint_.host, ec);
    for (const auto& entry : results) resolved_.push_back(entry.endpoint());
  }
  tcp::socket socket(io_);
  asio::connect(socket, resolved_, ec);
  if (ec) return IoError("connect " + endpoint_.host_header, ec);
  socket.set_option(tcp::no_delay(true), ec);
  native_fd_.store(socket.native_handle());
  if (!endpoint_.tls) {
    tcp_.emplace(std::move(socket));
  } else {
    tls_.emplace(std::move(socket), *tls_context_);
    // SNI, and the certificate must name the host unless verification is off (--insecure).
    if (!SSL_set_tlsext_host_name(tls_->native_handle(), endpoint_.host.c_str())) {
      return Status::Internal("TLS: cannot set SNI host name");
    }
    tls_->set_verify_callback(asio::ssl::host_name_verification(endpoint_.host));
    tls_->handshake(asio::ssl::stream_base::client, ec);
    if (ec) {
      Close();
      return IoError("TLS handshake with " + endpoint_.host_header, ec);
    }
  }
  connected_ = true;
  reused_ = false;
  read_buffer_.clear();
  return Status::Ok();
}

void Connection::Close() {
  boost::system::error_code ec;
  native_fd_.store(-1);
  if (tls_) {
    tls_->lowest_layer().close(ec);
    tls_.reset();
  }
  if (tcp_) {
    tcp_->close(ec);
    tcp_.reset();
  }
  connected_ = false;
}

void Connection::Abort() {
  const int fd = native_fd_.load();
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

Result<Response> Connection::Send(const RequestSpec& spec) {
  for (int attempt = 0;; ++attempt) {
    if (!connected_) RETURN_IF_ERROR(Connect());
    const bool was_reused = reused_;
    bool answered = false;
    Result<Response> response = Attempt(spec, answered);
    if (response || answered || !was_reused || attempt > 0) return response;
    Close();  // a stale keep-alive connection: try once more on a new one
  }
}

Result<Response> Connection::Attempt(const RequestSpec& spec, bool& answered) {
  Result<Response> response =
      tls_ ? Exchange(*tls_, spec, answered) : Exchange(*tcp_, spec, answered);
  if (!response) Close();
  return response;
}

template <typename Stream>
Result<Response> Connection::Exchange(Stream& stream, const RequestSpec& spec, bool& answered) {
  boost::system::error_code ec;
  std::string target(spec.path);
  if (!spec.query.empty()) {
    target += '?';
    target += EncodeQuery(spec.query);
  }
  bhttp::request<bhttp::buffer_body> request{bhttp::string_to_verb(Bsv(spec.method)), Bsv(target),
                                             11};
  request.set(bhttp::field::host, Bsv(endpoint_.host_header));
  if (signer_) {
    const std::string amz_date = FormatAmzDate(std::time(nullptr));
    const std::string_view payload_hash = auth::kUnsignedPayload;
    request.set("x-amz-date", Bsv(amz_date));
    request.set("x-amz-content-sha256", Bsv(payload_hash));
    request.set(bhttp::field::authorization,
                Bsv(signer_->Authorization(spec.method, endpoint_.host_header, spec.path,
                                           spec.query, payload_hash, amz_date)));
  }
  const uint64_t body_size = spec.payload ? spec.payload_length : spec.text.size();
  const bool has_body =
      spec.payload || !spec.text.empty() || spec.method == "PUT" || spec.method == "POST";
  if (has_body) request.content_length(body_size);

  bhttp::request_serializer<bhttp::buffer_body> serializer{request};
  if (body_size == 0) {
    request.body().data = nullptr;
    request.body().more = false;
    bhttp::write(stream, serializer, ec);
    if (ec) return Error(IoError("send request", ec));
  } else {
    // No separate header write: the header leaves with the first piece of the body in one
    // gather write, so a small request is one TCP segment, as http.client and the SDKs send
    // it, and the server is not woken once for the header and again for the body.
    uint64_t sent = 0;
    while (sent < body_size) {
      std::string_view chunk =
          spec.payload ? spec.payload->Slice(spec.payload_offset, spec.payload_position + sent,
                                             body_size - sent)
                       : spec.text.substr(sent);
      request.body().data = const_cast<char*>(chunk.data());
      request.body().size = chunk.size();
      request.body().more = sent + chunk.size() < body_size;
      bhttp::write(stream, serializer, ec);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) return Error(IoError("send body", ec));
      sent += chunk.size();
    }
  }
  reused_ = true;

  bhttp::response_parser<bhttp::buffer_body> parser;
  // Not boost::none: Boost 1.74 compares a Content-Length against it as "greater than none".
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  if (spec.method == "HEAD") parser.skip(true);
  bhttp::read_header(stream, read_buffer_, parser, ec);
  if (ec) return Error(IoError("read response", ec));
  answered = true;
  Response response;
  response.status = parser.get().result_int();
  if (auto etag = parser.get().find(bhttp::field::etag); etag != parser.get().end()) {
    response.etag.assign(etag->value().data(), etag->value().size());
  }
  const bool keep = spec.keep_body || !response.ok();
  if constexpr (std::is_same_v<Stream, asio::ip::tcp::socket>) {
    if (spec.discard && !keep && !spec.verifier && response.ok() && !parser.is_done() &&
        !parser.chunked()) {
      // Nothing of the body is parsed yet: what remains is the whole Content-Length.
      if (auto length = parser.content_length()) {
        return Discard(stream, *length, parser.get().keep_alive(), std::move(response));
      }
    }
  }
  while (!parser.is_done()) {
    parser.get().body().data = body_buffer_.data();
    parser.get().body().size = body_buffer_.size();
    bhttp::read(stream, read_buffer_, parser, ec);
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) return Error(IoError("read body", ec));
    const size_t n = body_buffer_.size() - parser.get().body().size;
    std::string_view chunk(body_buffer_.data(), n);
    response.body_bytes += n;
    if (spec.verifier && response.ok()) spec.verifier->Update(chunk);
    if (keep && (spec.keep_body || response.body.size() < kErrorBodyCap)) response.body += chunk;
  }
  if (!parser.get().keep_alive()) Close();
  return response;
}

Result<Response> Connection::Discard(asio::ip::tcp::socket& socket, uint64_t length,
                                     bool keep_alive, Response response) {
  uint64_t left = length;
  // What the header read already pulled in belongs to the body (or to nothing: one request
  // is in flight at a time).
  const size_t buffered = static_cast<size_t>(std::min<uint64_t>(left, read_buffer_.size()));
  read_buffer_.consume(buffered);
  left -= buffered;
  response.body_bytes += buffered;
  while (left > 0) {
    ssize_t n = ::recv(socket.native_handle(), nullptr,
                       static_cast<size_t>(std::min<uint64_t>(left, 1 << 30)), MSG_TRUNC);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {  // asio may have made it non-blocking
      pollfd readable{socket.native_handle(), POLLIN, 0};
      ::poll(&readable, 1, -1);
      continue;
    }
    if (n <= 0) {
      Close();
      return Error(Status::Internal(n == 0 ? "read body: connection closed"
                                           : std::string("read body: ") + std::strerror(errno)));
    }
    left -= static_cast<uint64_t>(n);
    response.body_bytes += static_cast<uint64_t>(n);
  }
  if (!keep_alive) Close();
  return response;
}

}  // namespace stratus::bench
