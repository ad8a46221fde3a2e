// The multipart rows of the route table (one test per row), and what they must not claim.
#include <gtest/gtest.h>

#include "s3/route.h"

namespace stratus::s3 {
namespace {

Result<Route> Match(std::string method, std::string target, bool copy_source = false) {
  http::Request request;
  request.method = std::move(method);
  request.target = target;
  size_t q = target.find('?');
  request.path = target.substr(0, q);
  if (q != std::string::npos) {
    request.raw_query = target.substr(q + 1);
    request.query = *http::ParseQuery(request.raw_query);
  }
  request.headers.Add("Host", "127.0.0.1:9000");
  if (copy_source) request.headers.Add("x-amz-copy-source", "/src/key");
  return MatchRoute(request, "");
}

std::string_view OpOf(std::string method, std::string target, bool copy_source = false) {
  auto route = Match(std::move(method), std::move(target), copy_source);
  return route ? OpName(route->op) : ErrorName(route.error().code());
}

TEST(MultipartRouteTest, EveryRow) {
  EXPECT_EQ(OpOf("POST", "/b/k?uploads"), "CreateMultipartUpload");
  EXPECT_EQ(OpOf("PUT", "/b/k?partNumber=1&uploadId=00ff"), "UploadPart");
  EXPECT_EQ(OpOf("PUT", "/b/k?uploadId=00ff&partNumber=1"), "UploadPart");
  EXPECT_EQ(OpOf("PUT", "/b/k?partNumber=1&uploadId=00ff", true), "UploadPartCopy");
  EXPECT_EQ(OpOf("POST", "/b/k?uploadId=00ff"), "CompleteMultipartUpload");
  EXPECT_EQ(OpOf("DELETE", "/b/k?uploadId=00ff"), "AbortMultipartUpload");
  EXPECT_EQ(OpOf("GET", "/b/k?uploadId=00ff&max-parts=2"), "ListParts");
  EXPECT_EQ(OpOf("GET", "/b?uploads&prefix=a"), "ListMultipartUploads");
  EXPECT_EQ(OpOf("GET", "/b/k?partNumber=2"), "GetObject");
  EXPECT_EQ(OpOf("HEAD", "/b/k?partNumber=2"), "HeadObject");
}

TEST(MultipartRouteTest, IncompleteOrForeignCombinationsAreNotServed) {
  // UploadPart needs both parameters; a PUT with only one is not a PutObject either.
  EXPECT_EQ(OpOf("PUT", "/b/k?uploadId=00ff"), "NotImplemented");
  EXPECT_EQ(OpOf("PUT", "/b/k?partNumber=1"), "NotImplemented");
  EXPECT_EQ(OpOf("GET", "/b/k?partNumber=1&versionId=x"), "NotImplemented");
  EXPECT_EQ(OpOf("POST", "/b/k"), "NotImplemented");
}

}  // namespace
}  // namespace stratus::s3
