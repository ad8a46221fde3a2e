#include "s3/post_policy.h"

#include <gtest/gtest.h>

namespace stratus::s3 {
namespace {

// 2026-11-29T12:00:00Z
constexpr int64_t kNow = 1795953600;

PostPolicy Parse(const std::string& conditions,
                 const std::string& expiration = "2026-11-29T13:00:00.000Z") {
  auto policy = ParsePostPolicy("{\"expiration\": \"" + expiration + "\", \"conditions\": [" +
                                conditions + "]}");
  EXPECT_TRUE(policy) << conditions << " " << policy.error().ToString();
  return policy ? *policy : PostPolicy{};
}

PostFormFields Form() {
  return {
      {"bucket", "photos"}, {"key", "user/alice/cat.jpg"}, {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
      {"policy", "eyJ..."}, {"x-amz-signature", "abc"},    {"content-type", "image/jpeg"}};
}

const std::string kCovering =
    R"({"bucket": "photos"}, ["starts-with", "$key", "user/alice/"],)"
    R"({"x-amz-algorithm": "AWS4-HMAC-SHA256"}, ["eq", "$Content-Type", "image/jpeg"])";

std::string Refusal(const PostPolicy& policy, const PostFormFields& fields, int64_t now = kNow) {
  Status status = CheckPostPolicy(policy, fields, now);
  if (status.ok()) return "ok";
  EXPECT_EQ(status.code(), ErrorCode::kAccessDenied);
  return std::string(status.message());
}

TEST(PostPolicyTest, AllConditionsMet) { EXPECT_EQ(Refusal(Parse(kCovering), Form()), "ok"); }

TEST(PostPolicyTest, ExactMatchCondition) {
  PostFormFields form = Form();
  form["bucket"] = "other";
  EXPECT_EQ(Refusal(Parse(kCovering), form),
            R"(Invalid according to Policy: Policy Condition failed: ["eq","$bucket","photos"])");
}

TEST(PostPolicyTest, EqCondition) {
  PostFormFields form = Form();
  form["content-type"] = "image/png";
  EXPECT_EQ(
      Refusal(Parse(kCovering), form),
      R"(Invalid according to Policy: Policy Condition failed: ["eq","$content-type","image/jpeg"])");
  form.erase("content-type");
  EXPECT_NE(Refusal(Parse(kCovering), form), "ok");  // a missing field is not equal
}

TEST(PostPolicyTest, StartsWithCondition) {
  PostFormFields form = Form();
  form["key"] = "user/bob/cat.jpg";
  EXPECT_EQ(
      Refusal(Parse(kCovering), form),
      R"(Invalid according to Policy: Policy Condition failed: ["starts-with","$key","user/alice/"])");
  // An empty prefix allows anything, even a missing field.
  PostPolicy any = Parse(kCovering + R"(, ["starts-with", "$x-amz-meta-tag", ""])");
  EXPECT_EQ(Refusal(any, Form()), "ok");
  form = Form();
  form["x-amz-meta-tag"] = "whatever";
  EXPECT_EQ(Refusal(any, form), "ok");
}

TEST(PostPolicyTest, EveryFieldMustBeCovered) {
  PostFormFields form = Form();
  form["x-amz-meta-secret"] = "1";
  EXPECT_EQ(Refusal(Parse(kCovering), form),
            "Invalid according to Policy: Extra input fields: x-amz-meta-secret");
  // Exempt fields need no condition.
  form = Form();
  form["x-ignore-foo"] = "1";
  form["file"] = "";
  form["signature"] = "s";
  form["awsaccesskeyid"] = "a";
  EXPECT_EQ(Refusal(Parse(kCovering), form), "ok");
}

TEST(PostPolicyTest, Expiry) {
  PostPolicy policy = Parse(kCovering);
  EXPECT_EQ(Refusal(policy, Form(), kNow + 3599), "ok");
  EXPECT_EQ(Refusal(policy, Form(), kNow + 3600), "Invalid according to Policy: Policy expired.");
  EXPECT_EQ(Refusal(Parse(kCovering, "2026-11-29T11:59:59Z"), Form()),
            "Invalid according to Policy: Policy expired.");
}

TEST(PostPolicyTest, ContentLengthRange) {
  PostPolicy policy = Parse(kCovering + R"(, ["content-length-range", 10, "20"])");
  EXPECT_TRUE(CheckPostContentLength(policy, 5, /*final_size=*/false).ok());
  EXPECT_EQ(CheckPostContentLength(policy, 5, /*final_size=*/true).code(),
            ErrorCode::kEntityTooSmall);
  EXPECT_TRUE(CheckPostContentLength(policy, 10, true).ok());
  EXPECT_TRUE(CheckPostContentLength(policy, 20, true).ok());
  Status status = CheckPostContentLength(policy, 21, false);
  EXPECT_EQ(status.code(), ErrorCode::kEntityTooLarge);
  EXPECT_EQ(
      status.message(),
      R"(Your proposed upload exceeds the maximum allowed size: ["content-length-range",10,20])");
  EXPECT_TRUE(CheckPostContentLength(Parse(kCovering), 1ULL << 40, true).ok());
  EXPECT_EQ(Refusal(policy, Form()), "ok");
}

TEST(PostPolicyTest, InvalidDocuments) {
  for (
      const char* text : {
          "",
          "[]",
          "{",
          R"({"conditions": []})",
          R"({"expiration": "soon", "conditions": []})",
          R"({"expiration": "2026-11-29T13:00:00Z"})",
          R"({"expiration": "2026-11-29T13:00:00Z", "conditions": {}})",
          R"({"expiration": "2026-11-29T13:00:00Z", "conditions": [["eq", "key", "a"]]})",
          R"({"expiration": "2026-11-29T13:00:00Z", "conditions": [["in", "$key", "a"]]})",
          R"({"expiration": "2026-11-29T13:00:00Z", "conditions": [["eq", "$key"]]})",
          R"({"expiration": "2026-11-29T13:00:00Z", "conditions": [["eq", "$key", 1]]})",
          R"({"expiration": "2026-11-29T13:00:00Z", "conditions": [{"a": "b", "c": "d"}]})",
          R"({"expiration": "2026-11-29T13:00:00Z", "conditions": [{"a": 1}]})",
          R"({"expiration": "2026-11-29T13:00:00Z", "conditions": [["content-length-range", 5, 1]]})",
          R"({"expiration": "2026-11-29T13:00:00Z", "conditions": [["content-length-range", "x", 1]]})",
          R"({"expiration": "2026-11-29T13:00:00Z", "conditions": ["eq"]})",
      }) {
    auto policy = ParsePostPolicy(text);
    EXPECT_FALSE(policy) << text;
    if (!policy) {
      EXPECT_EQ(policy.error().code(), ErrorCode::kInvalidPolicyDocument) << text;
    }
  }
}

// Any four-digit year is an expiration: the far future is valid, the far past expired.
// (tests/fuzz/post_policy_fuzz once found these overflowing a nanosecond count.)
TEST(PostPolicyTest, ExpirationsFarFromNow) {
  EXPECT_EQ(Refusal(Parse(kCovering, "9999-12-31T23:59:59Z"), Form()), "ok");
  EXPECT_EQ(Refusal(Parse(kCovering, "2300-01-01T00:00:00.000Z"), Form()), "ok");
  EXPECT_EQ(Refusal(Parse(kCovering, "0007-12-01T12:00:00.000Z"), Form()),
            "Invalid according to Policy: Policy expired.");
}

TEST(PostPolicyTest, FieldNamesIgnoreCase) {
  PostPolicy policy = Parse(R"({"Bucket": "photos"}, ["Starts-With", "$KEY", "user/"],)"
                            R"(["eq", "$X-Amz-Algorithm", "AWS4-HMAC-SHA256"],)"
                            R"({"content-type": "image/jpeg"})");
  EXPECT_EQ(Refusal(policy, Form()), "ok");
}

}  // namespace
}  // namespace stratus::s3
