// Runs an http::Server on 127.0.0.1 port 0 in a background thread for one test, with a test
// ErrorResponder that answers "<Error><Code>Name</Code></Error>".
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "http/server.h"
#include "raw_client.h"

namespace stratus::http::testing {

inline Response TestErrorResponse(const Status& error, const Request& request) {
  Response r;
  r.status = ErrorHttpStatus(error.code());
  r.headers.Set("Content-Type", "application/xml");
  r.body = "<Error><Code>" + std::string(ErrorName(error.code())) + "</Code><Message>" +
           std::string(error.message()) + "</Message><RequestId>" + request.request_id +
           "</RequestId></Error>";
  return r;
}

// True if an error body (TestErrorResponse's XML) names `code`.
inline bool HasCode(const RawResponse& r, std::string_view code) {
  return r.body.find("<Code>" + std::string(code) + "</Code>") != std::string::npos;
}

class TestServer {
 public:
  explicit TestServer(Handler handler, ServerOptions options = SmallOptions())
      : TestServer(std::move(handler), nullptr, std::move(options)) {}
  TestServer(Handler handler, InlineHandler inline_handler,
             ServerOptions options = SmallOptions()) {
    options.address = "127.0.0.1:0";
    server_ = std::make_unique<Server>(std::move(options), std::move(handler), TestErrorResponse,
                                       std::move(inline_handler));
    Status st = server_->Start();
    EXPECT_TRUE(st.ok()) << st.ToString();
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~TestServer() { StopAndJoin(); }

  static ServerOptions SmallOptions() {
    ServerOptions o;
    o.io_threads = 2;
    o.worker_threads = 4;
    o.grace_period = std::chrono::seconds(10);
    return o;
  }

  uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }
  void StopAndJoin() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

}  // namespace stratus::http::testing
