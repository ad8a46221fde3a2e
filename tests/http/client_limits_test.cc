#include "http/client_limits.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>

namespace stratus::http {
namespace {

using boost::asio::ip::make_address;

TEST(ClientLimitsTest, KeysAreIpv4AddressesAndIpv6Slash64s) {
  EXPECT_EQ(ClientLimits::KeyOf(make_address("192.0.2.7")), "192.0.2.7");
  // Every address of one /64 is one client; the next /64 is another.
  EXPECT_EQ(ClientLimits::KeyOf(make_address("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
  EXPECT_EQ(ClientLimits::KeyOf(make_address("2001:db8:1:2:ffff:1:2:3")), "2001:db8:1:2::/64");
  EXPECT_NE(ClientLimits::KeyOf(make_address("2001:db8:1:3::1")), "2001:db8:1:2::/64");
  // A dual-stack socket's v4-mapped peer is its IPv4 address.
  EXPECT_EQ(ClientLimits::KeyOf(make_address("::ffff:192.0.2.7")), "192.0.2.7");
}

TEST(ClientLimitsTest, ConnectionsBeyondTheLimitAreCountedAndRefused) {
  ClientLimits limits(2, 0);
  EXPECT_TRUE(limits.AddConnection("a"));
  EXPECT_TRUE(limits.AddConnection("a"));
  EXPECT_FALSE(limits.AddConnection("a"));  // the third
  EXPECT_TRUE(limits.AddConnection("b"));   // another client is not affected
  limits.RemoveConnection("a");
  EXPECT_FALSE(limits.AddConnection("a"));  // the refused one still holds its socket
  limits.RemoveConnection("a");
  limits.RemoveConnection("a");
  EXPECT_TRUE(limits.AddConnection("a"));
}

TEST(ClientLimitsTest, RequestsBeyondTheLimitAreRefusedUntilOneEnds) {
  ClientLimits limits(0, 2);
  limits.AddConnection("a");
  limits.AddConnection("b");
  EXPECT_TRUE(limits.TryStartRequest("a"));
  EXPECT_TRUE(limits.TryStartRequest("a"));
  EXPECT_FALSE(limits.TryStartRequest("a"));
  EXPECT_TRUE(limits.TryStartRequest("b"));
  limits.EndRequest("a");
  EXPECT_TRUE(limits.TryStartRequest("a"));
  EXPECT_FALSE(limits.TryStartRequest("nobody"));  // no connection, no request
}

TEST(ClientLimitsTest, AClientsEntryGoesWithItsLastConnection) {
  ClientLimits limits(0, 0);
  for (int i = 0; i < 3; ++i) limits.AddConnection("a");
  limits.AddConnection("b");
  EXPECT_EQ(limits.clients(), 2u);
  for (int i = 0; i < 3; ++i) limits.RemoveConnection("a");
  EXPECT_EQ(limits.clients(), 1u);
  limits.RemoveConnection("b");
  EXPECT_EQ(limits.clients(), 0u);
}

}  // namespace
}  // namespace stratus::http
