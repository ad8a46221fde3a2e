// SigV4 pure functions against AWS's published vectors: the SigV4 test suite (service
// "service", AKIDEXAMPLE) and the S3 examples of "sig-v4-header-based-auth".
#include "auth/sigv4.h"

#include <gtest/gtest.h>

#include "auth_test_util.h"
#include "common/crypto.h"

namespace stratus::auth {
namespace {

using testing::MakeRequest;

constexpr std::string_view kSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kS3Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

// Signs a request as the test suite does: region us-east-1, service "service".
std::string SuiteSignature(const http::Request& request,
                           const std::vector<std::string>& signed_names,
                           std::string* canonical_out = nullptr) {
  std::string signed_text;
  for (const auto& name : signed_names) signed_text += (signed_text.empty() ? "" : ";") + name;
  std::string canonical = CanonicalRequest(
      request.method, CanonicalUri(request.path).value(), CanonicalQuery(request.query),
      CanonicalHeaders(request.headers, signed_names), signed_text, kEmptySha256);
  if (canonical_out) *canonical_out = canonical;
  std::string key = SigningKey(kSuiteSecret, "20150830", "us-east-1", "service");
  return Signature(
      key, StringToSign("20150830T123600Z", CredentialScope("20150830", "us-east-1", "service"),
                        canonical));
}

http::Request SuiteRequest(std::string target,
                           std::vector<std::pair<std::string, std::string>> extra = {}) {
  extra.insert(extra.begin(), {"Host", "example.amazonaws.com"});
  extra.emplace_back("X-Amz-Date", "20150830T123600Z");
  return MakeRequest("GET", std::move(target), std::move(extra));
}

TEST(SigV4TestSuite, GetVanilla) {
  std::string canonical;
  EXPECT_EQ(SuiteSignature(SuiteRequest("/"), {"host", "x-amz-date"}, &canonical),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(canonical,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4TestSuite, GetVanillaQueryOrderKeyCase) {
  EXPECT_EQ(SuiteSignature(SuiteRequest("/?Param2=value2&Param1=value1"), {"host", "x-amz-date"}),
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4TestSuite, GetVanillaQueryUnreserved) {
  const std::string unreserved =
      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(
      SuiteSignature(SuiteRequest("/?" + unreserved + "=" + unreserved), {"host", "x-amz-date"}),
      "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
}

TEST(SigV4TestSuite, GetUtf8) {
  EXPECT_EQ(SuiteSignature(SuiteRequest("/%E1%88%B4"), {"host", "x-amz-date"}),
            "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST(SigV4TestSuite, GetVanillaUtf8Query) {
  EXPECT_EQ(SuiteSignature(SuiteRequest("/?%E1%88%B4=bar"), {"host", "x-amz-date"}),
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
}

TEST(SigV4TestSuite, GetHeaderValueTrim) {
  http::Request request =
      SuiteRequest("/", {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}});
  std::string canonical;
  EXPECT_EQ(SuiteSignature(request, {"host", "my-header1", "my-header2", "x-amz-date"}, &canonical),
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
  EXPECT_NE(canonical.find("my-header2:\"a b c\"\n"), std::string::npos);
}

// The S3 GET Object example: examplebucket, Range, empty payload hash.
TEST(SigV4S3Examples, GetObject) {
  http::Request request = MakeRequest("GET", "/test.txt",
                                      {{"Host", "examplebucket.s3.amazonaws.com"},
                                       {"Range", "bytes=0-9"},
                                       {"x-amz-content-sha256", std::string(kEmptySha256)},
                                       {"x-amz-date", "20130524T000000Z"}});
  std::vector<std::string> names = {"host", "range", "x-amz-content-sha256", "x-amz-date"};
  std::string canonical =
      CanonicalRequest("GET", CanonicalUri(request.path).value(), CanonicalQuery(request.query),
                       CanonicalHeaders(request.headers, names),
                       "host;range;x-amz-content-sha256;x-amz-date", kEmptySha256);
  EXPECT_EQ(canonical,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string string_to_sign =
      StringToSign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request", canonical);
  EXPECT_EQ(string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(Signature(SigningKey(kS3Secret, "20130524", "us-east-1", "s3"), string_to_sign),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4S3Examples, StreamingSeedAndChunkSignatures) {
  http::Request request =
      MakeRequest("PUT", "/examplebucket/chunkObject.txt",
                  {{"Host", "s3.amazonaws.com"},
                   {"x-amz-date", "20130524T000000Z"},
                   {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                   {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
                   {"Content-Encoding", "aws-chunked"},
                   {"x-amz-decoded-content-length", "66560"},
                   {"Content-Length", "66824"}});
  std::vector<std::string> names = {
      "content-encoding",     "content-length", "host",
      "x-amz-content-sha256", "x-amz-date",     "x-amz-decoded-content-length",
      "x-amz-storage-class"};
  std::string signed_text =
      "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
      "x-amz-decoded-content-length;x-amz-storage-class";
  std::string canonical = CanonicalRequest("PUT", CanonicalUri(request.path).value(), "",
                                           CanonicalHeaders(request.headers, names), signed_text,
                                           kStreamingSignedPayload);
  std::string scope = "20130524/us-east-1/s3/aws4_request";
  std::string key = SigningKey(kS3Secret, "20130524", "us-east-1", "s3");
  std::string seed = Signature(key, StringToSign("20130524T000000Z", scope, canonical));
  EXPECT_EQ(seed, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");

  std::string first = Signature(key, ChunkStringToSign("20130524T000000Z", scope, seed,
                                                       HexEncode(Sha256(std::string(65536, 'a')))));
  EXPECT_EQ(first, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
  std::string second = Signature(key, ChunkStringToSign("20130524T000000Z", scope, first,
                                                        HexEncode(Sha256(std::string(1024, 'a')))));
  EXPECT_EQ(second, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
  EXPECT_EQ(Signature(key, ChunkStringToSign("20130524T000000Z", scope, second, kEmptySha256)),
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
}

TEST(SigV4S3Examples, PresignedGetObject) {
  http::Request request = MakeRequest(
      "GET",
      "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524"
      "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
      "&X-Amz-SignedHeaders=host",
      {{"Host", "examplebucket.s3.amazonaws.com"}});
  std::string canonical = CanonicalRequest(
      "GET", CanonicalUri(request.path).value(), CanonicalQuery(request.query, "X-Amz-Signature"),
      CanonicalHeaders(request.headers, {"host"}), "host", kUnsignedPayload);
  EXPECT_EQ(canonical,
            "GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE"
            "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires="
            "86400&X-Amz-SignedHeaders=host\nhost:examplebucket.s3.amazonaws.com\n\nhost\n"
            "UNSIGNED-PAYLOAD");
  EXPECT_EQ(
      Signature(SigningKey(kS3Secret, "20130524", "us-east-1", "s3"),
                StringToSign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request", canonical)),
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4, UriEncodeKeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(UriEncode("a-b_c.d~e/f g+h=*%", false), "a-b_c.d~e/f%20g%2Bh%3D%2A%25");
  EXPECT_EQ(UriEncode("a/b", true), "a%2Fb");
  EXPECT_EQ(UriEncode("\xE1\x88\xB4", true), "%E1%88%B4");
}

TEST(SigV4, CanonicalUriDoesNotNormalizeS3Paths) {
  EXPECT_EQ(CanonicalUri("/b//k/./x/../y").value(), "/b//k/./x/../y");
  EXPECT_EQ(CanonicalUri("/b/a%20b+c%2Bd").value(), "/b/a%20b%2Bc%2Bd");
  EXPECT_EQ(CanonicalUri("/b/%7Etilde%2fslash").value(), "/b/~tilde/slash");
  EXPECT_EQ(CanonicalUri("").value(), "/");
  EXPECT_EQ(CanonicalUri("/b/%zz").error().code(), ErrorCode::kInvalidURI);
}

TEST(SigV4, CanonicalQuerySortsByEncodedNameThenValue) {
  http::QueryParams params = {{"b", "2"},      {"a", "y"}, {"a", "x"},
                              {"uploads", ""}, {"A", "0"}, {"k", "v w/+"}};
  EXPECT_EQ(CanonicalQuery(params), "A=0&a=x&a=y&b=2&k=v%20w%2F%2B&uploads=");
  EXPECT_EQ(CanonicalQuery({{"X-Amz-Signature", "s"}, {"x", "1"}}, "X-Amz-Signature"), "x=1");
}

TEST(SigV4, CanonicalHeadersJoinRepeatsAndSignMissingAsEmpty) {
  http::Headers headers;
  headers.Add("X-Amz-Meta-A", "  one  ");
  headers.Add("x-amz-meta-a", "two   three");
  EXPECT_EQ(CanonicalHeaders(headers, {"x-amz-meta-a", "x-amz-meta-b"}),
            "x-amz-meta-a:one,two three\nx-amz-meta-b:\n");
}

TEST(SigV4, ParsesAuthorizationHeader) {
  auto auth = ParseSigV4Authorization(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
      "SignedHeaders=host;range;x-amz-date,Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe285"
      "5ddc963176630326f1024");
  ASSERT_TRUE(auth.has_value()) << auth.error().ToString();
  EXPECT_EQ(auth->credential.access_key, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(auth->credential.date, "20130524");
  EXPECT_EQ(auth->credential.region, "us-east-1");
  EXPECT_EQ(auth->credential.Scope(), "20130524/us-east-1/s3/aws4_request");
  EXPECT_EQ(auth->signed_headers, (std::vector<std::string>{"host", "range", "x-amz-date"}));
  EXPECT_EQ(auth->signed_headers_text, "host;range;x-amz-date");
  EXPECT_EQ(auth->signature, "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024");
}

TEST(SigV4, RejectsMalformedAuthorizationHeaders) {
  for (std::string_view header : {
           "AWS4-HMAC-SHA256",
           "AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request",
           "AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=host",
           "AWS4-HMAC-SHA256 Credential=AK/2013/us-east-1/s3/aws4_request, SignedHeaders=host, "
           "Signature=x",
           "AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/ec2/aws4_request, "
           "SignedHeaders=host, Signature=x",
           "AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws5_request, "
           "SignedHeaders=host, Signature=x",
           "AWS4-HMAC-SHA256 Credential=20130524/us-east-1/s3/aws4_request, SignedHeaders=host, "
           "Signature=x",
           "AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, "
           "SignedHeaders=Host;;x, Signature=x",
           "AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, "
           "SignedHeaders=host, Signature=x, Signature=y",
           "AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request SignedHeaders=host",
           "AWS4-HMAC-SHA256X Credential=AK/20130524/us-east-1/s3/aws4_request, "
           "SignedHeaders=host, Signature=x",
       }) {
    auto auth = ParseSigV4Authorization(header);
    ASSERT_FALSE(auth.has_value()) << header;
    EXPECT_EQ(auth.error().code(), ErrorCode::kAuthorizationHeaderMalformed) << header;
  }
}

TEST(SigV4, CredentialErrorsNameTheirSource) {
  auto query = ParseSigV4Credential("AK/20130524/us-east-1/s3",
                                    ErrorCode::kAuthorizationQueryParametersError);
  ASSERT_FALSE(query.has_value());
  EXPECT_EQ(query.error().code(), ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_TRUE(query.error().message().starts_with("Error parsing the X-Amz-Credential parameter"));
}

}  // namespace
}  // namespace stratus::auth
