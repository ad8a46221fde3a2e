// The inline handler: requests whose body is in memory, answered from the io thread or later
// from any thread, and the fall-back to the worker Handler when it declines.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "raw_client.h"
#include "test_handlers.h"
#include "test_server.h"

namespace stratus::http::testing {
namespace {

// Past the size the io side reads before dispatch (connection.cc's kPrefetchLimit).
constexpr size_t kStreamedBody = 100 * 1024;

std::string Put(std::string_view path, std::string_view body) {
  return fmt::format("PUT {} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{}", path,
                     body.size(), body);
}

std::optional<RawResponse> PutAndRead(RawClient& client, std::string_view path,
                                      std::string_view body) {
  if (!client.Send(Put(path, body))) return std::nullopt;
  return client.ReadResponse();
}

// Answers later from a thread of its own, as a grouped commit does: "inline:<body>".
class DeferredAnswers {
 public:
  ~DeferredAnswers() {
    for (auto& thread : threads_) thread.join();
  }
  InlineHandler Handler(std::chrono::milliseconds delay) {
    return [this, delay](Request& request, Responder respond) {
      ++taken;
      auto body = ReadAll(*request.body);
      if (!body) return false;
      std::lock_guard lock(mu_);
      threads_.emplace_back([delay, respond, body = *body] {
        std::this_thread::sleep_for(delay);
        respond(TextResponse(200, "inline:" + body));
      });
      return true;
    };
  }
  std::atomic<int> taken{0};

 private:
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

// A server whose inline handler is a DeferredAnswers and whose Handler counts its calls.
struct DeferringServer {
  explicit DeferringServer(std::chrono::milliseconds delay)
      : server(CountingRoutedHandler(worker_calls), answers.Handler(delay)) {}
  std::atomic<int> worker_calls{0};
  DeferredAnswers answers;
  TestServer server;  // last: stopped before the answers' threads are joined
};

TEST(ServerInlineTest, AnswerFromAnotherThreadKeepsTheConnectionGoing) {
  DeferringServer deferring(std::chrono::milliseconds(50));
  RawClient client(deferring.server.port());
  for (int i = 0; i < 3; ++i) {
    std::string body = Pattern(i, 1000 + i);
    auto r = PutAndRead(client, "/echo", body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "inline:" + body);
    ASSERT_TRUE(r->headers.Get("x-amz-request-id"));
  }
  EXPECT_EQ(deferring.answers.taken, 3);
  EXPECT_EQ(deferring.worker_calls, 0);
}

TEST(ServerInlineTest, PipelinedRequestsAreAnsweredInOrder) {
  DeferringServer deferring(std::chrono::milliseconds(20));
  RawClient client(deferring.server.port());
  ASSERT_TRUE(client.Send(Put("/echo", "first") + Put("/echo", "second")));
  for (const char* expected : {"inline:first", "inline:second"}) {
    auto r = client.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, expected);
  }
}

// A declined request reaches the Handler as if the inline handler had never seen it, even
// after it read part of the body; so does one whose inline handler threw.
TEST(ServerInlineTest, DeclinedOrThrowingGoesToTheHandlerWithTheWholeBody) {
  std::atomic<int> worker_calls{0};
  std::atomic<int> inline_calls{0};
  TestServer server(CountingRoutedHandler(worker_calls), [&](Request& request, Responder) {
    ++inline_calls;
    char partial[10];
    (void)request.body->Read(partial);
    if (request.Query("throw")) throw std::runtime_error("inline failure");
    return false;
  });
  RawClient client(server.port());
  const std::string body = Pattern(3, 5000);
  for (const char* path : {"/echo", "/echo?throw"}) {
    auto r = PutAndRead(client, path, body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, body);
  }
  EXPECT_EQ(inline_calls, 2);
  EXPECT_EQ(worker_calls, 2);
}

// botocore sends Expect: 100-continue even with an empty body. The 100 is owed, and only a
// worker may send it (a Read on the io thread cannot wait for the io thread), so such a
// request skips the inline handler.
TEST(ServerInlineTest, EmptyBodyWithExpectGoesToTheHandler) {
  DeferringServer deferring(std::chrono::milliseconds(0));
  RawClient client(deferring.server.port(), 5);
  ASSERT_TRUE(client.Send(
      "PUT /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n"));
  auto interim = client.ReadUntil("\r\n\r\n");
  ASSERT_TRUE(interim);
  EXPECT_EQ(*interim, "HTTP/1.1 100 Continue\r\n\r\n");
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(deferring.answers.taken, 0);
  EXPECT_EQ(deferring.worker_calls, 1);
  // So does a small body with Expect: the handler decides before the body is invited.
  ASSERT_TRUE(client.Send(
      "PUT /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"));
  interim = client.ReadUntil("\r\n\r\n");
  ASSERT_TRUE(interim);
  EXPECT_EQ(*interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(client.Send("abc"));
  r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "abc");
  EXPECT_EQ(deferring.answers.taken, 0);
  EXPECT_EQ(deferring.worker_calls, 2);
}

TEST(ServerInlineTest, StreamedBodiesGoStraightToTheHandler) {
  DeferringServer deferring(std::chrono::milliseconds(0));
  RawClient client(deferring.server.port());
  const std::string body = Pattern(0, kStreamedBody);
  auto r = PutAndRead(client, "/echo", body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, body);
  EXPECT_EQ(deferring.answers.taken, 0);
  EXPECT_EQ(deferring.worker_calls, 1);
}

TEST(ServerInlineTest, AnAnswerWithAStreamIsAnInternalError) {
  std::atomic<int> worker_calls{0};
  TestServer server(CountingRoutedHandler(worker_calls), [](Request&, Responder respond) {
    Response response;
    response.stream = std::make_unique<PatternSource>(10);
    response.content_length = 10;
    respond(std::move(response));
    return true;
  });
  RawClient client(server.port());
  auto r = PutAndRead(client, "/echo", "x");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_NE(r->body.find("InternalError"), std::string::npos);
  EXPECT_EQ(worker_calls, 0);
}

// Stop() lets a request whose answer is still coming finish within the grace period.
TEST(ServerInlineTest, StopWaitsForAPendingInlineAnswer) {
  std::promise<Responder> taken;
  std::atomic<int> worker_calls{0};
  TestServer server(CountingRoutedHandler(worker_calls), [&](Request&, Responder respond) {
    taken.set_value(std::move(respond));
    return true;
  });
  RawClient client(server.port());
  ASSERT_TRUE(client.Send(Put("/echo", "pending")));
  Responder respond = taken.get_future().get();
  std::thread stopper([&] { server.StopAndJoin(); });
  EXPECT_FALSE(client.Readable(200)) << "answered before respond was called";
  respond(TextResponse(200, "late"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "late");
  EXPECT_EQ(r->headers.Get("Connection").value_or(""), "close");
  stopper.join();
}

}  // namespace
}  // namespace stratus::http::testing
