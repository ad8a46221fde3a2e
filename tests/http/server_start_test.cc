// Server lifecycle without traffic: binding, failures, Stop before or without Run.
#include <gtest/gtest.h>

#include <thread>

#include "http/server.h"
#include "test_handlers.h"
#include "test_server.h"

namespace stratus::http::testing {
namespace {

ServerOptions At(std::string address) {
  ServerOptions o = TestServer::SmallOptions();
  o.address = std::move(address);
  return o;
}

TEST(ServerStartTest, PortZeroPicksAFreePort) {
  Server server(At("127.0.0.1:0"), RoutedHandler, TestErrorResponse);
  ASSERT_TRUE(server.Start().ok());
  EXPECT_NE(server.port(), 0);
}

TEST(ServerStartTest, BracketedIpv6AddressBinds) {
  Server server(At("[::1]:0"), RoutedHandler, TestErrorResponse);
  Status st = server.Start();
  if (!st.ok()) GTEST_SKIP() << "no IPv6 loopback: " << st.ToString();
  EXPECT_NE(server.port(), 0);
}

TEST(ServerStartTest, PortInUseAndBadAddressFail) {
  Server first(At("127.0.0.1:0"), RoutedHandler, TestErrorResponse);
  ASSERT_TRUE(first.Start().ok());
  Server second(At("127.0.0.1:" + std::to_string(first.port())), RoutedHandler, TestErrorResponse);
  EXPECT_FALSE(second.Start().ok());
  Server bad(At("127.0.0.1:notaport"), RoutedHandler, TestErrorResponse);
  EXPECT_FALSE(bad.Start().ok());
  Server no_port(At("127.0.0.1"), RoutedHandler, TestErrorResponse);
  EXPECT_FALSE(no_port.Start().ok());
}

TEST(ServerStartTest, StopBeforeRunMakesRunReturn) {
  Server server(At("127.0.0.1:0"), RoutedHandler, TestErrorResponse);
  ASSERT_TRUE(server.Start().ok());
  server.Stop();
  server.Stop();  // idempotent
  server.Run();
}

TEST(ServerStartTest, StopBeforeStartStillEndsRun) {
  Server server(At("127.0.0.1:0"), RoutedHandler, TestErrorResponse);
  server.Stop();
  ASSERT_TRUE(server.Start().ok());
  server.Run();
}

TEST(ServerStartTest, StopFromAnotherThreadEndsAnIdleServer) {
  Server server(At("127.0.0.1:0"), RoutedHandler, TestErrorResponse);
  ASSERT_TRUE(server.Start().ok());
  std::thread runner([&] { server.Run(); });
  server.Stop();
  runner.join();
}

TEST(ServerStartTest, RunWithoutStartReturns) {
  Server server(At("127.0.0.1:0"), RoutedHandler, TestErrorResponse);
  server.Run();
}

}  // namespace
}  // namespace stratus::http::testing
