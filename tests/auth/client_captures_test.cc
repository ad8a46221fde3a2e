// Requests captured from real clients (boto3 1.43.11 through a before-send hook, path style,
// endpoint http://localhost:9000) and verified as they arrived. They pin the encodings the
// AWS examples do not reach: '//' and '..' segments, '+', '=', spaces and UTF-8 in keys.
#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "auth/verifier.h"
#include "auth_test_util.h"
#include "common/time.h"

namespace stratus::auth {
namespace {

using testing::MakeRequest;
using testing::ReadAll;
using testing::StringStream;

class ClientCapturesTest : public ::testing::Test {
 protected:
  ClientCapturesTest()
      : store_({{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "root"}}),
        verifier_(store_, "us-east-1", [this] { return now_; }) {}

  StaticCredentialStore store_;
  int64_t now_ = *ParseAmzDate("20261129T141800Z");
  Verifier verifier_;
};

TEST_F(ClientCapturesTest, Boto3PutObjectWithAwkwardKeyAndChecksumHeader) {
  // Key "dir//a b+c=/../€.txt"; boto3 sends its CRC32 as a header over plain HTTP.
  http::Request request = MakeRequest(
      "PUT", "/mybucket/dir//a%20b%2Bc%3D/../%E2%82%AC.txt",
      {{"Host", "localhost:9000"},
       {"User-Agent", "Boto3/1.43.11 md/Botocore#1.43.11"},
       {"Expect", "100-continue"},
       {"x-amz-checksum-crc32", "DUoRhQ=="},
       {"x-amz-sdk-checksum-algorithm", "CRC32"},
       {"X-Amz-Date", "20261129T141800Z"},
       {"X-Amz-Content-SHA256", "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;"
        "x-amz-sdk-checksum-algorithm, "
        "Signature=4c7d3be39a6148cbe37011fde123e8dc86d7bbd4eddf486f6af68fb5b3a20893"},
       {"amz-sdk-invocation-id", "8c11845b-a7db-4cd7-a57e-f653e47d5af9"},
       {"amz-sdk-request", "attempt=1"},
       {"Content-Length", "11"}});
  request.content_length = 11;
  StringStream body("hello world");
  request.body = &body;
  auto verified = verifier_.Verify(request);
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_EQ(ReadAll(*verified->payload).value(), "hello world");
}

TEST_F(ClientCapturesTest, Boto3PutObjectWithoutChecksum) {
  http::Request request = MakeRequest(
      "PUT", "/mybucket/dir//a%20b%2Bc%3D/../%E2%82%AC.txt",
      {{"Host", "localhost:9000"},
       {"Expect", "100-continue"},
       {"X-Amz-Date", "20261129T141800Z"},
       {"X-Amz-Content-SHA256", "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        "Signature=75a0006d3032f68b6dec193d113354de35c9b43be532f2ba698a44d67759417a"},
       {"Content-Length", "11"}});
  StringStream body("hello world");
  request.body = &body;
  auto verified = verifier_.Verify(request);
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_EQ(ReadAll(*verified->payload).value(), "hello world");
}

TEST_F(ClientCapturesTest, Boto3PresignedV4GetWithResponseOverride) {
  http::Request request = MakeRequest(
      "GET",
      "/mybucket/a%20b/%E2%82%AC%2Bx?response-content-type=text%2Fplain&X-Amz-Algorithm=AWS4-HMAC-"
      "SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261129%2Fus-east-1%2Fs3%2Faws4_request&X-"
      "Amz-Date=20261129T141800Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature="
      "7304041509e2e6ab31cef8a4581a400d11744add09c65909c6109622ae80fe4d",
      {{"Host", "localhost:9000"}});
  StringStream body("");
  request.body = &body;
  auto verified = verifier_.Verify(request);
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  now_ += 3601;
  EXPECT_EQ(verifier_.Verify(request).error().message(), "Request has expired");
}

TEST_F(ClientCapturesTest, Boto3PresignedV2Get) {
  http::Request request = MakeRequest(
      "GET",
      "/mybucket/a%20b/%E2%82%AC%2Bx?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=Ptpvio%2FQCdcro8"
      "9EActHDJbobRg%3D&Expires=1795965480",
      {{"Host", "localhost:9000"}});
  StringStream body("");
  request.body = &body;
  auto verified = verifier_.Verify(request);
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
}

TEST_F(ClientCapturesTest, Boto3PutObjectOverHttpsWithUnsignedPayloadTrailer) {
  // Over HTTPS boto3 streams STREAMING-UNSIGNED-PAYLOAD-TRAILER, aws-chunked inside HTTP
  // chunked transfer-coding (which the http layer removes), with a CRC32 trailer.
  now_ = *ParseAmzDate("20261129T141835Z");
  http::Request request = MakeRequest(
      "PUT", "/mybucket/trailer.txt",
      {{"Host", "localhost:9000"},
       {"Expect", "100-continue"},
       {"Transfer-Encoding", "chunked"},
       {"Content-Encoding", "aws-chunked"},
       {"X-Amz-Trailer", "x-amz-checksum-crc32"},
       {"X-Amz-Decoded-Content-Length", "11"},
       {"x-amz-sdk-checksum-algorithm", "CRC32"},
       {"X-Amz-Date", "20261129T141835Z"},
       {"X-Amz-Content-SHA256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/s3/aws4_request, "
        "SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;"
        "x-amz-decoded-content-length;x-amz-sdk-checksum-algorithm;x-amz-trailer, "
        "Signature=385d1266c99aa1800d95664a39bf9aa2c108d718d4c00723940bddfbdb7deaf8"}});
  StringStream body("b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n", {5});
  request.body = &body;
  auto verified = verifier_.Verify(request);
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_EQ(verified->payload->length(), 11u);
  EXPECT_EQ(ReadAll(*verified->payload, 4).value(), "hello world");
  EXPECT_EQ(verified->payload->trailers().Get("x-amz-checksum-crc32"), "DUoRhQ==");
}

}  // namespace
}  // namespace stratus::auth
