#include "s3/route.h"

#include <gtest/gtest.h>

namespace stratus::s3 {
namespace {

http::Request MakeRequest(std::string method, std::string target,
                          std::string host = "127.0.0.1:9000") {
  http::Request request;
  request.method = std::move(method);
  request.target = target;
  size_t q = target.find('?');
  request.path = target.substr(0, q);
  if (q != std::string::npos) {
    request.raw_query = target.substr(q + 1);
    request.query = *http::ParseQuery(request.raw_query);
  }
  request.headers.Add("Host", std::move(host));
  return request;
}

struct RouteCase {
  std::string method;
  std::string target;
  Op op;
  std::string bucket;
  std::string key;
};

class RouteTableTest : public testing::TestWithParam<RouteCase> {};

TEST_P(RouteTableTest, MatchesOperationBucketAndKey) {
  const RouteCase& c = GetParam();
  auto route = MatchRoute(MakeRequest(c.method, c.target), "");
  ASSERT_TRUE(route.has_value()) << c.method << " " << c.target << ": " << route.error().ToString();
  EXPECT_EQ(OpName(route->op), OpName(c.op));
  EXPECT_EQ(route->bucket, c.bucket);
  EXPECT_EQ(route->key, c.key);
}

INSTANTIATE_TEST_SUITE_P(
    EveryRow, RouteTableTest,
    testing::Values(RouteCase{"GET", "/", Op::kListBuckets, "", ""},
                    RouteCase{"GET", "/b?location", Op::kGetBucketLocation, "b", ""},
                    RouteCase{"GET", "/b?list-type=2&prefix=a", Op::kListObjectsV2, "b", ""},
                    RouteCase{"GET", "/b", Op::kListObjects, "b", ""},
                    RouteCase{"GET", "/b/", Op::kListObjects, "b", ""},
                    RouteCase{"PUT", "/b", Op::kCreateBucket, "b", ""},
                    RouteCase{"HEAD", "/b", Op::kHeadBucket, "b", ""},
                    RouteCase{"DELETE", "/b", Op::kDeleteBucket, "b", ""},
                    RouteCase{"PUT", "/b/k", Op::kPutObject, "b", "k"},
                    RouteCase{"GET", "/b/k?x-id=GetObject", Op::kGetObject, "b", "k"},
                    RouteCase{"GET", "/b/k?response-content-type=a", Op::kGetObject, "b", "k"},
                    RouteCase{"HEAD", "/b/k", Op::kHeadObject, "b", "k"},
                    RouteCase{"DELETE", "/b/k", Op::kDeleteObject, "b", "k"},
                    RouteCase{"POST", "/b?delete", Op::kDeleteObjects, "b", ""},
                    RouteCase{"GET", "/b?tagging", Op::kGetBucketTagging, "b", ""},
                    RouteCase{"PUT", "/b?tagging", Op::kPutBucketTagging, "b", ""},
                    RouteCase{"DELETE", "/b?tagging", Op::kDeleteBucketTagging, "b", ""},
                    RouteCase{"GET", "/b/k?tagging", Op::kGetObjectTagging, "b", "k"},
                    RouteCase{"PUT", "/b/k?tagging", Op::kPutObjectTagging, "b", "k"},
                    RouteCase{"DELETE", "/b/k?tagging", Op::kDeleteObjectTagging, "b", "k"},
                    RouteCase{"GET", "/b/k?attributes", Op::kGetObjectAttributes, "b", "k"}));

TEST(Route, KeysAreDecodedAndNeverNormalized) {
  auto route = MatchRoute(MakeRequest("GET", "/b/../../etc/passwd"), "");
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(route->key, "../../etc/passwd");
  route = MatchRoute(MakeRequest("GET", "/b/a//b"), "");
  EXPECT_EQ(route->key, "a//b");
  route = MatchRoute(MakeRequest("GET", "/b/%E2%82%AC%20x%2Fy"), "");
  EXPECT_EQ(route->key, "\xE2\x82\xAC x/y");
  route = MatchRoute(MakeRequest("GET", "/b/."), "");
  EXPECT_EQ(route->key, ".");
}

TEST(Route, VirtualHostedStyleTakesTheBucketFromHost) {
  auto route =
      MatchRoute(MakeRequest("GET", "/dir/key", "photos.s3.example.com:9000"), "s3.example.com");
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(route->bucket, "photos");
  EXPECT_EQ(route->key, "dir/key");
  EXPECT_TRUE(route->host_style);
  // The bare domain is path style.
  route = MatchRoute(MakeRequest("GET", "/photos/k", "s3.example.com"), "s3.example.com");
  EXPECT_EQ(route->bucket, "photos");
  EXPECT_FALSE(route->host_style);
}

TEST(Route, UnbuiltOperationsAreNotImplementedNeverServedAsOthers) {
  for (const char* target : {"/b?acl", "/b?versioning", "/b/k?legal-hold"}) {
    auto route = MatchRoute(MakeRequest("GET", target), "");
    ASSERT_FALSE(route.has_value()) << target;
    EXPECT_EQ(route.error().code(), ErrorCode::kNotImplemented) << target;
  }
  auto post = MatchRoute(MakeRequest("POST", "/b/k?restore"), "");
  EXPECT_EQ(post.error().code(), ErrorCode::kNotImplemented);
  // A version of a tag set is not the current one.
  auto version = MatchRoute(MakeRequest("GET", "/b/k?tagging&versionId=1"), "");
  EXPECT_EQ(version.error().code(), ErrorCode::kNotImplemented);
}

TEST(Route, CopyObjectIsAPutNamingASource) {
  http::Request request = MakeRequest("PUT", "/b/k");
  request.headers.Add("x-amz-copy-source", "/src/key");
  auto route = MatchRoute(request, "");
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(OpName(route->op), "CopyObject");
}

TEST(Route, MalformedEscapesAreInvalidUri) {
  auto route = MatchRoute(MakeRequest("GET", "/b/%zz"), "");
  ASSERT_FALSE(route.has_value());
  EXPECT_EQ(route.error().code(), ErrorCode::kInvalidURI);
}

}  // namespace
}  // namespace stratus::s3
