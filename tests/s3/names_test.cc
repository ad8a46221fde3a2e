#include "s3/names.h"

#include <gtest/gtest.h>

#include <string>

namespace stratus::s3 {
namespace {

TEST(ValidateBucketName, AcceptsTheUserGuideExamples) {
  for (std::string_view name : {
           "docexamplebucket1",
           "log-delivery-march-2020",
           "my-hosted-content",
           "docexamplewebsite.com",
           "www.docexamplewebsite.com",
           "my.example.s3.bucket",
           "abc",
           "a1b",
           "123",
           "1.2.3",          // three groups is not an address
           "1.2.3.4.5",      // neither is five
           "1.2.3.a",        // nor a non-numeric group
           "xn-single",      // only "xn--" is reserved
           "bucket-s3alia",  // near misses of the reserved suffixes
           "bucket-mrap",
           "bucket-x-s3",
           "sthree",
           "amzn-s3-demo",
       }) {
    EXPECT_TRUE(ValidateBucketName(name).ok()) << name;
  }
  EXPECT_TRUE(ValidateBucketName(std::string(63, 'a')).ok());
}

TEST(ValidateBucketName, RejectsWithInvalidBucketName) {
  for (std::string_view name : {
           "",
           "a",
           "ab",                   // too short
           "doc_example_bucket",   // underscore
           "DocExampleBucket",     // uppercase
           "doc-example-bucket-",  // ends with a hyphen
           "-bucket",
           ".bucket",
           "bucket.",
           "my..bucket",  // adjacent periods
           "my-.bucket",  // a label ending or starting with a hyphen
           "my.-bucket",
           "my bucket",
           "my/bucket",
           "bücket",
           "192.168.5.4",  // IP address
           "0.0.0.0",
           "999.999.999.999",
           "xn--bucket",  // reserved prefixes
           "sthree-bucket",
           "sthree-configurator",
           "amzn-s3-demo-bucket",
           "bucket-s3alias",  // reserved suffixes
           "bucket--ol-s3",
           "bucket.mrap",
           "bucket--x-s3",
           "bucket--table-s3",
       }) {
    Status s = ValidateBucketName(name);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidBucketName) << "'" << name << "'";
  }
  EXPECT_EQ(ValidateBucketName(std::string(64, 'a')).code(), ErrorCode::kInvalidBucketName);
  EXPECT_EQ(ValidateBucketName(std::string_view("ab\0c", 4)).code(), ErrorCode::kInvalidBucketName);
}

TEST(ValidateObjectKey, AcceptsAnythingThatIsUtf8AndShortEnough) {
  for (std::string_view key : {
           "a", "photos/2006/February/sample.jpg", "../../x", "a//b", "/leading", "trailing/", ".",
           "..", " ", "tab\there", "new\nline", "\x01\x7f", "%2F", "?query#fragment",
           "日本語/ключ/🙂",
           "\xc2\x80",          // U+0080, the smallest two-byte form
           "\xef\xbf\xbf",      // U+FFFF
           "\xf4\x8f\xbf\xbf",  // U+10FFFF, the largest code point
       }) {
    EXPECT_TRUE(ValidateObjectKey(key).ok()) << key;
  }
  EXPECT_TRUE(ValidateObjectKey(std::string_view("nul\0inside", 10)).ok());
}

TEST(ValidateObjectKey, LengthLimitIsInBytes) {
  EXPECT_TRUE(ValidateObjectKey(std::string(1024, 'k')).ok());
  EXPECT_EQ(ValidateObjectKey(std::string(1025, 'k')).code(), ErrorCode::kKeyTooLongError);
  // 342 three-byte characters are 1026 bytes though only 342 characters.
  std::string wide;
  for (int i = 0; i < 342; ++i) wide += "\xe2\x82\xac";  // €
  EXPECT_EQ(ValidateObjectKey(wide).code(), ErrorCode::kKeyTooLongError);
  wide.resize(1024);  // cuts a character in two: too long no more, but not UTF-8 either
  EXPECT_EQ(ValidateObjectKey(wide).code(), ErrorCode::kInvalidURI);
}

TEST(ValidateObjectKey, EmptyIsInvalidArgument) {
  EXPECT_EQ(ValidateObjectKey("").code(), ErrorCode::kInvalidArgument);
}

TEST(ValidateObjectKey, InvalidUtf8IsInvalidUri) {
  for (std::string_view key : {
           "\xae\x8a-",         // the key S3 answered 400 for
           "\x80",              // lone continuation byte
           "\xc2",              // truncated two-byte form
           "\xe2\x82",          // truncated three-byte form
           "\xc0\xaf",          // overlong '/'
           "\xe0\x80\xaf",      // overlong '/'
           "\xf0\x80\x80\xaf",  // overlong '/'
           "\xed\xa0\x80",      // U+D800, a surrogate
           "\xf4\x90\x80\x80",  // U+110000
           "\xff",
           "ok\xfe",
       }) {
    EXPECT_EQ(ValidateObjectKey(key).code(), ErrorCode::kInvalidURI) << key;
  }
}

TEST(IsValidUtf8, EveryOneAndTwoByteSequence) {
  // Cross-checks the decoder against the definition for all two-byte inputs.
  for (int a = 0; a < 256; ++a) {
    std::string one(1, static_cast<char>(a));
    EXPECT_EQ(IsValidUtf8(one), a < 0x80) << a;
    for (int b = 0; b < 256; ++b) {
      std::string two = {static_cast<char>(a), static_cast<char>(b)};
      bool expected = (a < 0x80 && b < 0x80) || (a >= 0xC2 && a <= 0xDF && (b & 0xC0) == 0x80);
      ASSERT_EQ(IsValidUtf8(two), expected) << a << " " << b;
    }
  }
}

}  // namespace
}  // namespace stratus::s3
