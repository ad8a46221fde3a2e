// Slow and greedy clients: a handler waiting for body bytes or for a reader's window is parked
// (docs/decisions/0002-parked-handlers.md); trickling bodies are cut by a minimum rate; one
// client address cannot take every connection or handler.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "http/server.h"
#include "raw_client.h"
#include "test_handlers.h"
#include "test_server.h"

namespace stratus::http::testing {
namespace {

// One worker thread: a trickling upload and a reader that never reads are both mid-request,
// and a third client is still answered; the upload then completes intact.
TEST(ServerSlowClientsTest, SlowBodyAndSlowReaderHoldNoThread) {
  ServerOptions options = TestServer::SmallOptions();
  options.worker_threads = 1;
  TestServer server(RoutedHandler, options);

  constexpr size_t kBody = 1000000;  // streamed: over what is read before dispatch
  const std::string body(kBody, 'q');
  RawClient uploader(server.port());
  ASSERT_TRUE(uploader.Send(
      fmt::format("PUT /hash HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", kBody) +
      body.substr(0, 10)));

  RawClient non_reader(server.port());
  ASSERT_TRUE(non_reader.Send("GET /stream?size=268435456 HTTP/1.1\r\nHost: x\r\n\r\n"));

  // Both handlers have started by now or will have to share the one thread with this one.
  RawClient probe(server.port());
  ASSERT_TRUE(probe.Send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"));
  auto answered = probe.ReadResponse();
  ASSERT_TRUE(answered) << "a slow client held the only worker thread";
  EXPECT_EQ(answered->status, 200);
  EXPECT_EQ(answered->body, "hello");

  ASSERT_TRUE(uploader.Send(body.substr(10)));
  auto uploaded = uploader.ReadResponse();
  ASSERT_TRUE(uploaded);
  EXPECT_EQ(uploaded->status, 200);
  uint64_t expected = Fnv(kFnvStart, body);
  EXPECT_EQ(uploaded->body, fmt::format("{} {:016x}", kBody, expected));
}

// Sends `head`, then 10 body bytes every 100 ms (100 B/s) until the server answers; the
// answer, if one came within the bound.
std::optional<RawResponse> TrickleUntilAnswered(RawClient& client, const std::string& head) {
  if (!client.Send(head)) return std::nullopt;
  for (int i = 0; i < 100 && !client.Readable(100); ++i) {
    if (!client.Send("0123456789")) break;  // the server may have closed after answering
  }
  return client.ReadResponse();
}

ServerOptions MinimumRateOptions() {
  ServerOptions options = TestServer::SmallOptions();
  options.read_timeout = std::chrono::seconds(30);  // per read: never reached at 100 B/s
  options.min_body_rate = 1000;
  options.body_rate_grace = std::chrono::seconds(1);
  return options;
}

// A body read before dispatch (small) that trickles below the minimum rate is answered
// 400 RequestTimeout, as S3 answers, then closed; the handler never runs.
TEST(ServerSlowClientsTest, SmallBodyBelowTheMinimumRateGetsRequestTimeout) {
  std::atomic<int> calls{0};
  TestServer server(CountingRoutedHandler(calls), MinimumRateOptions());
  RawClient client(server.port());
  auto r =
      TrickleUntilAnswered(client, "PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n");
  ASSERT_TRUE(r) << "no answer: the trickle was not cut";
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(HasCode(*r, "RequestTimeout")) << r->body;
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  EXPECT_TRUE(client.AtEof());
  EXPECT_EQ(calls.load(), 0);
}

// A streamed body (its handler is reading) below the minimum rate: the handler's Read fails
// with RequestTimeout and its answer still reaches the client before the close.
TEST(ServerSlowClientsTest, StreamedBodyBelowTheMinimumRateGetsTheHandlersAnswer) {
  TestServer server(RoutedHandler, MinimumRateOptions());
  RawClient client(server.port());
  auto r = TrickleUntilAnswered(client,
                                "PUT /hash HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  ASSERT_TRUE(r) << "no answer: the trickle was not cut";
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("RequestTimeout"), std::string::npos) << r->body;
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  EXPECT_TRUE(client.AtEof());
}

// The rate counts only time the server waited for bytes: a body sent in bursts well above the
// rate, with pauses shorter than the grace, completes.
TEST(ServerSlowClientsTest, BurstyBodyAboveTheMinimumRateCompletes) {
  TestServer server(RoutedHandler, MinimumRateOptions());
  RawClient client(server.port());
  constexpr size_t kBody = 200000;
  const std::string body(kBody, 'b');
  ASSERT_TRUE(client.Send(
      fmt::format("PUT /hash HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", kBody)));
  for (size_t at = 0; at < kBody; at += 50000) {  // 50 kB every 300 ms: ~160 kB/s
    ASSERT_TRUE(client.Send(body.substr(at, 50000)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, fmt::format("{} {:016x}", kBody, Fnv(kFnvStart, body)));
}

// A client's connections beyond its limit get SlowDown to their request and are closed;
// another address is served, and so is the first again once it holds fewer connections.
TEST(ServerClientLimitsTest, ConnectionsBeyondAClientsLimitGetSlowDown) {
  ServerOptions options = TestServer::SmallOptions();
  options.max_connections_per_client = 2;
  TestServer server(RoutedHandler, options);
  auto first = std::make_unique<RawClient>(server.port(), 20, "127.0.0.1");
  RawClient second(server.port(), 20, "127.0.0.1");
  ASSERT_TRUE(first->connected() && second.connected());
  const std::string get = "GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok";
  ASSERT_TRUE(first->Send(get));  // served: both are counted before the third connects
  ASSERT_TRUE(first->ReadResponse());

  RawClient third(server.port(), 20, "127.0.0.1");
  ASSERT_TRUE(third.Send(get));
  auto refused = third.ReadResponse();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_TRUE(HasCode(*refused, "SlowDown")) << refused->body;
  EXPECT_TRUE(third.AtEof());

  RawClient elsewhere(server.port(), 20, "127.0.0.2");
  ASSERT_TRUE(elsewhere.Send(get));
  auto served = elsewhere.ReadResponse();
  ASSERT_TRUE(served);
  EXPECT_EQ(served->status, 200);

  first.reset();  // the client now holds one connection (once the server sees the close)
  std::optional<RawResponse> again;
  for (int i = 0; i < 100; ++i) {
    RawClient next(server.port(), 20, "127.0.0.1");
    if (!next.Send(get)) continue;
    again = next.ReadResponse();
    if (again && again->status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

// While a client's request holds a handler, its next request (over a limit of one) gets
// SlowDown without running a handler; another address is served; the first connection goes
// on once its request ends.
TEST(ServerClientLimitsTest, RequestsBeyondAClientsLimitGetSlowDown) {
  ServerOptions options = TestServer::SmallOptions();
  options.max_requests_per_client = 1;
  TestServer server(RoutedHandler, options);
  constexpr size_t kBody = 1000000;  // streamed: its handler runs while the body trickles
  const std::string body(kBody, 'u');
  RawClient uploader(server.port(), 20, "127.0.0.1");
  ASSERT_TRUE(uploader.Send(
      fmt::format("PUT /hash HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", kBody) +
      body.substr(0, 100)));
  const std::string get = "GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok";
  std::optional<RawResponse> refused;
  for (int i = 0; i < 100; ++i) {  // until the upload's handler has started
    RawClient other(server.port(), 20, "127.0.0.1");
    ASSERT_TRUE(other.Send(get));
    refused = other.ReadResponse();
    if (refused && refused->status == 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_TRUE(HasCode(*refused, "SlowDown")) << refused->body;

  RawClient elsewhere(server.port(), 20, "127.0.0.2");
  ASSERT_TRUE(elsewhere.Send(get));
  auto served = elsewhere.ReadResponse();
  ASSERT_TRUE(served);
  EXPECT_EQ(served->status, 200);

  ASSERT_TRUE(uploader.Send(body.substr(100)));
  auto uploaded = uploader.ReadResponse();
  ASSERT_TRUE(uploaded);
  EXPECT_EQ(uploaded->status, 200);
  ASSERT_TRUE(uploader.Send(get));  // the same connection's next request is within the limit
  auto next = uploader.ReadResponse();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

}  // namespace
}  // namespace stratus::http::testing
