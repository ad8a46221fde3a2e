// Request-body edge cases: Expect: 100-continue, truncated bodies, unread bodies.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <future>
#include <string>

#include "http/server.h"
#include "raw_client.h"
#include "test_handlers.h"
#include "test_server.h"

namespace stratus::http::testing {
namespace {

TEST(ServerBodyTest, ContinueIsSentOnlyWhenTheHandlerReads) {
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  TestServer server([opened](Request& request) {
    opened.wait();
    return RoutedHandler(request);
  });
  RawClient client(server.port());
  ASSERT_TRUE(client.Send(
      "PUT /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  EXPECT_FALSE(client.Readable(300)) << "100 Continue before the handler read";
  gate.set_value();
  auto interim = client.ReadUntil("\r\n\r\n");
  ASSERT_TRUE(interim);
  EXPECT_EQ(*interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(client.Send("hello"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  // Keep-alive survives the exchange.
  ASSERT_TRUE(client.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz"));
  auto again = client.ReadResponse();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, "z");
}

TEST(ServerBodyTest, RejectionWithoutReadingNeverInvitesTheBody) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send(
      "PUT /reject HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100000000\r\n"
      "\r\n"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);  // not 100
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  EXPECT_TRUE(client.AtEof());
}

TEST(ServerBodyTest, TruncatedBodyIsAnErrorForTheHandler) {
  std::promise<Status> seen;
  TestServer server([&seen](Request& request) {
    auto body = ReadAll(*request.body);
    seen.set_value(body ? Status() : body.error());
    return TextResponse(400, "incomplete");
  });
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" +
                          std::string(500, 'a')));
  client.ShutdownWrite();
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_EQ(future.get().code(), ErrorCode::kIncompleteBody);
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
