// The connection state machine, for plain TCP and TLS alike (a template over the stream).
//
// On the strand (io thread):   [handshake] -> read header -> build Request -> submit to pool
//                              -> ... -> Finish -> read next header | close
// On a worker thread:          handler(request) -> drain leftover body -> write response
// Or, when the body is in memory and the inline handler takes the request, on the strand:
//                              inline_handler(request, respond) ... respond -> write response
// A handler touches the socket only by posting an operation to the strand and waiting on a
// Completion for its result (its fiber parks meanwhile, freeing the worker thread), so io
// threads never block and the socket has a single owner.

#include "http/connection.h"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "http/completion.h"
#include "http/wire.h"

namespace stratus::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr size_t kChunkSize = 1 << 20;     // response streaming unit
constexpr uint64_t kDrainLimit = 1 << 20;  // unread request body we read and discard
constexpr size_t kDrainBuffer = 64 * 1024;
constexpr size_t kFirstRead = 16 * 1024;         // first read of a request, header and maybe more
constexpr uint64_t kPrefetchLimit = 64 * 1024;   // bodies up to this are read before dispatch
constexpr std::chrono::seconds kCloseLinger{2};  // how long a closing socket is drained
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kCrLf = "\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";

template <typename S>
std::string Str(const S& view) {
  return std::string(view.data(), view.size());
}

std::string FormatEndpoint(const tcp::endpoint& ep) {
  auto addr = ep.address();
  return addr.is_v6() ? fmt::format("[{}]:{}", addr.to_string(), ep.port())
                      : fmt::format("{}:{}", addr.to_string(), ep.port());
}

// `timed_out`: the body deadline cancelled the read (the socket stays open for the answer).
Status BodyError(const error_code& ec, bool timed_out) {
  if (ec == beast::error::timeout || (timed_out && ec == net::error::operation_aborted)) {
    return Status(ErrorCode::kRequestTimeout);
  }
  return Status(ErrorCode::kIncompleteBody, "request body: " + ec.message());
}

// Header-phase errors that end the connection without an answer (the client went away).
bool IsSilentHeaderError(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == beast::error::timeout || ec == net::error::eof ||
         ec == net::error::operation_aborted ||
         ec.category() != bhttp::make_error_code(bhttp::error::header_limit).category();
}

// What a worker gets back from one body read on the strand.
struct BodyChunk {
  Status status;
  size_t bytes = 0;
  bool done = false;
};

