#include "s3/object_metadata.h"

#include <gtest/gtest.h>

#include <vector>

namespace stratus::s3 {
namespace {

TEST(ObjectMetadata, StoresStandardHeadersAndUserMetadata) {
  http::Headers headers;
  headers.Add("Content-Type", "text/plain");
  headers.Add("Cache-Control", "no-cache");
  headers.Add("X-Amz-Meta-Color", "blue");
  headers.Add("x-amz-date", "20261129T000000Z");
  auto metadata = ParseObjectMetadata(headers);
  ASSERT_TRUE(metadata.has_value());
  ASSERT_EQ(metadata->system.size(), 2u);
  EXPECT_EQ(metadata->system[0].second, "text/plain");
  ASSERT_EQ(metadata->user.size(), 1u);
  EXPECT_EQ(metadata->user[0].first, "color");
  EXPECT_EQ(metadata->user[0].second, "blue");
}

TEST(ObjectMetadata, AwsChunkedIsNotPartOfTheStoredEncoding) {
  http::Headers only_chunked;
  only_chunked.Add("Content-Encoding", "aws-chunked");
  EXPECT_TRUE(ParseObjectMetadata(only_chunked)->system.empty());

  http::Headers with_gzip;
  with_gzip.Add("Content-Encoding", "aws-chunked, gzip");
  auto metadata = ParseObjectMetadata(with_gzip);
  ASSERT_EQ(metadata->system.size(), 1u);
  EXPECT_EQ(metadata->system[0].second, "gzip");
}

TEST(ObjectMetadata, ContentEncodingIsStoredAsSentLessAwsChunked) {
  for (auto [sent, stored] : std::vector<std::pair<std::string, std::string>>{
           {"deflate, gzip", "deflate, gzip"},
           {"deflate,gzip", "deflate,gzip"},
           {"aws-chunked,gzip", "gzip"},
           {"deflate, aws-chunked, gzip", "deflate, gzip"},
           {"gzip, aws-chunked", "gzip"},
           {"AWS-CHUNKED", ""},
       }) {
    http::Headers headers;
    headers.Add("Content-Encoding", sent);
    auto metadata = ParseObjectMetadata(headers);
    ASSERT_TRUE(metadata);
    std::string got = metadata->system.empty() ? "" : metadata->system[0].second;
    EXPECT_EQ(got, stored) << sent;
  }
}

TEST(ObjectMetadata, UserMetadataOverTwoKibIsRefused) {
  http::Headers headers;
  headers.Add("x-amz-meta-a", std::string(kMaxUserMetadataBytes - 1, 'v'));
  EXPECT_TRUE(ParseObjectMetadata(headers).has_value());
  headers.Add("x-amz-meta-b", "vv");
  auto metadata = ParseObjectMetadata(headers);
  ASSERT_FALSE(metadata.has_value());
  EXPECT_EQ(metadata.error().code(), ErrorCode::kMetadataTooLarge);
}

}  // namespace
}  // namespace stratus::s3
