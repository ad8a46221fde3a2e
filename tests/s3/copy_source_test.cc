#include "s3/copy_source.h"

#include <gtest/gtest.h>

namespace stratus::s3 {
namespace {

ErrorCode CodeOf(std::string_view value) {
  auto parsed = ParseCopySource(value);
  return parsed ? ErrorCode::kOk : parsed.error().code();
}

TEST(CopySourceTest, ParsesBucketAndKeyWithOrWithoutLeadingSlash) {
  for (std::string_view value : {"bkt/dir/key.txt", "/bkt/dir/key.txt"}) {
    auto source = ParseCopySource(value);
    ASSERT_TRUE(source) << value;
    EXPECT_EQ(source->bucket, "bkt");
    EXPECT_EQ(source->key, "dir/key.txt");
  }
}

TEST(CopySourceTest, DecodesTheKeyOnce) {
  auto source = ParseCopySource("/bkt/a%20b%2Fc%3Fd%25e+f/%C3%A9");
  ASSERT_TRUE(source);
  EXPECT_EQ(source->key, "a b/c?d%e+f/\xC3\xA9");
  // Keys are never normalized.
  auto dots = ParseCopySource("bkt/../a//b/.");
  ASSERT_TRUE(dots);
  EXPECT_EQ(dots->key, "../a//b/.");
}

TEST(CopySourceTest, VersionNullIsTheObjectOthersAreNotImplemented) {
  auto null_version = ParseCopySource("bkt/k%3Fy?versionId=null");
  ASSERT_TRUE(null_version);
  EXPECT_EQ(null_version->key, "k?y");
  EXPECT_EQ(CodeOf("bkt/key?versionId=3HL4kqtJlcpXroDTDmJ"), ErrorCode::kNotImplemented);
  EXPECT_EQ(CodeOf("bkt/key?other=1"), ErrorCode::kInvalidArgument);
}

TEST(CopySourceTest, RefusesMissingBucketOrKey) {
  for (std::string_view value : {"", "/", "bkt", "/bkt", "bkt/", "/bkt/", "//key", "bkt/%zz"}) {
    EXPECT_EQ(CodeOf(value), ErrorCode::kInvalidArgument) << value;
  }
}

}  // namespace
}  // namespace stratus::s3
