// HTTPS: the same server over boost::asio::ssl with a throwaway self-signed certificate.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <stdlib.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "http/server.h"
#include "raw_client.h"
#include "test_handlers.h"
#include "test_server.h"

namespace stratus::http::testing {
namespace {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;

class ServerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/stratus_tls_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::string command = fmt::format(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=localhost -keyout {0}/key.pem -out {0}/cert.pem >/dev/null 2>&1",
        dir_.string());
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  ServerOptions TlsOptions() const {
    ServerOptions o = TestServer::SmallOptions();
    o.tls_cert_file = (dir_ / "cert.pem").string();
    o.tls_key_file = (dir_ / "key.pem").string();
    return o;
  }

  std::filesystem::path dir_;
};

Response SecureAwareHandler(Request& request) {
  if (request.path == "/secure") return TextResponse(200, request.secure ? "yes" : "no");
  return RoutedHandler(request);
}

TEST_F(ServerTlsTest, ServesRequestsAndStreamsOverTls) {
  TestServer server(SecureAwareHandler, TlsOptions());
  net::io_context ioc;
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.set_verify_mode(net::ssl::verify_none);
  net::ssl::stream<net::ip::tcp::socket> stream(ioc, ctx);
  stream.next_layer().connect({net::ip::make_address("127.0.0.1"), server.port()});
  stream.handshake(net::ssl::stream_base::client);
  boost::beast::flat_buffer buffer;

  auto round_trip = [&](bhttp::request<bhttp::string_body> request) {
    request.set(bhttp::field::host, "localhost");
    request.prepare_payload();
    bhttp::write(stream, request);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    bhttp::read(stream, buffer, parser);
    return parser.release();
  };

  auto secure = round_trip({bhttp::verb::get, "/secure", 11});
  EXPECT_EQ(secure.body(), "yes");

  std::string body = Pattern(3, 3 << 20);
  bhttp::request<bhttp::string_body> put{bhttp::verb::put, "/hash", 11};
  put.body() = body;
  auto hashed = round_trip(std::move(put));
  EXPECT_EQ(hashed.result_int(), 200);
  EXPECT_EQ(hashed.body(), fmt::format("{} {:016x}", body.size(), Fnv(kFnvStart, body)));

  auto streamed = round_trip({bhttp::verb::get, "/stream?size=5000000", 11});
  EXPECT_EQ(streamed.body(), Pattern(0, 5000000));
  EXPECT_EQ(streamed[bhttp::field::server], "stratus");
}

TEST_F(ServerTlsTest, PlainTextClientIsDroppedAndServerKeepsServing) {
  TestServer server(SecureAwareHandler, TlsOptions());
  {
    RawClient plain(server.port());
    ASSERT_TRUE(plain.Send("GET /secure HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_FALSE(plain.ReadResponse());  // no HTTP answer on a TLS port
  }
  net::io_context ioc;
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.set_verify_mode(net::ssl::verify_none);
  net::ssl::stream<net::ip::tcp::socket> stream(ioc, ctx);
  stream.next_layer().connect({net::ip::make_address("127.0.0.1"), server.port()});
  stream.handshake(net::ssl::stream_base::client);
  bhttp::request<bhttp::string_body> request{bhttp::verb::get, "/secure", 11};
  request.set(bhttp::field::host, "localhost");
  bhttp::write(stream, request);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(stream, buffer, response);
  EXPECT_EQ(response.body(), "yes");
}

TEST_F(ServerTlsTest, MissingKeyFileFailsStart) {
  ServerOptions options = TlsOptions();
  options.address = "127.0.0.1:0";
  options.tls_key_file = (dir_ / "absent.pem").string();
  Server server(options, RoutedHandler, TestErrorResponse);
  EXPECT_FALSE(server.Start().ok());
}

}  // namespace
}  // namespace stratus::http::testing
