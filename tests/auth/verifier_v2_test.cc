// Verifier end to end for SigV2: AWS's examples and requests signed by botocore (HmacV1Auth,
// HmacV1QueryAuth) and s3cmd (sign_request_v2), captured from those libraries.
#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "auth/verifier.h"
#include "auth_test_util.h"

namespace stratus::auth {
namespace {

using testing::MakeRequest;
using testing::ReadAll;
using testing::StringStream;

constexpr std::string_view kAccessKey = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr int64_t kExampleTime = 1175024202;  // Tue, 27 Mar 2007 19:36:42 +0000

class VerifierV2Test : public ::testing::Test {
 protected:
  VerifierV2Test()
      : store_({{std::string(kAccessKey), std::string(kSecret), "root"}}),
        verifier_(store_, "us-east-1", [this] { return now_; }) {}

  Result<VerifiedRequest> Verify(http::Request& request, std::string_view host_bucket = {}) {
    request.body = &body_;
    return verifier_.Verify(request, host_bucket);
  }
  ErrorCode CodeOf(http::Request& request, std::string_view host_bucket = {}) {
    auto verified = Verify(request, host_bucket);
    return verified ? ErrorCode::kOk : verified.error().code();
  }

  StaticCredentialStore store_;
  int64_t now_ = kExampleTime;
  Verifier verifier_;
  StringStream body_{""};
};

TEST_F(VerifierV2Test, AwsVirtualHostedGetExample) {
  http::Request request =
      MakeRequest("GET", "/photos/puppy.jpg",
                  {{"Host", "awsexamplebucket1.us-west-1.s3.amazonaws.com"},
                   {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
                   {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g="}});
  auto verified = Verify(request, "awsexamplebucket1");
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_EQ(verified->access_key, kAccessKey);
  EXPECT_EQ(verified->user, "root");
  EXPECT_EQ(ReadAll(*verified->payload).value(), "");
  // Without the bucket from Host the resource is wrong.
  EXPECT_EQ(CodeOf(request), ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(VerifierV2Test, AwsPresignedExample) {
  http::Request request =
      MakeRequest("GET",
                  "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature="
                  "NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
                  {{"Host", "johnsmith.s3.amazonaws.com"}});
  now_ = 1175139620;
  EXPECT_EQ(CodeOf(request, "johnsmith"), ErrorCode::kOk);
  now_ = 1175139621;
  auto expired = Verify(request, "johnsmith");
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(expired.error().message(), "Request has expired");
}

TEST_F(VerifierV2Test, BotocorePathStyleWithEncodedKeyAndAcl) {
  http::Request request =
      MakeRequest("GET", "/mybucket/my%20key%2Bplus.txt?acl",
                  {{"Host", "localhost:9000"},
                   {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
                   {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:0e4yn6KoQsk9n/iIWoAbuVMI/MU="}});
  EXPECT_EQ(CodeOf(request), ErrorCode::kOk);
}

TEST_F(VerifierV2Test, BotocoreVirtualHostedPutWithHeaders) {
  http::Request request =
      MakeRequest("PUT", "/photos/puppy.jpg",
                  {{"Host", "mybucket.localhost:9000"},
                   {"Content-Type", "image/jpeg"},
                   {"Content-MD5", "4gJE4saaMU4BqNR0kLY+lw=="},
                   {"x-amz-meta-reviewedby", "joe@example.com"},
                   {"X-Amz-Meta-Other", "  a  b "},
                   {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
                   {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:p4KvsR7UzQK2b6FQQTFm5CRqbts="}});
  EXPECT_EQ(CodeOf(request, "mybucket"), ErrorCode::kOk);
  request.headers.Set("Content-Type", "image/png");
  EXPECT_EQ(CodeOf(request, "mybucket"), ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(VerifierV2Test, BotocoreUploadPartAndListVersions) {
  http::Request part =
      MakeRequest("PUT", "/mybucket/key?partNumber=2&uploadId=a%2Fb%3Dc",
                  {{"Host", "localhost:9000"},
                   {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
                   {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:ZoHDu1rRumnuZRj8iiEYzIEgMgg="}});
  EXPECT_EQ(CodeOf(part), ErrorCode::kOk);
  http::Request list = MakeRequest(
      "GET", "/mybucket/?prefix=photos&max-keys=50&versions&response-content-type=text%2Fplain",
      {{"Host", "localhost:9000"},
       {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
       {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:t4dV9qILkpeptbqoyDOLW3dtNLc="}});
  EXPECT_EQ(CodeOf(list), ErrorCode::kOk);
}

TEST_F(VerifierV2Test, BotocorePresignedUrls) {
  http::Request get = MakeRequest(
      "GET",
      "/mybucket/photos/puppy.jpg?response-content-disposition=attachment&AWSAccessKeyId="
      "AKIAIOSFODNN7EXAMPLE&Signature=0Qi3AZ0VuQrXK1dpxqc7xMFUoIY%3D&Expires=1175024202",
      {{"Host", "localhost:9000"}});
  EXPECT_EQ(CodeOf(get), ErrorCode::kOk);
  // botocore moves Content-Type and x-amz-* headers into the query of a presigned URL.
  http::Request put = MakeRequest(
      "PUT",
      "/mybucket/up.bin?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=iM5PrGuln2GIPGgm5VY4sHjiX9s"
      "%3D&content-type=text%2Fplain&x-amz-acl=public-read&Expires=1175024202",
      {{"Host", "localhost:9000"}});
  EXPECT_EQ(CodeOf(put), ErrorCode::kOk);
  put.headers.Add("Content-Type", "text/plain");
  put.headers.Add("x-amz-acl", "public-read");
  EXPECT_EQ(CodeOf(put), ErrorCode::kOk);
}

TEST_F(VerifierV2Test, S3cmdWithAmzDateAndItsSubResourceList) {
  // s3cmd signs x-amz-date with an empty Date line and leaves "tagging" out of the resource.
  http::Request request =
      MakeRequest("PUT", "/mybucket/dir/some%20key%2B1.txt?partNumber=1&uploadId=abc&tagging",
                  {{"Host", "localhost:9000"},
                   {"x-amz-date", "Tue, 27 Mar 2007 19:36:42 +0000"},
                   {"content-type", "text/plain"},
                   {"x-amz-meta-s3cmd-attrs", "uid:0/gname:root"},
                   {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:uR5z89CtPGf+QXmYDHUYtxr6eoo="}});
  EXPECT_EQ(CodeOf(request), ErrorCode::kOk);
}

TEST_F(VerifierV2Test, Errors) {
  auto request = [](std::string authorization,
                    std::string date = "Tue, 27 Mar 2007 19:36:42 +0000") {
    std::vector<std::pair<std::string, std::string>> headers = {{"Host", "localhost:9000"},
                                                                {"Authorization", authorization}};
    if (!date.empty()) headers.emplace_back("Date", date);
    return MakeRequest("GET", "/mybucket/my%20key%2Bplus.txt?acl", headers);
  };
  const std::string good = "AWS AKIAIOSFODNN7EXAMPLE:0e4yn6KoQsk9n/iIWoAbuVMI/MU=";
  http::Request tampered = request("AWS AKIAIOSFODNN7EXAMPLE:1e4yn6KoQsk9n/iIWoAbuVMI/MU=");
  EXPECT_EQ(CodeOf(tampered), ErrorCode::kSignatureDoesNotMatch);
  http::Request unknown = request("AWS AKIANOBODY:0e4yn6KoQsk9n/iIWoAbuVMI/MU=");
  EXPECT_EQ(CodeOf(unknown), ErrorCode::kInvalidAccessKeyId);
  http::Request malformed = request("AWS AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(CodeOf(malformed), ErrorCode::kInvalidArgument);
  http::Request no_date = request(good, "");
  EXPECT_EQ(CodeOf(no_date), ErrorCode::kAccessDenied);
  http::Request skewed = request(good);
  now_ = kExampleTime + 15 * 60 + 1;
  EXPECT_EQ(CodeOf(skewed), ErrorCode::kRequestTimeTooSkewed);
  now_ = kExampleTime;

  http::Request bad_expires = MakeRequest(
      "GET", "/b/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=soon", {{"Host", "h"}});
  EXPECT_EQ(CodeOf(bad_expires), ErrorCode::kAccessDenied);
  http::Request no_signature =
      MakeRequest("GET", "/b/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1", {{"Host", "h"}});
  EXPECT_EQ(CodeOf(no_signature), ErrorCode::kAccessDenied);
  http::Request both = request(good);
  both.query.emplace_back("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(CodeOf(both), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace stratus::auth
