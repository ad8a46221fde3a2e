#include "bench/signer.h"

#include <gtest/gtest.h>

#include "auth/sigv4.h"

namespace stratus::bench {
namespace {

// AWS's "GET Bucket (List Objects)" example of "Signature Calculations for the Authorization
// Header: Transferring Payload in a Single Chunk" signs exactly the headers the bench sends.
TEST(SignerTest, AwsListObjectsExample) {
  Signer signer({"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1"});
  const std::string authorization = signer.Authorization("GET", "examplebucket.s3.amazonaws.com",
                                                         "/", {{"max-keys", "2"}, {"prefix", "J"}},
                                                         auth::kEmptySha256, "20130524T000000Z");
  EXPECT_EQ(authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            "aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SignerTest, SigningKeyFollowsTheDate) {
  Signer signer({"AK", "secret", "us-east-1"});
  const std::string day1 =
      signer.Authorization("GET", "h", "/b/k", {}, auth::kUnsignedPayload, "20260101T000000Z");
  const std::string day2 =
      signer.Authorization("GET", "h", "/b/k", {}, auth::kUnsignedPayload, "20260102T000000Z");
  const std::string day1_again =
      signer.Authorization("GET", "h", "/b/k", {}, auth::kUnsignedPayload, "20260101T000000Z");
  EXPECT_NE(day1, day2);
  EXPECT_EQ(day1, day1_again);
  EXPECT_NE(day2.find("AK/20260102/us-east-1/s3/aws4_request"), std::string::npos);
}

TEST(SignerTest, EncodeQuerySortsAndEscapes) {
  EXPECT_EQ(EncodeQuery({{"prefix", "run/p1/"}, {"list-type", "2"}, {"uploads", ""}}),
            "list-type=2&prefix=run%2Fp1%2F&uploads=");
  EXPECT_EQ(EncodeQuery({}), "");
}

}  // namespace
}  // namespace stratus::bench
