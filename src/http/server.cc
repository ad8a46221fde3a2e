#include "http/server.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "http/connection.h"

namespace stratus::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

size_t Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

// "host:port", "[v6]:port", ":port" (all interfaces).
Result<tcp::endpoint> ResolveAddress(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos)
    return Error(Status::Internal("address needs host:port: " + address));
  std::string host = address.substr(0, colon);
  std::string port_text = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  unsigned long port = 0;
  try {
    size_t used = 0;
    port = std::stoul(port_text, &used);
    if (used != port_text.size() || port > 65535) throw std::out_of_range("port");
  } catch (const std::exception&) {
    return Error(Status::Internal("bad port in address: " + address));
  }
  error_code ec;
  auto ip = net::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint(ip, static_cast<uint16_t>(port));
  net::io_context resolver_context;
  tcp::resolver resolver(resolver_context);
  auto results = resolver.resolve(host, port_text, ec);
  if (ec || results.empty()) {
    return Error(Status::Internal("cannot resolve " + host + ": " + ec.message()));
  }
  return results.begin()->endpoint();
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Handler handler, ErrorResponder error_responder,
       InlineHandler inline_handler)
      : state(std::move(options), std::move(handler), std::move(error_responder),
              std::move(inline_handler)),
        io_threads(state.options.io_threads ? state.options.io_threads : Cores()),
        ioc(static_cast<int>(io_threads)) {}

  Status Listen(const tcp::endpoint& endpoint);
  Status LoadTls();
  void DoAccept();
  void BeginStop();
  void OnDrained();
  void RunIoThread();

  // Declared first: connections (destroyed with ioc's pending handlers) unregister here.
  ServerState state;
  const size_t io_threads;
  net::io_context ioc;
  // The server's own strand: acceptor, timers and the work guard.
  net::strand<net::io_context::executor_type> strand{ioc.get_executor()};
  tcp::acceptor acceptor{strand};
  net::steady_timer accept_retry{strand};
  net::steady_timer grace_timer{strand};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_guard;
  std::unique_ptr<net::ssl::context> tls;
  uint16_t port = 0;
  bool started = false;
  bool drained = false;  // strand only
};

Status Server::Impl::LoadTls() {
  const auto& o = state.options;
  if (o.tls_cert_file.empty() && o.tls_key_file.empty()) return Status();
  if (o.tls_cert_file.empty() || o.tls_key_file.empty()) {
    return Status::Internal("TLS needs both a certificate and a key file");
  }
  tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
  tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                   net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
  error_code ec;
  tls->use_certificate_chain_file(o.tls_cert_file, ec);
  if (ec) return Status::Internal("TLS certificate " + o.tls_cert_file + ": " + ec.message());
  tls->use_private_key_file(o.tls_key_file, net::ssl::context::pem, ec);
  if (ec) return Status::Internal("TLS key " + o.tls_key_file + ": " + ec.message());
  return Status();
}

Status Server::Impl::Listen(const tcp::endpoint& endpoint) {
  error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor.close();
    return Status::Internal("listen on " + state.options.address + ": " + ec.message());
  }
  port = acceptor.local_endpoint(ec).port();
  return Status();
}

void Server::Impl::DoAccept() {
  acceptor.async_accept(net::make_strand(ioc), [this](error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      // Out of descriptors and the like: back off instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      accept_retry.expires_after(std::chrono::milliseconds(50));
      accept_retry.async_wait([this](error_code wait_ec) {
        if (!wait_ec && acceptor.is_open()) DoAccept();
      });
      return;
    }
    // Responses go out as a header write and then body writes: without TCP_NODELAY, Nagle's
    // algorithm holds a small body back until the client's delayed ACK (~40 ms).
    error_code nodelay_ec;
    socket.set_option(tcp::no_delay(true), nodelay_ec);
    if (!state.stopping.load()) StartConnection(std::move(socket), state, tls.get());
    DoAccept();
  });
}

void Server::Impl::BeginStop() {
  error_code ec;
  acceptor.close(ec);
  accept_retry.cancel();
  // The last connection may have ended between Stop() and now, and OnDrained already run:
  // a grace timer armed then would hold the io threads for the whole grace period.
  if (!drained) {
    grace_timer.expires_after(state.options.grace_period);
    grace_timer.async_wait([this](error_code wait_ec) {
      if (wait_ec) return;
      auto live = state.LiveConnections();
      spdlog::warn("http: grace period over, closing {} connection(s)", live.size());
      for (auto& c : live) c->ForceClose();
    });
  }
  for (auto& c : state.LiveConnections()) c->CloseIfIdle();
  state.CheckDrained();
}

void Server::Impl::OnDrained() {
  if (drained) return;
  drained = true;
  grace_timer.cancel();
  work_guard.reset();  // io threads return once the last handlers have run
}

void Server::Impl::RunIoThread() {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http: io thread caught: {}", e.what());
    } catch (...) {
      spdlog::error("http: io thread caught a non-std exception");
    }
  }
}

Server::Server(ServerOptions options, Handler handler, ErrorResponder error_responder,
               InlineHandler inline_handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler),
                                   std::move(error_responder), std::move(inline_handler))) {}

Server::~Server() {
  if (impl_->state.pool) impl_->state.pool->Shutdown();
}

Status Server::Start() {
  Impl& s = *impl_;
  if (s.started) return Status::Internal("server already started");
  ASSIGN_OR_RETURN(tcp::endpoint endpoint, ResolveAddress(s.state.options.address));
  RETURN_IF_ERROR(s.LoadTls());
  RETURN_IF_ERROR(s.Listen(endpoint));
  const auto& o = s.state.options;
  size_t workers = o.worker_threads ? o.worker_threads : std::max<size_t>(32, 8 * Cores());
  s.state.pool = std::make_unique<WorkerPool>(workers, o.max_pending, o.max_in_flight);
  s.state.on_drained = [&s] { net::post(s.strand, [&s] { s.OnDrained(); }); };
  s.work_guard.emplace(s.ioc.get_executor());
  s.started = true;
  net::post(s.strand, [&s] { s.DoAccept(); });
  if (s.state.stopping.load()) net::post(s.strand, [&s] { s.BeginStop(); });  // Stop() came first
  spdlog::info("http: listening on {} port {}{}", o.address, s.port, s.tls ? " (TLS)" : "");
  return Status();
}

uint16_t Server::port() const { return impl_->port; }

void Server::Run() {
  Impl& s = *impl_;
  if (!s.started) return;
  std::vector<std::thread> threads;
  for (size_t i = 1; i < s.io_threads; ++i) threads.emplace_back([&s] { s.RunIoThread(); });
  s.RunIoThread();
  for (auto& t : threads) t.join();
  s.state.pool->Shutdown();
}

void Server::Stop() {
  Impl& s = *impl_;
  if (s.state.stopping.exchange(true)) return;
  if (!s.started) return;
  net::post(s.strand, [&s] { s.BeginStop(); });
}

}  // namespace stratus::http
