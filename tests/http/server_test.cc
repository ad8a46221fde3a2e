// Black-box tests of the HTTP server over real sockets: framing, keep-alive, streaming.
#include "http/server.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cctype>
#include <set>
#include <string>

#include "raw_client.h"
#include "test_handlers.h"
#include "test_server.h"

namespace stratus::http::testing {
namespace {

constexpr uint64_t k20MiB = 20ull << 20;

std::string HashReply(std::string_view data) {
  return fmt::format("{} {:016x}", data.size(), Fnv(kFnvStart, data));
}

TEST(ServerTest, GetWithBodyIsEchoedWithServerHeaders) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->headers.Get("Content-Length"), "5");
  EXPECT_EQ(r->headers.Get("Server"), "stratus");
  EXPECT_TRUE(r->headers.Has("Date"));
  auto id = r->headers.Get("x-amz-request-id");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->size(), 16u);
  for (char c : *id) EXPECT_TRUE(std::isdigit(c) || (c >= 'A' && c <= 'F')) << *id;
  auto id2 = r->headers.Get("x-amz-id-2");
  ASSERT_TRUE(id2);
  EXPECT_GT(id2->size(), 16u);
}

TEST(ServerTest, TargetIsSplitAndQueryDecoded) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("GET /info?uploads&prefix=a%20b HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  std::string id(*r->headers.Get("x-amz-request-id"));
  EXPECT_EQ(r->body, "GET /info uploads&prefix=a%20b uploads=;prefix=a b; " + id);
}

TEST(ServerTest, MalformedQueryEscapeIsInvalidUri) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("GET /info?a=%zz HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("<Code>InvalidURI</Code>"), std::string::npos) << r->body;
  // The request id in the body is the one in the header.
  EXPECT_NE(r->body.find(std::string(*r->headers.Get("x-amz-request-id"))), std::string::npos);
}

TEST(ServerTest, KeepAliveServesTwoRequestsWithUniqueIds) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  std::set<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok"));
    auto r = client.ReadResponse();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "ok");
    EXPECT_FALSE(r->headers.Has("Connection"));
    ids.insert(std::string(*r->headers.Get("x-amz-request-id")));
  }
  EXPECT_EQ(ids.size(), 2u);
}

TEST(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(
      client.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nA"
                  "GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nB"));
  auto a = client.ReadResponse();
  auto b = client.ReadResponse();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "A");
  EXPECT_EQ(b->body, "B");
}

TEST(ServerTest, RequestIdsAreUniqueAcrossConnections) {
  TestServer server(RoutedHandler);
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    RawClient client(server.port());
    ASSERT_TRUE(client.Send("GET /info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    auto r = client.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->headers.Get("Connection"), "close");
    ids.insert(std::string(*r->headers.Get("x-amz-request-id")));
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST(ServerTest, HeadCarriesContentLengthButNoBody) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("HEAD /stream?size=12345 HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r = client.ReadResponse(/*head_request=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.Get("Content-Length"), "12345");
  // No body bytes follow: the next response starts right away on the same connection.
  ASSERT_TRUE(client.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nnext"));
  auto next = client.ReadResponse();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "nex");
}

TEST(ServerTest, PutOf20MiBWithContentLengthStreamsThroughHandler) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  std::string body = Pattern(0, k20MiB);
  std::string request =
      fmt::format("PUT /hash HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", body.size()) +
      body;
  ASSERT_TRUE(client.SendSplit(request, {1, 17, 1000, 65537, 999983, 3}));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, HashReply(body));
}

TEST(ServerTest, PutOf20MiBChunkedStreamsThroughHandler) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  std::string body = Pattern(5, k20MiB);
  std::string request = "PUT /hash HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  static const size_t kChunkSizes[] = {1, 4095, 1 << 20, 77777, 3};
  for (size_t off = 0, i = 0; off < body.size(); ++i) {
    size_t n = std::min(body.size() - off, kChunkSizes[i % 5]);
    request += fmt::format("{:x}\r\n", n);
    request.append(body, off, n);
    request += "\r\n";
    off += n;
  }
  request += "0\r\n\r\n";
  ASSERT_TRUE(client.SendSplit(request, {5, 3, 70001, 1 << 20, 2}));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, HashReply(body));
  // The connection stays usable.
  ASSERT_TRUE(client.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok"));
  auto again = client.ReadResponse();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, "ok");
}

TEST(ServerTest, StreamsA20MiBResponseFromASource) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send(fmt::format("GET /stream?size={} HTTP/1.1\r\nHost: x\r\n\r\n", k20MiB)));
  uint64_t hash = 0;
  auto r = client.ReadResponse(false, &hash);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.Get("Content-Length"), std::to_string(k20MiB));
  EXPECT_EQ(hash, Fnv(kFnvStart, Pattern(0, k20MiB)));
}

TEST(ServerTest, StreamWithoutLengthIsChunked) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  const uint64_t size = (3u << 20) + 5;
  ASSERT_TRUE(client.Send(fmt::format("GET /chunked?size={} HTTP/1.1\r\nHost: x\r\n\r\n", size)));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->headers.Get("Transfer-Encoding"), "chunked");
  EXPECT_EQ(r->body, Pattern(0, size));
}

TEST(ServerTest, NoContentAndNotModifiedHaveNoBody) {
  TestServer server([](Request& request) {
    Response r;
    r.status = request.path == "/204" ? 204 : 304;
    r.body = "ignored";
    return r;
  });
  RawClient client(server.port());
  for (std::string path : {"/204", "/304", "/204"}) {
    ASSERT_TRUE(client.Send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto r = client.ReadResponse();
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, std::stoi(path.substr(1)));
    EXPECT_FALSE(r->headers.Has("Content-Length")) << path;
  }
}

TEST(ServerTest, HandlerExceptionBecomesInternalError) {
  TestServer server([](Request&) -> Response { throw std::runtime_error("boom"); });
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_NE(r->body.find("InternalError"), std::string::npos);
}

}  // namespace
}  // namespace stratus::http::testing