template <typename Stream>
class ConnectionImpl final : public Connection,
                             public std::enable_shared_from_this<ConnectionImpl<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  ConnectionImpl(tcp::socket socket, ServerState& state, net::ssl::context* tls)
      : remote_address_(RemoteOf(socket)),
        client_key_(ClientKeyOf(socket)),
        stream_(MakeStream(std::move(socket), tls)),
        state_(state),
        body_reader_(this),
        body_timer_(stream_.get_executor()) {}

  ~ConnectionImpl() override {
    ReleasePrefetched();
    if (counted_) state_.client_limits.RemoveConnection(client_key_);
    state_.Unregister(id_);
  }

  void set_id(uint64_t id) { id_ = id; }

  void Start() override {
    counted_ = true;
    within_connection_limit_ = state_.client_limits.AddConnection(client_key_);
    net::post(Executor(), [self = Self()] { self->OnStart(); });
  }
  void CloseIfIdle() override {
    net::post(Executor(), [self = Self()] {
      if (self->phase_ == Phase::kIdle || self->phase_ == Phase::kHandshake) self->HardClose();
    });
  }
  void ForceClose() override {
    net::post(Executor(), [self = Self()] { self->HardClose(); });
  }

 private:
  enum class Phase { kHandshake, kIdle, kReadingHeader, kBusy, kClosed };

  class BodyReaderImpl final : public BodyReader {
   public:
    explicit BodyReaderImpl(ConnectionImpl* connection) : connection_(connection) {}
    Result<size_t> Read(std::span<char> buffer) override { return connection_->ReadBody(buffer); }

   private:
    ConnectionImpl* connection_;
  };

  static std::string ClientKeyOf(const tcp::socket& socket) {
    error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string("unknown") : ClientLimits::KeyOf(endpoint.address());
  }

  static std::string RemoteOf(const tcp::socket& socket) {
    error_code ec;
    auto ep = socket.remote_endpoint(ec);
    return ec ? std::string("unknown") : FormatEndpoint(ep);
  }
  static Stream MakeStream(tcp::socket socket, net::ssl::context* tls) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *tls);
    } else {
      (void)tls;
      return Stream(std::move(socket));
    }
  }

  std::shared_ptr<ConnectionImpl> Self() { return this->shared_from_this(); }
  auto Executor() { return stream_.get_executor(); }
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // ---------------------------------------------------------------- io side (strand) ----

  void OnStart() {
    if constexpr (kTls) {
      phase_ = Phase::kHandshake;
      Lowest().expires_after(state_.options.read_timeout);
      stream_.async_handshake(net::ssl::stream_base::server, [self = Self()](error_code ec) {
        if (ec) {
          spdlog::debug("http {}: TLS handshake failed: {}", self->remote_address_, ec.message());
          self->Close(false);
          return;
        }
        self->DoReadHeader();
      });
    } else {
      DoReadHeader();
    }
  }

  // Waits for the next request's first bytes under idle_timeout, then reads its header under
  // read_timeout: a keep-alive connection may sit quiet for long, a header may not trickle in.
  void DoReadHeader() {
    if (closed_) return;
    if (state_.stopping.load()) {
      Close(false);
      return;
    }
    if (buffer_.size() > 0) {  // a pipelined request is already here
      ReadHeader();
      return;
    }
    phase_ = Phase::kIdle;
    Lowest().expires_after(state_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstRead), [self = Self()](error_code ec, size_t n) {
      if (self->closed_) return;
      if (ec) {
        spdlog::debug("http {}: closing idle connection: {}", self->remote_address_, ec.message());
        self->Close(false);
        return;
      }
      self->buffer_.commit(n);
      self->ReadHeader();
    });
  }

  void ReadHeader() {
    phase_ = Phase::kReadingHeader;
    parser_.emplace();
    parser_->header_limit(
        static_cast<uint32_t>(std::min<size_t>(state_.options.header_limit_bytes, UINT32_MAX)));
    // Bodies stream; the S3 layer enforces object size limits. Not boost::none: Boost 1.74
    // compares the Content-Length against the optional, and any value exceeds none.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    Lowest().expires_after(state_.options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = Self()](error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(error_code ec) {
    if (closed_) return;
    phase_ = Phase::kBusy;
    request_ = Request{};
    request_.remote_address = remote_address_;
    request_.secure = kTls;
    request_.request_id = NewRequestId();
    host_id_ = NewHostId();
    version_ = 11;
    keep_alive_ = false;
    body_done_ = false;
    body_read_ = 0;
    body_received_ = 0;
    body_waited_ = {};
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        RespondFromIo(Status(ErrorCode::kRequestHeaderSectionTooLarge), true);
      } else if (IsSilentHeaderError(ec)) {
        spdlog::debug("http {}: closing: {}", remote_address_, ec.message());
        Close(false);
      } else {
        RespondFromIo(Status(ErrorCode::kInvalidRequest, "Malformed HTTP request: " + ec.message()),
                      true);
      }
      return;
    }
    const auto& msg = parser_->get();
    request_.method = Str(msg.method_string());
    request_.target = Str(msg.target());
    version_ = msg.version() >= 11 ? 11 : 10;
    keep_alive_ = msg.keep_alive();
    body_done_ = parser_->is_done();
    size_t field_count = 0;
    for (const auto& field : msg) {
      request_.headers.Add(Str(field.name_string()), Str(field.value()));
      ++field_count;
    }
    // Beast applies header_limit per read, so a section that arrives in several reads can
    // exceed it; count the section as received.
    size_t section_bytes = msg.method_string().size() + msg.target().size() + 12;
    for (const auto& field : msg)
      section_bytes += field.name_string().size() + field.value().size() + 4;
    if (section_bytes > state_.options.header_limit_bytes) {
      RespondFromIo(Status(ErrorCode::kRequestHeaderSectionTooLarge), true);
      return;
    }
    if (field_count > state_.options.header_count_limit) {
      RespondFromIo(
          Status(ErrorCode::kRequestHeaderSectionTooLarge,
                 fmt::format("More than {} header fields.", state_.options.header_count_limit)),
          true);
      return;
    }
    if (Status framing = CheckRequestFraming(request_.headers); !framing.ok()) {
      RespondFromIo(std::move(framing), true);
      return;
    }
    if (!within_connection_limit_) {  // answered as nginx's limit_conn does, then closed
      RespondFromIo(Status(ErrorCode::kSlowDown), true);
      return;
    }
    TargetParts parts = SplitTarget(request_.target);
    request_.path = std::string(parts.path);
    request_.raw_query = std::string(parts.raw_query);
    auto query = ParseQuery(parts.raw_query);
    if (!query) {
      RespondFromIo(Status(ErrorCode::kInvalidURI), !body_done_);
      return;
    }
    request_.query = std::move(*query);
    if (parser_->chunked()) {
      request_.content_length.reset();
    } else {
      request_.content_length = parser_->content_length().value_or(0);
    }
    auto expect = request_.headers.Get("Expect");
    // Even with an empty body: botocore sends Expect with Content-Length 0 and misreads the
    // next response on the connection unless it saw a 100 or the connection closes.
    expect_continue_ = version_ >= 11 && expect && EqualsIgnoreCase(*expect, "100-continue");
    continue_sent_ = false;
    body_error_.reset();
    request_.body = &body_reader_;
    // A client that asked for 100-continue is invited only by the handler's first Read, so a
    // request refused before its body (no credentials, no bucket, denied) gets its final
    // answer without an invitation, as S3 answers; its body is not prefetched.
    if (!body_done_ && !expect_continue_ && request_.content_length &&
        *request_.content_length <= kPrefetchLimit &&
        state_.prefetch_budget.TryTake(static_cast<size_t>(*request_.content_length))) {
      PrefetchBody();
      return;
    }
    RunInlineOrDispatch();
  }

  // No body Read can need the strand: the body is all here, and no 100 Continue is owed
  // (botocore sends Expect even with an empty body). The inline handler runs only then.
  bool BodyAllHere() const { return body_done_ && (!expect_continue_ || continue_sent_); }

  void RunInlineOrDispatch() {
    if (state_.inline_handler && BodyAllHere() && RunInline()) return;
    Dispatch();
  }

  // False: the inline handler declined (or threw), and the request is as it was.
  bool RunInline() {
    bool taken = false;
    running_inline_ = true;
    try {
      // The responder lets go of the connection once called: one kept around by its caller
      // must not keep a closed connection (and a stopping server) alive.
      taken = state_.inline_handler(request_, [self = Self()](Response response) mutable {
        auto connection = std::move(self);
        if (!connection) {
          spdlog::error("http: an inline answer was given twice; the second is dropped");
          return;
        }
        net::post(connection->Executor(), [connection, response = std::move(response)]() mutable {
          connection->AnswerInline(std::move(response));
        });
      });
    } catch (const std::exception& e) {
      spdlog::error("http {}: inline handler threw: {}", request_.request_id, e.what());
    } catch (...) {
      spdlog::error("http {}: inline handler threw", request_.request_id);
    }
    running_inline_ = false;
    if (!taken) {
      prefetch_offset_ = 0;  // the handler reads the body from its start
      body_error_.reset();
    }
    return taken;
  }

  // The inline handler's answer, on the strand.
  void AnswerInline(Response response) {
    if (response.stream) {
      spdlog::error("http {}: inline handler answered with a stream", request_.request_id);
      response = CallErrorResponder(Status::Internal("inline handler answered with a stream"));
      response.stream.reset();
    }
    ReleasePrefetched();
    if (closed_) return Finish(false);
    ResponseHead head = HeadFor(response, /*close=*/false);  // the body was read whole
    std::string body = head.mode == BodyMode::kString ? std::move(response.body) : std::string();
    SendInMemory(std::move(head.bytes), std::move(body),
                 [keep = !head.close](ConnectionImpl& c, error_code ec) { c.Finish(keep && !ec); });
  }

  void Dispatch() {
    if (!state_.client_limits.TryStartRequest(client_key_)) {
      ReleasePrefetched();
      RespondFromIo(Status(ErrorCode::kSlowDown), !body_done_);
      return;
    }
    if (!state_.pool->TrySubmit([self = Self()] { self->RunHandler(); })) {
      state_.client_limits.EndRequest(client_key_);
      ReleasePrefetched();  // not kept by a connection that may now sit idle
      RespondFromIo(Status(ErrorCode::kSlowDown), !body_done_);
    }
  }

  // A small body is read here, before the handler is queued: the worker then reads it from
  // memory instead of waiting on this strand for each Read (two thread switches apiece, the
  // largest cost of a small PUT), and a client trickling its body holds no worker. A body that
  // fails to arrive is answered here; no handler runs.
  void PrefetchBody() {
    prefetched_.resize(static_cast<size_t>(*request_.content_length));
    ReadPrefetch(0);
  }

  void ReadPrefetch(size_t filled) {
    auto& body = parser_->get().body();
    body.data = prefetched_.data() + filled;
    body.size = prefetched_.size() - filled;
    body.more = true;
    if (!StartBodyWait()) {
      RespondFromIo(Status(ErrorCode::kRequestTimeout), true);
      return;
    }
    bhttp::async_read_some(
        stream_, buffer_, *parser_, [self = Self(), filled](error_code ec, size_t) {
          if (self->closed_) return;
          size_t now_filled = self->prefetched_.size() - self->parser_->get().body().size;
          bool timed_out = self->EndBodyWait(now_filled - filled);
          if (ec == bhttp::error::need_buffer) ec = {};
          if (ec) {
            self->RespondFromIo(BodyError(ec, timed_out), true);
            return;
          }
          if (!self->parser_->is_done()) {
            self->ReadPrefetch(now_filled);
            return;
          }
          self->body_done_ = true;
          self->RunInlineOrDispatch();
        });
  }

  Response CallErrorResponder(const Status& error) {
    try {
      return state_.error_responder(error, request_);
    } catch (const std::exception& e) {
      spdlog::error("http {}: error responder threw: {}", request_.request_id, e.what());
    } catch (...) {
      spdlog::error("http {}: error responder threw", request_.request_id);
    }
    Response fallback;
    fallback.status = ErrorHttpStatus(error.code());
    fallback.close_connection = true;
    return fallback;
  }

  // The response head for the current request; `close`: the connection cannot go on.
  ResponseHead HeadFor(Response& response, bool close) {
    HeadContext context{.head_request = request_.method == "HEAD",
                        .version = version_,
                        .keep_alive = keep_alive_ && !close && !state_.stopping.load(),
                        .request_id = request_.request_id,
                        .host_id = host_id_};
    return BuildResponseHead(response, context);
  }

  // Answers on the io thread, without the handler (limits, malformed requests, SlowDown).
  void RespondFromIo(const Status& error, bool close) {
    Response response = CallErrorResponder(error);
    response.stream.reset();
    ResponseHead head = HeadFor(response, close);
    std::string body = head.mode == BodyMode::kString ? std::move(response.body) : std::string();
    SendInMemory(std::move(head.bytes), std::move(body),
                 [keep = !head.close](ConnectionImpl& c, error_code ec) {
                   if (ec || !keep) {
                     c.Close(!ec);
                   } else {
                     c.DoReadHeader();
                   }
                 });
  }

  // Writes a response held whole in memory, then calls done(*this, ec) on the strand.
  template <typename Done>
  void SendInMemory(std::string head, std::string body, Done done) {
    if (closed_) return;
    auto bytes = std::make_shared<std::array<std::string, 2>>(
        std::array<std::string, 2>{std::move(head), std::move(body)});
    Lowest().expires_after(state_.options.write_timeout);
    // A vector, not a std::array: asio's write of a two-buffer array passes an emptied first
    // buffer on, and beast's TLS flat_stream then writes 0 bytes of a body over 64 KiB, forever.
    net::async_write(
        stream_, std::vector<net::const_buffer>{net::buffer((*bytes)[0]), net::buffer((*bytes)[1])},
        [self = Self(), bytes, done = std::move(done)](error_code ec, size_t) { done(*self, ec); });
  }

  // After the worker is done with the request.
  void Finish(bool keep_alive) {
    request_ = Request{};
    if (closed_) return;
    if (!keep_alive || state_.stopping.load()) {
      Close(!body_done_);
    } else {
      DoReadHeader();
    }
  }

  // Frees the buffer too: an idle keep-alive connection holds no body memory.
  void ReleasePrefetched() {
    if (!prefetched_.empty()) state_.prefetch_budget.Give(prefetched_.size());
    prefetched_.clear();
    prefetched_.shrink_to_fit();
    prefetch_offset_ = 0;
  }

  // Ends the connection. `linger`: the peer may still be sending a body; half-close and
  // discard its bytes for a moment so it can read our response before the close resets it.
  void Close(bool linger) {
    if (closed_) return;
    closed_ = true;
    phase_ = Phase::kClosed;
    body_timer_.cancel();  // its handler holds the connection
    Lowest().expires_after(kCloseLinger);
    if constexpr (kTls) {
      (void)linger;
      stream_.async_shutdown([self = Self()](error_code) { self->Lowest().close(); });
    } else if (linger) {
      error_code ec;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
      if (ec) {
        Lowest().close();
        return;
      }
      linger_buffer_ = std::make_unique<std::array<char, 4096>>();
      DiscardUntilClosed();
    } else {
      error_code ec;
      Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
      Lowest().close();
    }
  }

  // Closes the socket now; a pending operation completes with operation_aborted.
  void HardClose() {
    closed_ = true;
    phase_ = Phase::kClosed;
    body_timer_.cancel();  // its handler holds the connection
    Lowest().close();
  }

  void DiscardUntilClosed() {
    Lowest().async_read_some(net::buffer(*linger_buffer_), [self = Self()](error_code ec, size_t) {
      if (ec) {
        self->Lowest().close();
      } else {
        self->DiscardUntilClosed();
      }
    });
  }

  // Strand side of ReadBody: async_read_some of the parser into the worker's buffer, repeated
  // while more bytes are already at hand, so a large Read costs one round trip, not one per
  // socket read.
  void ReadSomeBody(std::span<char> buffer, size_t filled,
                    std::shared_ptr<Completion<BodyChunk>> done) {
    if (closed_) {
      done->Set({Status(ErrorCode::kIncompleteBody, "connection closed"), 0, false});
      return;
    }
    if (parser_->is_done()) {
      done->Set({Status(), filled, true});
      return;
    }
    auto& body = parser_->get().body();
    body.data = buffer.data() + filled;
    body.size = buffer.size() - filled;
    body.more = true;
    if (!StartBodyWait()) {
      done->Set({Status(ErrorCode::kRequestTimeout), 0, false});
      return;
    }
    bhttp::async_read_some(
        stream_, buffer_, *parser_, [self = Self(), done, buffer, filled](error_code ec, size_t) {
          size_t total = buffer.size() - self->parser_->get().body().size;
          bool timed_out = self->EndBodyWait(total - filled);
          if (ec == bhttp::error::need_buffer) ec = {};
          if (ec) {
            done->Set({BodyError(ec, timed_out), 0, false});
            return;
          }
          bool complete = self->parser_->is_done();
          if (!complete && total < buffer.size() && total > filled && self->MoreBytesReady()) {
            self->ReadSomeBody(buffer, total, std::move(done));
            return;
          }
          done->Set({Status(), total, complete});
        });
  }

  // Arms the deadline of one body read: read_timeout without progress, and sooner when the body
  // has arrived slower than min_body_rate on average since a grace period, counting only the
  // time the server waited for it (not the time its handler spent elsewhere), as Kestrel's
  // MinRequestBodyDataRate does. Every byte restarting a fixed timeout would let a client
  // trickle for ever. The deadline cancels the read instead of closing the socket, so the
  // client still gets its 400 RequestTimeout. False: the body is already too slow.
  bool StartBodyWait() {
    auto allowance = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        state_.options.read_timeout);
    if (const double rate = state_.options.min_body_rate; rate > 0) {
      auto earned = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          state_.options.body_rate_grace +
          std::chrono::duration<double>(static_cast<double>(body_received_) / rate));
      auto left = earned - body_waited_;
      if (left <= std::chrono::steady_clock::duration::zero()) return false;
      allowance = std::min(allowance, left);
    }
    Lowest().expires_never();
    body_timed_out_ = false;
    body_wait_started_ = std::chrono::steady_clock::now();
    body_timer_.expires_after(allowance);
    body_timer_.async_wait([self = Self(), generation = ++body_wait_generation_](error_code ec) {
      if (ec || self->closed_ || generation != self->body_wait_generation_) return;
      self->body_timed_out_ = true;
      error_code ignored;
      self->Lowest().socket().cancel(ignored);
    });
    return true;
  }

  // After a body read: counts its bytes and wait; true if the deadline ended it.
  bool EndBodyWait(size_t bytes) {
    ++body_wait_generation_;
    body_timer_.cancel();
    body_received_ += bytes;
    body_waited_ += std::chrono::steady_clock::now() - body_wait_started_;
    return body_timed_out_;
  }

  bool MoreBytesReady() {
    if (buffer_.size() > 0) return true;
    error_code ec;
    size_t available = Lowest().socket().available(ec);
    return !ec && available > 0;
  }

  // Strand side of a worker write.
  void WriteSome(std::vector<net::const_buffer> buffers, std::shared_ptr<Completion<Status>> done) {
    if (closed_) {
      done->Set(Status::Internal("connection closed"));
      return;
    }
    Lowest().expires_after(state_.options.write_timeout);
    net::async_write(stream_, buffers, [done](error_code ec, size_t) {
      done->Set(ec ? Status::Internal("response write: " + ec.message()) : Status());
    });
  }

  // ---------------------------------------------------------------- worker side ----

  template <typename T, typename Fn>
  std::shared_ptr<Completion<T>> PostToStrand(Fn start, T on_exception) {
    auto done = Completion<T>::Make();
    net::post(Executor(), [self = Self(), done, start = std::move(start),
                           on_exception = std::move(on_exception)]() mutable {
      // An exception here would leave the worker waiting forever: turn it into a result.
      try {
        start(*self, done);
      } catch (const std::exception& e) {
        spdlog::error("http {}: io operation threw: {}", self->remote_address_, e.what());
        done->Set(std::move(on_exception));
      }
    });
    return done;
  }

  std::shared_ptr<Completion<Status>> StartWrite(std::vector<net::const_buffer> buffers) {
    return PostToStrand<Status>(
        [buffers = std::move(buffers)](ConnectionImpl& c, auto done) mutable {
          c.WriteSome(std::move(buffers), std::move(done));
        },
        Status::Internal("response write failed"));
  }

  Status Write(std::vector<net::const_buffer> buffers) {
    return StartWrite(std::move(buffers))->Wait();
  }

  Result<size_t> ReadBody(std::span<char> buffer) {
    if (body_error_) return Error(*body_error_);
    if (prefetch_offset_ < prefetched_.size()) {
      size_t n = std::min(buffer.size(), prefetched_.size() - prefetch_offset_);
      std::copy_n(prefetched_.data() + prefetch_offset_, n, buffer.data());
      prefetch_offset_ += n;
      return n;
    }
    if (running_inline_ && !BodyAllHere()) {
      // This Read would wait for the strand it runs on: RunInlineOrDispatch rules it out.
      return Error(Status::Internal("body read on the io thread would wait for the io thread"));
    }
    if (expect_continue_ && !continue_sent_) {
      // Sent only now: a request rejected before its body is read never invites the body.
      continue_sent_ = true;
      Status st = Write({net::buffer(kContinue.data(), kContinue.size())});
      if (!st.ok()) {
        body_error_ = Status(ErrorCode::kIncompleteBody, std::string(st.message()));
        return Error(*body_error_);
      }
    }
    if (body_done_ || buffer.empty()) return 0;
    for (;;) {
      BodyChunk chunk = PostToStrand<BodyChunk>(
                            [buffer](ConnectionImpl& c, auto done) {
                              c.ReadSomeBody(buffer, 0, std::move(done));
                            },
                            BodyChunk{Status(ErrorCode::kIncompleteBody, "read failed"), 0, false})
                            ->Wait();
      if (!chunk.status.ok()) {
        body_error_ = chunk.status;
        return Error(chunk.status);
      }
      body_read_ += chunk.bytes;
      body_done_ = chunk.done;
      if (chunk.bytes > 0 || chunk.done) return chunk.bytes;
    }
  }

  // Reads and discards what the handler left of the body, if it is small; false: close.
  bool DrainBody() {
    // A client told to wait for 100 that never got it must not reuse the connection.
    if (expect_continue_ && !continue_sent_) return false;
    if (body_done_) return true;
    if (body_error_) return false;
    if (request_.content_length && *request_.content_length - body_read_ > kDrainLimit) {
      return false;
    }
    std::vector<char> scratch(kDrainBuffer);
    uint64_t drained = 0;
    while (drained <= kDrainLimit) {
      auto n = ReadBody(scratch);
      if (!n) return false;
      if (*n == 0) return true;
      drained += *n;
    }
    return false;
  }

  void RunHandler() {
    Response response;
    try {
      response = state_.handler(request_);
    } catch (const std::exception& e) {
      spdlog::error("http {}: handler threw: {}", request_.request_id, e.what());
      response = CallErrorResponder(Status::Internal("handler threw"));
    } catch (...) {
      spdlog::error("http {}: handler threw", request_.request_id);
      response = CallErrorResponder(Status::Internal("handler threw"));
    }
    // A refused request's unread body is not drained on this worker (a client trickling it
    // would hold the worker for as long as it likes): the connection closes, as S3 closes it,
    // and the io side lingers briefly so the client can read the answer.
    bool refused_unread = response.status >= 400 && !body_done_;
    bool close = refused_unread || !DrainBody();
    ReleasePrefetched();  // before the answer leaves: a client that has it may rely on the budget
    ResponseHead head = HeadFor(response, close);
    if (head.mode == BodyMode::kNone || head.mode == BodyMode::kString) {
      // Nothing left to read from a source: the io side sends it and goes on to the next
      // request while this worker is already free (no wait for the write to complete).
      std::string body = head.mode == BodyMode::kString ? std::move(response.body) : std::string();
      // Ended before the hand-back: the connection's next request may be dispatched at once.
      state_.client_limits.EndRequest(client_key_);
      net::post(Executor(), [self = Self(), head_bytes = std::move(head.bytes),
                             body = std::move(body), keep = !head.close]() mutable {
        if (self->closed_) return self->Finish(false);
        self->SendInMemory(std::move(head_bytes), std::move(body),
                           [keep](ConnectionImpl& c, error_code ec) { c.Finish(keep && !ec); });
      });
      return;
    }
    auto last = std::make_shared<LastWrite>();
    bool ok = StreamBody(head, *response.stream, *last);  // false: the connection cannot go on
    bool keep_alive = ok && !head.close;
    response = Response{};  // release the source before handing the connection back
    state_.client_limits.EndRequest(client_key_);
    if (ok && !last->out.empty()) {
      // The body's last piece is written by the io side, which then goes on to the next
      // request: this worker is free without waiting for it (two thread switches fewer).
      net::post(Executor(), [self = Self(), last, keep_alive] {
        if (self->closed_) return self->Finish(false);
        self->Lowest().expires_after(self->state_.options.write_timeout);
        net::async_write(self->stream_, last->out, [self, last, keep_alive](error_code ec, size_t) {
          self->Finish(keep_alive && !ec);
        });
      });
      return;
    }
    net::post(Executor(), [self = Self(), keep_alive] { self->Finish(keep_alive); });
  }

  // A sized body's last piece, with what it points into, handed to the io side to write.
  struct LastWrite {
    std::string head;  // when the piece is also the first
    ChunkBuffers::Buffer buffer{nullptr, {nullptr}};
    std::vector<net::const_buffer> out;  // empty: nothing was handed over
  };

  // Streams a body source in kChunkSize pieces, reading the next piece while the previous
  // one is being written (two buffers). A sized body's last piece is not written here but
  // left in `last` for the io side to write.
  bool StreamBody(const ResponseHead& head, BodySource& source, LastWrite& last) {
    const bool chunked = head.mode == BodyMode::kChunked;
    const bool sized = head.mode == BodyMode::kSized;
    // Sized to the body when it is smaller than a chunk, uninitialized, and the second one only
    // when a second read happens: a 4 KiB GET must not allocate and clear 2 MiB.
    const size_t buffer_size =
        sized ? static_cast<size_t>(std::min<uint64_t>(kChunkSize, head.length)) : kChunkSize;
    static_assert(kChunkSize == 1 << 20, "ServerState::chunk_buffers hold chunks");
    // Full chunks come from the server's kept buffers; a smaller body gets one of its size.
    std::array<ChunkBuffers::Buffer, 2> buffers{ChunkBuffers::Buffer(nullptr, {nullptr}),
                                                ChunkBuffers::Buffer(nullptr, {nullptr})};
    std::array<std::string, 2> prefixes;
    std::shared_ptr<Completion<Status>> pending;
    uint64_t remaining = head.length;
    bool first = true;
    bool ok = true;
    for (int cur = 0;; cur ^= 1) {
      size_t want =
          sized ? static_cast<size_t>(std::min<uint64_t>(kChunkSize, remaining)) : kChunkSize;
      if (want > 0 && !buffers[cur]) buffers[cur] = state_.chunk_buffers.Take(buffer_size);
      char* data = buffers[cur].get();
      Result<size_t> n = want == 0 ? Result<size_t>(0) : source.Read({data, want});
      if (!n) {
        spdlog::warn("http {}: response body source failed: {}", request_.request_id,
                     n.error().ToString());
        ok = false;
        break;
      }
      *n = std::min(*n, want);
      if (sized && *n > 0 && *n == remaining) {
        if (pending && !pending->Wait().ok()) return false;
        if (first) last.head = head.bytes;
        last.buffer = std::move(buffers[cur]);
        if (first) last.out.push_back(net::buffer(last.head));
        last.out.push_back(net::buffer(data, *n));
        return ok;
      }
      std::vector<net::const_buffer> out;
      if (first) out.push_back(net::buffer(head.bytes));
      if (*n > 0 && chunked) {
        prefixes[cur] = fmt::format("{:x}\r\n", *n);
        out.push_back(net::buffer(prefixes[cur]));
      }
      if (*n > 0) out.push_back(net::buffer(data, *n));
      if (*n > 0 && chunked) out.push_back(net::buffer(kCrLf.data(), kCrLf.size()));
      if (*n == 0 && chunked) out.push_back(net::buffer(kLastChunk.data(), kLastChunk.size()));
      if (pending && !pending->Wait().ok()) return false;
      pending.reset();
      if (!out.empty()) pending = StartWrite(std::move(out));
      first = false;
      if (sized) remaining -= *n;
      if (*n == 0) break;
    }
    if (pending && !pending->Wait().ok()) return false;
    if (sized && remaining > 0) {
      if (ok)
        spdlog::warn("http {}: response body ended {} bytes early", request_.request_id, remaining);
      return false;
    }
    return ok && head.mode != BodyMode::kUntilClose;
  }

  // Fixed for the connection.
  const std::string remote_address_;
  const std::string client_key_;  // what ClientLimits counts it under
  Stream stream_;
  ServerState& state_;
  uint64_t id_ = 0;
  BodyReaderImpl body_reader_;

  // Strand only.
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> parser_;
  Phase phase_ = Phase::kHandshake;
  bool closed_ = false;
  bool counted_ = false;                 // by ClientLimits (Start ran)
  bool within_connection_limit_ = true;  // its client's connections were within the limit
  std::unique_ptr<std::array<char, 4096>> linger_buffer_;

  // The current request: set on the strand before the handler is queued, then owned by the
  // worker until it posts Finish (the pool's queue orders the hand-over).
  Request request_;
  std::string host_id_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool expect_continue_ = false;
  bool continue_sent_ = false;
  bool body_done_ = false;
  uint64_t body_read_ = 0;
  std::optional<Status> body_error_;
  // Strand only: the body's pace (StartBodyWait).
  net::steady_timer body_timer_;
  uint64_t body_received_ = 0;
  std::chrono::steady_clock::duration body_waited_{};
  std::chrono::steady_clock::time_point body_wait_started_;
  uint64_t body_wait_generation_ = 0;
  bool body_timed_out_ = false;
  bool running_inline_ = false;  // the inline handler is running, on the strand
  std::string prefetched_;       // the whole body, when PrefetchBody read it before dispatch
  size_t prefetch_offset_ = 0;   // how much of it the handler has read
};

template <typename Stream>
void Launch(tcp::socket socket, ServerState& state, net::ssl::context* tls) {
  auto connection = std::make_shared<ConnectionImpl<Stream>>(std::move(socket), state, tls);
  connection->set_id(state.Register(connection));
  connection->Start();
}

}  // namespace

void StartConnection(tcp::socket socket, ServerState& state, net::ssl::context* tls) {
  if (tls != nullptr) {
    Launch<TlsStream>(std::move(socket), state, tls);
  } else {
    Launch<PlainStream>(std::move(socket), state, nullptr);
  }
}

}  // namespace stratus::http
