// Slow clients hold no worker thread: a handler waiting for body bytes or for a reader's
// window is parked (docs/decisions/0002-parked-handlers.md).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

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

}  // namespace
}  // namespace stratus::http::testing
