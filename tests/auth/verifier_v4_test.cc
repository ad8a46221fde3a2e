// Verifier end to end for SigV4: AWS's S3 examples through Verify, the streaming forms, and
// every rejection S3 makes before a handler runs.
#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "auth/verifier.h"
#include "auth_test_util.h"

namespace stratus::auth {
namespace {

using testing::Encode;
using testing::MakeRequest;
using testing::ReadAll;
using testing::SignV4;
using testing::StringStream;

constexpr std::string_view kAccessKey = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr int64_t kExampleTime = 1369353600;  // 20130524T000000Z, AWS's example time

class VerifierV4Test : public ::testing::Test {
 protected:
  VerifierV4Test()
      : store_({{std::string(kAccessKey), std::string(kSecret), "root"}}),
        verifier_(store_, "us-east-1", [this] { return now_; }) {}

  // Verifies `request` with `body` attached.
  Result<VerifiedRequest> Verify(http::Request& request, std::string body = "") {
    body_ = std::make_unique<StringStream>(std::move(body));
    request.body = body_.get();
    return verifier_.Verify(request);
  }

  ErrorCode CodeOf(http::Request& request) {
    auto verified = Verify(request);
    return verified ? ErrorCode::kOk : verified.error().code();
  }

  // A GET of /b/k signed with the header form, with the given extra headers signed too.
  http::Request SignedGet(std::vector<std::pair<std::string, std::string>> extra = {},
                          std::string region = "us-east-1") {
    http::Request request = MakeRequest("GET", "/b/k",
                                        {{"Host", "localhost:9000"},
                                         {"x-amz-date", "20130524T000000Z"},
                                         {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}});
    std::vector<std::string> names = {"host", "x-amz-content-sha256", "x-amz-date"};
    for (auto& [name, value] : extra) {
      names.push_back(http::ToLower(name));
      request.headers.Add(name, value);
    }
    std::sort(names.begin(), names.end());
    SignV4(request, kAccessKey, kSecret, region, "20130524T000000Z", names, "UNSIGNED-PAYLOAD");
    return request;
  }

