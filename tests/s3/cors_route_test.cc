// The route rows of CORS and POST Object (the rest of the table is in route_test.cc).
#include <gtest/gtest.h>

#include "s3/route.h"

namespace stratus::s3 {
namespace {

http::Request MakeRequest(std::string method, std::string target,
                          std::string host = "127.0.0.1:9000") {
  http::Request request;
  request.method = std::move(method);
  size_t q = target.find('?');
  request.path = target.substr(0, q);
  if (q != std::string::npos) {
    request.raw_query = target.substr(q + 1);
    request.query = *http::ParseQuery(request.raw_query);
  }
  request.target = std::move(target);
  request.headers.Add("Host", std::move(host));
  return request;
}

std::string OpOf(std::string method, std::string target, std::string host = "127.0.0.1:9000",
                 std::string_view domain = "") {
  auto route =
      MatchRoute(MakeRequest(std::move(method), std::move(target), std::move(host)), domain);
  return route ? std::string(OpName(route->op)) : std::string(ErrorName(route.error().code()));
}

TEST(CorsRouteTest, Rows) {
  EXPECT_EQ(OpOf("GET", "/b?cors"), "GetBucketCors");
  EXPECT_EQ(OpOf("PUT", "/b?cors"), "PutBucketCors");
  EXPECT_EQ(OpOf("DELETE", "/b?cors"), "DeleteBucketCors");
  EXPECT_EQ(OpOf("OPTIONS", "/b"), "OptionsPreflight");
  EXPECT_EQ(OpOf("OPTIONS", "/b/some/key"), "OptionsPreflight");
  EXPECT_EQ(OpOf("POST", "/b"), "PostObject");
  EXPECT_EQ(OpOf("POST", "/"), "NotImplemented");
  EXPECT_EQ(OpOf("POST", "/b?acl"), "NotImplemented");
  EXPECT_EQ(OpOf("GET", "/b/k?cors"), "NotImplemented");
}

TEST(CorsRouteTest, VirtualHostedPost) {
  auto route = MatchRoute(MakeRequest("POST", "/", "photos.localhost:9000"), "localhost");
  ASSERT_TRUE(route);
  EXPECT_EQ(OpName(route->op), "PostObject");
  EXPECT_EQ(route->bucket, "photos");
  EXPECT_TRUE(route->host_style);
}

}  // namespace
}  // namespace stratus::s3
