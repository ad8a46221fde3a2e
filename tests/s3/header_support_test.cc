#include "s3/header_support.h"

#include <gtest/gtest.h>

namespace stratus::s3 {
namespace {

http::Headers With(std::string name, std::string value) {
  http::Headers headers;
  headers.Add("Content-Type", "text/plain");
  headers.Add(std::move(name), std::move(value));
  return headers;
}

ErrorCode CodeOf(Op op, std::string name, std::string value) {
  return CheckHeaderSupport(op, With(std::move(name), std::move(value))).code();
}

TEST(HeaderSupport, RefusesEncryptionOnEveryOperationWhateverTheCase) {
  EXPECT_EQ(CodeOf(Op::kPutObject, "x-amz-server-side-encryption", "AES256"),
            ErrorCode::kNotImplemented);
  EXPECT_EQ(CodeOf(Op::kGetObject, "X-Amz-Server-Side-Encryption-Customer-Key", "k"),
            ErrorCode::kNotImplemented);
  EXPECT_EQ(CodeOf(Op::kListBuckets, "x-amz-copy-source-server-side-encryption-customer-key", "k"),
            ErrorCode::kNotImplemented);
}

TEST(HeaderSupport, AcceptsOnlyTheListedValues) {
  EXPECT_EQ(CodeOf(Op::kPutObject, "x-amz-acl", "private"), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(Op::kPutObject, "x-amz-acl", "bucket-owner-full-control"), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(Op::kPutObject, "x-amz-acl", "public-read"),
            ErrorCode::kAccessControlListNotSupported);
  EXPECT_EQ(CodeOf(Op::kPutObject, "x-amz-acl", "privatex"),
            ErrorCode::kAccessControlListNotSupported);
  EXPECT_EQ(CodeOf(Op::kCreateBucket, "x-amz-bucket-object-lock-enabled", "false"), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(Op::kCreateBucket, "x-amz-bucket-object-lock-enabled", "true"),
            ErrorCode::kNotImplemented);
}

TEST(HeaderSupport, ScopedRulesApplyOnlyToTheirOperations) {
  EXPECT_EQ(CodeOf(Op::kDeleteObject, "If-Match", "\"a\""), ErrorCode::kNotImplemented);
  EXPECT_EQ(CodeOf(Op::kPutObject, "If-Match", "\"a\""), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(Op::kGetObject, "If-None-Match", "\"a\""), ErrorCode::kOk);
}

TEST(HeaderSupport, IgnoredHeadersPassAndPlainRequestsPass) {
  EXPECT_EQ(CodeOf(Op::kGetObject, "x-amz-request-payer", "requester"), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(Op::kDeleteObject, "x-amz-bypass-governance-retention", "true"), ErrorCode::kOk);
  EXPECT_TRUE(CheckHeaderSupport(Op::kPutObject, http::Headers()).ok());
}

TEST(HeaderSupport, FormFieldsFollowTheSameTable) {
  EXPECT_EQ(CheckFormFieldSupport("acl", "public-read").code(),
            ErrorCode::kAccessControlListNotSupported);
  EXPECT_TRUE(CheckFormFieldSupport("acl", "private").ok());
  EXPECT_EQ(CheckFormFieldSupport("x-amz-server-side-encryption", "AES256").code(),
            ErrorCode::kNotImplemented);
  EXPECT_TRUE(CheckFormFieldSupport("x-amz-meta-a", "b").ok());
}

TEST(HeaderSupport, EveryRuleSaysWhyAndRefusedRulesRefuseWithAnError) {
  for (const HeaderRule& rule : HeaderRules()) {
    EXPECT_FALSE(rule.why.empty()) << rule.name;
    EXPECT_NE(rule.refusal, ErrorCode::kOk) << rule.name;
    EXPECT_NE(rule.ops, OpMask{0}) << rule.name;
  }
}

}  // namespace
}  // namespace stratus::s3