  StaticCredentialStore store_;
  int64_t now_ = kExampleTime;
  Verifier verifier_;
  std::unique_ptr<StringStream> body_;
};

TEST_F(VerifierV4Test, AwsGetObjectExample) {
  http::Request request = MakeRequest(
      "GET", "/test.txt",
      {{"Host", "examplebucket.s3.amazonaws.com"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
       {"Range", "bytes=0-9"},
       {"x-amz-content-sha256", std::string(kEmptySha256)},
       {"x-amz-date", "20130524T000000Z"}});
  auto verified = Verify(request);
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_FALSE(verified->anonymous);
  EXPECT_EQ(verified->access_key, kAccessKey);
  EXPECT_EQ(verified->user, "root");
  ASSERT_NE(verified->payload, nullptr);
  EXPECT_EQ(ReadAll(*verified->payload).value(), "");
}

TEST_F(VerifierV4Test, AwsPutObjectExampleWithDateHeaderAndHashedBody) {
  http::Request request = MakeRequest(
      "PUT", "/test%24file.text",
      {{"Host", "examplebucket.s3.amazonaws.com"},
       {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
        "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"},
       {"x-amz-date", "20130524T000000Z"},
       {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
       {"x-amz-content-sha256",
        "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"}});
  request.content_length = 21;
  auto verified = Verify(request, "Welcome to Amazon S3.");
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_EQ(verified->payload->length(), 21u);
  EXPECT_EQ(ReadAll(*verified->payload).value(), "Welcome to Amazon S3.");

  auto tampered = Verify(request, "Welcome to Amazon S4.");
  ASSERT_TRUE(tampered.has_value());
  EXPECT_EQ(ReadAll(*tampered->payload).error().code(), ErrorCode::kXAmzContentSHA256Mismatch);
}

TEST_F(VerifierV4Test, AwsGetBucketLifecycleAndListObjectsExamples) {
  for (auto [target, signature] :
       {std::pair{"/?lifecycle",
                  "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
        std::pair{"/?max-keys=2&prefix=J",
                  "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"}}) {
    http::Request request = MakeRequest(
        "GET", target,
        {{"Host", "examplebucket.s3.amazonaws.com"},
         {"Authorization",
          std::string("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                      "aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
                      "Signature=") +
              signature},
         {"x-amz-date", "20130524T000000Z"},
         {"x-amz-content-sha256", std::string(kEmptySha256)}});
    EXPECT_EQ(CodeOf(request), ErrorCode::kOk) << target;
  }
}

TEST_F(VerifierV4Test, AwsStreamingPutExample) {
  http::Request request = MakeRequest(
      "PUT", "/examplebucket/chunkObject.txt",
      {{"Host", "s3.amazonaws.com"},
       {"x-amz-date", "20130524T000000Z"},
       {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
        "x-amz-decoded-content-length;x-amz-storage-class,"
        "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"},
       {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
       {"Content-Encoding", "aws-chunked"},
       {"x-amz-decoded-content-length", "66560"},
       {"Content-Length", "66824"}});
  std::string body =
      Encode({std::string(65536, 'a'), std::string(1024, 'a'), ""},
             ChunkSigningContext{SigningKey(kSecret, "20130524", "us-east-1", "s3"),
                                 "20130524T000000Z", "20130524/us-east-1/s3/aws4_request",
                                 "4f232c4386841ef735655705268965c44a0e4690baa4adea"
                                 "153f7db9fa80a0a9"});
  ASSERT_EQ(body.size(), 66824u);
  auto verified = Verify(request, body);
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_EQ(verified->payload->length(), 66560u);
  EXPECT_EQ(ReadAll(*verified->payload, 1000).value(), std::string(66560, 'a'));

  // The same body under another seed: the first chunk no longer chains.
  body[body.find('=') + 1] ^= 1;
  auto tampered = Verify(request, body);
  ASSERT_TRUE(tampered.has_value());
  EXPECT_EQ(ReadAll(*tampered->payload).error().code(), ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(VerifierV4Test, UnsignedPayloadTrailerAsCurrentSdksSendIt) {
  http::Request request =
      MakeRequest("PUT", "/b/key",
                  {{"Host", "localhost:9000"},
                   {"x-amz-date", "20130524T000000Z"},
                   {"x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
                   {"Content-Encoding", "aws-chunked"},
                   {"x-amz-trailer", "x-amz-checksum-crc32"},
                   {"x-amz-decoded-content-length", "11"},
                   {"x-amz-sdk-checksum-algorithm", "CRC32"}});
  SignV4(request, kAccessKey, kSecret, "us-east-1", "20130524T000000Z",
         {"content-encoding", "host", "x-amz-content-sha256", "x-amz-date",
          "x-amz-decoded-content-length", "x-amz-sdk-checksum-algorithm", "x-amz-trailer"},
         "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  auto verified = Verify(request, "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n");
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_EQ(verified->payload->length(), 11u);
  EXPECT_EQ(ReadAll(*verified->payload).value(), "hello world");
  EXPECT_EQ(verified->payload->trailers().Get("x-amz-checksum-crc32"), "DUoRhQ==");
}

TEST_F(VerifierV4Test, SignedPayloadTrailer) {
  http::Request request =
      MakeRequest("PUT", "/b/key",
                  {{"Host", "localhost:9000"},
                   {"x-amz-date", "20130524T000000Z"},
                   {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"},
                   {"x-amz-trailer", "x-amz-checksum-crc64nvme"},
                   {"x-amz-decoded-content-length", "5"}});
  std::string seed = SignV4(request, kAccessKey, kSecret, "us-east-1", "20130524T000000Z",
                            {"host", "x-amz-content-sha256", "x-amz-date",
                             "x-amz-decoded-content-length", "x-amz-trailer"},
                            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
  ChunkSigningContext signing{SigningKey(kSecret, "20130524", "us-east-1", "s3"),
                              "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", seed};
  std::string body = Encode({"hello", ""}, signing, {"x-amz-checksum-crc64nvme:AAAAAAAAAAA="});
  auto verified = Verify(request, body);
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_EQ(ReadAll(*verified->payload, 2).value(), "hello");
  EXPECT_EQ(verified->payload->trailers().Get("x-amz-checksum-crc64nvme"), "AAAAAAAAAAA=");
}

TEST_F(VerifierV4Test, AwsPresignedUrlExample) {
  http::Request request = MakeRequest(
      "GET",
      "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524"
      "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
      "&X-Amz-SignedHeaders=host&X-Amz-Signature="
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
      {{"Host", "examplebucket.s3.amazonaws.com"}});
  now_ = kExampleTime + 86400;
  auto verified = Verify(request);
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_EQ(verified->access_key, kAccessKey);

  now_ = kExampleTime + 86401;
  auto expired = Verify(request);
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(expired.error().message(), "Request has expired");

  now_ = kExampleTime - 3600;
  EXPECT_EQ(CodeOf(request), ErrorCode::kAccessDenied);  // not valid yet

  now_ = kExampleTime;
  http::Request other_key = request;
  other_key.path = "/test2.txt";
  EXPECT_EQ(CodeOf(other_key), ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(VerifierV4Test, PresignedParameterErrors) {
  const std::string base =
      "/k?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
      "&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
  auto code = [&](std::string query_tail) {
    http::Request request = MakeRequest("GET", base + query_tail, {{"Host", "h"}});
    return CodeOf(request);
  };
  EXPECT_EQ(code("&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604801"),
            ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(code("&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=-1"),
            ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(code("&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=soon"),
            ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(code("&X-Amz-Algorithm=AWS4-HMAC-SHA1&X-Amz-Expires=60"),
            ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(code("&X-Amz-Algorithm=AWS4-HMAC-SHA256"),  // no X-Amz-Expires
            ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(code("&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604800"),
            ErrorCode::kSignatureDoesNotMatch);

  http::Request wrong_region = MakeRequest(
      "GET",
      "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20130524%2Feu-west-1%2Fs3%2F"
      "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
      "&X-Amz-Signature=00",
      {{"Host", "h"}});
  auto verified = Verify(wrong_region);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code(), ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(verified.error().message(),
            "Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; "
            "expecting 'us-east-1'");
}

TEST_F(VerifierV4Test, SignedWithHelperVerifies) {
  http::Request request = SignedGet({{"x-amz-meta-color", "blue"}});
  EXPECT_EQ(CodeOf(request), ErrorCode::kOk);
}

TEST_F(VerifierV4Test, ClockSkewBeyondFifteenMinutes) {
  http::Request request = SignedGet();
  now_ = kExampleTime + 15 * 60;
  EXPECT_EQ(CodeOf(request), ErrorCode::kOk);
  now_ = kExampleTime + 15 * 60 + 1;
  EXPECT_EQ(CodeOf(request), ErrorCode::kRequestTimeTooSkewed);
  now_ = kExampleTime - 15 * 60 - 1;
  EXPECT_EQ(CodeOf(request), ErrorCode::kRequestTimeTooSkewed);
}

TEST_F(VerifierV4Test, UnknownAccessKey) {
  http::Request request = SignedGet();
  std::string auth(*request.Header("Authorization"));
  auth.replace(auth.find(kAccessKey), kAccessKey.size(), "AKIAUNKNOWN");
  request.headers.Set("Authorization", auth);
  EXPECT_EQ(CodeOf(request), ErrorCode::kInvalidAccessKeyId);
}

TEST_F(VerifierV4Test, WrongRegionNamesBoth) {
  http::Request request = SignedGet({}, "us-west-2");
  auto verified = Verify(request);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code(), ErrorCode::kAuthorizationHeaderMalformed);
  EXPECT_EQ(verified.error().message(),
            "The authorization header is malformed; the region 'us-west-2' is wrong; expecting "
            "'us-east-1'");
}

TEST_F(VerifierV4Test, TamperedRequestsFail) {
  http::Request tampered_sig = SignedGet();
  std::string auth(*tampered_sig.Header("Authorization"));
  auth.back() = auth.back() == '0' ? '1' : '0';
  tampered_sig.headers.Set("Authorization", auth);
  EXPECT_EQ(CodeOf(tampered_sig), ErrorCode::kSignatureDoesNotMatch);

  http::Request other_path = SignedGet();
  other_path.path = "/b/other";
  EXPECT_EQ(CodeOf(other_path), ErrorCode::kSignatureDoesNotMatch);

  http::Request other_method = SignedGet();
  other_method.method = "DELETE";
  EXPECT_EQ(CodeOf(other_method), ErrorCode::kSignatureDoesNotMatch);

  http::Request added_query = SignedGet();
  added_query.query.emplace_back("acl", "");
  EXPECT_EQ(CodeOf(added_query), ErrorCode::kSignatureDoesNotMatch);

  http::Request changed_header = SignedGet({{"x-amz-meta-color", "blue"}});
  changed_header.headers.Set("x-amz-meta-color", "red");
  EXPECT_EQ(CodeOf(changed_header), ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(VerifierV4Test, HeadersThatMustBeSigned) {
  http::Request unsigned_amz = SignedGet();
  unsigned_amz.headers.Add("x-amz-meta-sneaky", "1");
  EXPECT_EQ(CodeOf(unsigned_amz), ErrorCode::kAccessDenied);

  http::Request no_host = MakeRequest("GET", "/b/k",
                                      {{"Host", "h"},
                                       {"x-amz-date", "20130524T000000Z"},
                                       {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}});
  SignV4(no_host, kAccessKey, kSecret, "us-east-1", "20130524T000000Z",
         {"x-amz-content-sha256", "x-amz-date"}, "UNSIGNED-PAYLOAD");
  EXPECT_EQ(CodeOf(no_host), ErrorCode::kAccessDenied);
}

TEST_F(VerifierV4Test, MissingContentSha256IsInvalidRequest) {
  http::Request request =
      MakeRequest("GET", "/b/k", {{"Host", "h"}, {"x-amz-date", "20130524T000000Z"}});
  SignV4(request, kAccessKey, kSecret, "us-east-1", "20130524T000000Z", {"host", "x-amz-date"},
         "UNSIGNED-PAYLOAD");
  auto verified = Verify(request);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(verified.error().message(),
            "Missing required header for this request: x-amz-content-sha256");
}

TEST_F(VerifierV4Test, InvalidContentSha256Value) {
  http::Request request = MakeRequest(
      "PUT", "/b/k",
      {{"Host", "h"}, {"x-amz-date", "20130524T000000Z"}, {"x-amz-content-sha256", "abc"}});
  SignV4(request, kAccessKey, kSecret, "us-east-1", "20130524T000000Z",
         {"host", "x-amz-content-sha256", "x-amz-date"}, "abc");
  EXPECT_EQ(CodeOf(request), ErrorCode::kInvalidArgument);
}

TEST_F(VerifierV4Test, DateErrors) {
  http::Request no_date =
      MakeRequest("GET", "/b/k", {{"Host", "h"}, {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}});
  SignV4(no_date, kAccessKey, kSecret, "us-east-1", "20130524T000000Z",
         {"host", "x-amz-content-sha256"}, "UNSIGNED-PAYLOAD");
  EXPECT_EQ(CodeOf(no_date), ErrorCode::kAccessDenied);

  http::Request other_day = SignedGet();
  other_day.headers.Set("x-amz-date", "20130525T000000Z");
  now_ = kExampleTime + 86400;
  EXPECT_EQ(CodeOf(other_day), ErrorCode::kAuthorizationHeaderMalformed);

  http::Request garbage = SignedGet();
  garbage.headers.Set("x-amz-date", "yesterday");
  EXPECT_EQ(CodeOf(garbage), ErrorCode::kAccessDenied);
}

TEST_F(VerifierV4Test, MalformedAuthorizationHeader) {
  http::Request request = SignedGet();
  request.headers.Set("Authorization",
                      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                      "aws4_request, Signature=abc");
  EXPECT_EQ(CodeOf(request), ErrorCode::kAuthorizationHeaderMalformed);
  request.headers.Set("Authorization", "Bearer xyz");
  EXPECT_EQ(CodeOf(request), ErrorCode::kInvalidArgument);
}

TEST_F(VerifierV4Test, HeaderAndQueryAuthTogether) {
  http::Request request = SignedGet();
  request.query.emplace_back("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
  auto verified = Verify(request);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(verified.error().message().starts_with("Only one auth mechanism allowed"));
}

TEST_F(VerifierV4Test, AnonymousRequest) {
  http::Request request = MakeRequest("PUT", "/b/k", {{"Host", "h"}});
  auto verified = Verify(request, "data");
  ASSERT_TRUE(verified.has_value()) << verified.error().ToString();
  EXPECT_TRUE(verified->anonymous);
  EXPECT_TRUE(verified->access_key.empty());
  ASSERT_NE(verified->payload, nullptr);
  EXPECT_EQ(ReadAll(*verified->payload).value(), "data");
}

TEST_F(VerifierV4Test, SignedStreamingNeedsAHeaderSignature) {
  http::Request request =
      MakeRequest("PUT", "/b/k",
                  {{"Host", "h"}, {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"}});
  EXPECT_EQ(CodeOf(request), ErrorCode::kInvalidRequest);
}

}  // namespace
}  // namespace stratus::auth
