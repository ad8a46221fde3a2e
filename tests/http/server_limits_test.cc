// Limits, timeouts, back-pressure and graceful stop.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <atomic>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "http/server.h"
#include "raw_client.h"
#include "test_handlers.h"
#include "test_server.h"

namespace stratus::http::testing {
namespace {

using std::chrono::seconds;

TEST(ServerLimitsTest, HeaderSectionOverTheLimitIsRejectedAndCloses) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') +
                          "\r\n\r\n"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(HasCode(*r, "RequestHeaderSectionTooLarge")) << r->body;
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  EXPECT_TRUE(r->headers.Has("x-amz-request-id"));
  EXPECT_TRUE(client.AtEof());
}

TEST(ServerLimitsTest, TooManyHeaderFieldsAreRejected) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  std::string request = "GET /echo HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 150; ++i) request += fmt::format("X-F{}: v\r\n", i);
  ASSERT_TRUE(client.Send(request + "\r\n"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(HasCode(*r, "RequestHeaderSectionTooLarge")) << r->body;
  EXPECT_TRUE(client.AtEof());
}

TEST(ServerLimitsTest, GarbageRequestLineIsA400ThenClose) {
  TestServer server(RoutedHandler);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("\x01\x02 nonsense\r\n\r\n"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(HasCode(*r, "InvalidRequest")) << r->body;
  EXPECT_TRUE(client.AtEof());
}

TEST(ServerLimitsTest, StalledBodyTimesOutAndCloses) {
  ServerOptions options = TestServer::SmallOptions();
  options.read_timeout = seconds(1);
  std::promise<Status> seen;
  TestServer server(
      [&seen](Request& request) {
        auto body = ReadAll(*request.body);
        seen.set_value(body ? Status() : body.error());
        return TextResponse(400, "timeout");
      },
      options);
  RawClient client(server.port());
  // Larger than what the io side reads before dispatch: the handler is reading when it stalls.
  ASSERT_TRUE(
      client.Send("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n0123456789"));
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(seconds(20)), std::future_status::ready);
  Status status = future.get();
  EXPECT_EQ(status.code(), ErrorCode::kRequestTimeout) << status.ToString();
  // The deadline cancels the read but leaves the socket open: the handler's answer, then the
  // close.
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "timeout");
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  EXPECT_TRUE(client.AtEof());
}

// A small body is read before dispatch; when it stalls, the connection is closed and the
// handler never runs, so a trickling client holds no worker.
TEST(ServerLimitsTest, StalledSmallBodyTimesOutWithoutTheHandler) {
  ServerOptions options = TestServer::SmallOptions();
  options.read_timeout = seconds(1);
  options.worker_threads = 1;
  options.max_pending = 0;  // a held worker would make the second client's answer SlowDown
  std::atomic<int> calls{0};
  TestServer server(CountingRoutedHandler(calls), options);
  RawClient stalled(server.port());
  ASSERT_TRUE(stalled.Send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123"));
  // The one worker stays free for others meanwhile.
  RawClient other(server.port());
  ASSERT_TRUE(other.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok"));
  auto served = other.ReadResponse();
  ASSERT_TRUE(served);
  EXPECT_EQ(served->body, "ok");
  // The deadline cancels the read, and the io side answers RequestTimeout, as S3 does.
  auto r = stalled.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(HasCode(*r, "RequestTimeout")) << r->body;
  EXPECT_TRUE(stalled.AtEof());
  EXPECT_EQ(calls.load(), 1);
}

// Sends a PUT /echo head alone, checks 300 ms later that `calls()` is still `calls_before`
// (the body is being read before dispatch, not streamed to a running handler, which `why`
// explains otherwise), then sends the body and checks that it comes back.
void ExpectBodyReadBeforeDispatch(RawClient& client, const std::string& body,
                                  const std::function<int()>& calls, int calls_before,
                                  std::string_view why) {
  ASSERT_TRUE(client.Send(
      fmt::format("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", body.size())));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(calls(), calls_before) << why;
  ASSERT_TRUE(client.Send(body));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, body);
}

// Clients that send small headers and hold their bodies back could make the server allocate
// a body buffer each; once the budget for them is spent, bodies stream to the handler instead.
TEST(ServerLimitsTest, SpentPrefetchBudgetFallsBackToStreaming) {
  ServerOptions options = TestServer::SmallOptions();
  options.prefetch_budget_bytes = 100;
  std::atomic<int> calls{0};
  TestServer server(CountingRoutedHandler(calls), options);
  auto wait_for_calls = [&calls](int n) {
    for (int i = 0; i < 200 && calls.load() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return calls.load() == n;
  };
  RawClient holder(server.port());  // takes the whole budget and holds its body back
  ASSERT_TRUE(holder.Send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"));
  RawClient streamed(server.port());
  ASSERT_TRUE(streamed.Send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"));
  // No budget left: the handler runs before the body is there and reads it as it comes.
  ASSERT_TRUE(wait_for_calls(1)) << "the handler did not start without the body";
  ASSERT_TRUE(streamed.Send("hello"));
  auto r = streamed.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello");
  // The holder's request completes and gives its budget back...
  ASSERT_TRUE(holder.Send(std::string(100, 'h')));
  auto held = holder.ReadResponse();
  ASSERT_TRUE(held);
  EXPECT_EQ(held->body, std::string(100, 'h'));
  EXPECT_EQ(calls.load(), 2);
  // ...so the next small body is read before dispatch again.
  ExpectBodyReadBeforeDispatch(
      streamed, "again", [&calls] { return calls.load(); }, 2,
      "the handler ran before its body arrived");
}

// A body read before dispatch and then refused with SlowDown gives its budget back at once,
// not when its keep-alive connection next speaks or closes.
TEST(ServerLimitsTest, SlowDownReturnsThePrefetchBudget) {
  ServerOptions options = TestServer::SmallOptions();
  options.worker_threads = 1;
  options.max_pending = 0;
  options.prefetch_budget_bytes = 10;
  FirstCallGate gate;
  TestServer server(gate.Handler(), options);
  RawClient busy(server.port());  // holds the one worker and 1 byte of budget
  ASSERT_TRUE(busy.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nA"));
  gate.WaitStarted();
  RawClient refused(server.port());  // 5 bytes read, then SlowDown; the connection stays open
  ASSERT_TRUE(refused.Send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"));
  auto r = refused.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_TRUE(HasCode(*r, "SlowDown")) << r->body;
  gate.Release();
  ASSERT_TRUE(busy.ReadResponse());
  // The whole budget is free again: a 10-byte body is read before its handler runs.
  RawClient probe(server.port());
  ExpectBodyReadBeforeDispatch(
      probe, "0123456789", [&gate] { return gate.calls(); }, 1,
      "the body streamed: the refused request kept its budget");
}

TEST(ServerLimitsTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options = TestServer::SmallOptions();
  options.idle_timeout = seconds(1);
  TestServer server(RoutedHandler, options);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(client.ReadResponse());
  EXPECT_TRUE(client.AtEof());  // within the client's 20 s receive timeout
}

TEST(ServerLimitsTest, FullWorkerPoolAnswersSlowDownWithoutRunningTheHandler) {
  ServerOptions options = TestServer::SmallOptions();
  options.worker_threads = 1;
  options.max_pending = 0;
  FirstCallGate gate;
  TestServer server(gate.Handler(), options);
  RawClient busy(server.port());
  ASSERT_TRUE(busy.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nA"));
  gate.WaitStarted();
  RawClient rejected(server.port());
  ASSERT_TRUE(rejected.Send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r = rejected.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_TRUE(HasCode(*r, "SlowDown")) << r->body;
  gate.Release();
  auto ok = busy.ReadResponse();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->body, "A");
  EXPECT_EQ(gate.calls(), 1);
}

TEST(ServerLimitsTest, StopLetsAnInFlightRequestFinishAndClosesIdleOnes) {
  std::promise<void> started;
  TestServer server([&](Request& request) {
    if (request.path == "/slow") {
      started.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      return TextResponse(200, "done");
    }
    return RoutedHandler(request);
  });
  RawClient idle(server.port());
  ASSERT_TRUE(idle.Send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(idle.ReadResponse());
  RawClient slow(server.port());
  ASSERT_TRUE(slow.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  started.get_future().wait();
  std::thread stopper([&] { server.StopAndJoin(); });
  auto r = slow.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done");
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  EXPECT_TRUE(idle.AtEof());
  stopper.join();  // Run() returned
}

TEST(ServerLimitsTest, StopAfterTheGracePeriodFailsAStuckBodyRead) {
  ServerOptions options = TestServer::SmallOptions();
  options.grace_period = seconds(1);
  std::promise<void> started;
  std::promise<Status> seen;
  TestServer server(
      [&](Request& request) {
        started.set_value();
        auto body = ReadAll(*request.body);
        seen.set_value(body ? Status() : body.error());
        return TextResponse(400, "cut");
      },
      options);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc"));
  started.get_future().wait();
  server.StopAndJoin();  // returns once the grace period has closed the connection
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(seconds(0)), std::future_status::ready);
  EXPECT_FALSE(future.get().ok());
}

}  // namespace
}  // namespace stratus::http::testing
