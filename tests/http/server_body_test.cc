// Request-body edge cases: Expect: 100-continue, truncated bodies, unread bodies.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <atomic>
#include <future>
#include <string>

#include "http/server.h"
#include "raw_client.h"
#include "test_handlers.h"
#include "test_server.h"

namespace stratus::http::testing {
namespace {

// Past the size the io side reads before dispatch (connection.cc's kPrefetchLimit).
constexpr size_t kStreamedBody = 100 * 1024;

TEST(ServerBodyTest, ContinueIsSentOnlyWhenTheHandlerReads) {
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  TestServer server([opened](Request& request) {
    opened.wait();
    return RoutedHandler(request);
  });
  RawClient client(server.port());
  ASSERT_TRUE(client.Send(fmt::format(
      "PUT /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
      kStreamedBody)));
  EXPECT_FALSE(client.Readable(300)) << "100 Continue before the handler read";
  gate.set_value();
  auto interim = client.ReadUntil("\r\n\r\n");
  ASSERT_TRUE(interim);
  EXPECT_EQ(*interim, "HTTP/1.1 100 Continue\r\n\r\n");
  const std::string body = Pattern(0, kStreamedBody);
  ASSERT_TRUE(client.Send(body));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, body);
  // Keep-alive survives the exchange.
  ASSERT_TRUE(client.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz"));
  auto again = client.ReadResponse();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, "z");
}

// A small body is read before the handler is queued, and the handler finds the whole body
// however the client split it. One with Expect: 100-continue is not: the handler, which may
// refuse it, runs first and its first Read invites the body.
TEST(ServerBodyTest, SmallBodyIsReadBeforeTheHandlerRunsUnlessItAwaitsAnInvitation) {
  std::atomic<int> calls{0};
  TestServer server(CountingRoutedHandler(calls));
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nh"));
  EXPECT_FALSE(client.Readable(200));
  EXPECT_EQ(calls.load(), 0) << "the handler ran before its body arrived";
  ASSERT_TRUE(client.SendSplit("ello", {1, 2}));
  auto first = client.ReadResponse();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "hello");
  ASSERT_TRUE(client.Send(
      "PUT /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  auto interim = client.ReadUntil("\r\n\r\n");
  ASSERT_TRUE(interim);
  EXPECT_EQ(*interim, "HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_EQ(calls.load(), 2) << "invited before the handler ran";
  ASSERT_TRUE(client.SendSplit("hello", {1, 3}));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  // The largest body read this way, sent in odd pieces, with the next request right behind
  // it on the connection (pipelined).
  const std::string body = Pattern(7, 64 * 1024);
  ASSERT_TRUE(client.SendSplit(
      fmt::format("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", body.size()) +
          body + "GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok",
      {1000, 7, 40000}));
  auto big = client.ReadResponse();
  ASSERT_TRUE(big);
  EXPECT_EQ(big->body, body);
  auto next = client.ReadResponse();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "ok");
  EXPECT_EQ(calls.load(), 4);
}

TEST(ServerBodyTest, RejectionWithoutReadingNeverInvitesTheBody) {
  TestServer server(RoutedHandler);
  // Large or small: a small body awaiting its invitation is not prefetched either.
  for (std::string_view length : {"100000000", "10"}) {
    RawClient client(server.port());
    ASSERT_TRUE(client.Send(fmt::format(
        "PUT /reject HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: {}\r\n"
        "\r\n",
        length)));
    auto r = client.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403) << length;  // not 100
    EXPECT_EQ(r->headers.Get("Connection"), "close");
    EXPECT_TRUE(client.AtEof());
  }
}

TEST(ServerBodyTest, TruncatedBodyIsAnErrorForTheHandler) {
  std::promise<Status> seen;
  TestServer server([&seen](Request& request) {
    auto body = ReadAll(*request.body);
    seen.set_value(body ? Status() : body.error());
    return TextResponse(400, "incomplete");
  });
  RawClient client(server.port());
  ASSERT_TRUE(client.Send(
      fmt::format("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", kStreamedBody) +
      std::string(500, 'a')));
  client.ShutdownWrite();
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_EQ(future.get().code(), ErrorCode::kIncompleteBody);
}

// A small body read before dispatch that never completes is answered without the handler.
TEST(ServerBodyTest, TruncatedSmallBodyIsAnsweredWithoutTheHandler) {
  std::atomic<int> calls{0};
  TestServer server(CountingRoutedHandler(calls));
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" +
                          std::string(500, 'a')));
  client.ShutdownWrite();
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("IncompleteBody"), std::string::npos) << r->body;
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  EXPECT_TRUE(client.AtEof());
  EXPECT_EQ(calls.load(), 0);
}

TEST(ServerBodyTest, SmallUnreadBodyIsDrainedAndKeepAliveContinues) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("PUT /reject HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n" +
                          std::string(10000, 'a')));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_FALSE(r->headers.Has("Connection"));
  ASSERT_TRUE(client.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok"));
  auto again = client.ReadResponse();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, "ok");
}

// A refused body too large to have been read ahead is not drained on the worker: a client
// trickling it would hold the worker. The answer comes at once and the connection closes.
TEST(ServerBodyTest, RefusedTricklingBodyIsAnsweredAtOnceAndCloses) {
  TestServer server(RoutedHandler);
  RawClient client(server.port(), 5);
  ASSERT_TRUE(client.Send("PUT /reject HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" +
                          std::string(10, 'a')));  // and then nothing more, for now
  auto r = client.ReadResponse();
  ASSERT_TRUE(r) << "the answer waited for the body";
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->headers.Get("Connection"), "close");
}

TEST(ServerBodyTest, LargeUnreadBodyClosesTheConnection) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("PUT /reject HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n" +
                          std::string(100000, 'a')));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->headers.Get("Connection"), "close");
}

}  // namespace
}  // namespace stratus::http::testing
