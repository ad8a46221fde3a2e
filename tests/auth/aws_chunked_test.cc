// The aws-chunked decoder: AWS's published examples, every split of the input across reads,
// and every way the framing or a signature can be wrong.
#include "auth/aws_chunked.h"

#include <gtest/gtest.h>

#include <limits>

#include "auth/sigv4.h"
#include "auth_test_util.h"
#include "common/crypto.h"

namespace stratus::auth {
namespace {

using testing::Encode;
using testing::ReadAll;
using testing::StringStream;

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kDate = "20130524T000000Z";
constexpr std::string_view kScope = "20130524/us-east-1/s3/aws4_request";
// The seed of AWS's STREAMING-AWS4-HMAC-SHA256-PAYLOAD example (sigv4-streaming).
constexpr std::string_view kSeed =
    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
// The seed of AWS's STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER example.
constexpr std::string_view kTrailerSeed =
    "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
constexpr size_t kAll = std::numeric_limits<size_t>::max();

ChunkSigningContext Signing(std::string_view seed = kSeed) {
  return {SigningKey(kSecret, "20130524", "us-east-1", "s3"), std::string(kDate),
          std::string(kScope), std::string(seed)};
}

struct Decoded {
  Result<std::string> data;
  http::Headers trailers;
};

Decoded Decode(std::string body, AwsChunkedReader::Options options,
               std::vector<size_t> input_reads = {}, size_t output_read = 65536) {
  StringStream stream(std::move(body), std::move(input_reads));
  AwsChunkedReader reader(&stream, std::move(options));
  Decoded decoded{ReadAll(reader, output_read), {}};
  decoded.trailers = reader.trailers();
  return decoded;
}

AwsChunkedReader::Options SignedOptions(std::optional<uint64_t> decoded_length = std::nullopt) {
  AwsChunkedReader::Options options;
  options.signing = Signing();
  options.decoded_length = decoded_length;
  return options;
}

AwsChunkedReader::Options UnsignedTrailerOptions(std::vector<std::string> declared) {
  AwsChunkedReader::Options options;
  options.trailer = true;
  options.declared_trailers = std::move(declared);
  return options;
}

ErrorCode CodeOf(const Decoded& decoded) {
  return decoded.data ? ErrorCode::kOk : decoded.data.error().code();
}

// AWS's example body, written out literally so the test does not trust Encode.
std::string AwsExampleBody() {
  return "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
         "\r\n" +
         std::string(65536, 'a') +
         "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
         "\r\n" +
         std::string(1024, 'a') +
         "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
         "\r\n\r\n";
}

TEST(AwsChunked, DecodesAwsStreamingExample) {
  std::string body = AwsExampleBody();
  ASSERT_EQ(body.size(), 66824u);  // the example's Content-Length
  EXPECT_EQ(body, Encode({std::string(65536, 'a'), std::string(1024, 'a'), ""}, Signing()));
  for (size_t output_read : {size_t{1}, size_t{7}, size_t{4096}, size_t{65536}, size_t{200000}}) {
    Decoded decoded = Decode(body, SignedOptions(66560), {}, output_read);
    ASSERT_TRUE(decoded.data.has_value()) << decoded.data.error().ToString();
    EXPECT_EQ(*decoded.data, std::string(66560, 'a'));
  }
}

TEST(AwsChunked, DecodesAwsStreamingExampleByteAtATime) {
  Decoded decoded = Decode(AwsExampleBody(), SignedOptions(66560), {1}, 3);
  ASSERT_TRUE(decoded.data.has_value()) << decoded.data.error().ToString();
  EXPECT_EQ(decoded.data->size(), 66560u);
}

TEST(AwsChunked, VerifiesAwsSignedTrailerExample) {
  // sigv4-streaming-trailers: 64 KiB + 1 KiB of 'a' and a crc32c trailer.
  std::string body =
      "10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n" +
      std::string(65536, 'a') +
      "\r\n400;chunk-signature="
      "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n" +
      std::string(1024, 'a') +
      "\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n"
      "x-amz-checksum-crc32c:sOO8/Q==\r\n"
      "x-amz-trailer-signature:63bddb248ad2590c92712055f51b8e78ab024eead08276b24f010b0efd74843f"
      "\r\n\r\n";
  AwsChunkedReader::Options options;
  options.signing = Signing(kTrailerSeed);
  options.trailer = true;
  options.declared_trailers = {"x-amz-checksum-crc32c"};
  options.decoded_length = 66560;
  Decoded decoded = Decode(body, options);
  ASSERT_TRUE(decoded.data.has_value()) << decoded.data.error().ToString();
  EXPECT_EQ(decoded.data->size(), 66560u);
  EXPECT_EQ(decoded.trailers.Get("x-amz-checksum-crc32c"), "sOO8/Q==");
}

// A small body with chunks of awkward sizes, for exhaustive split tests.
std::vector<std::string> SmallChunks() {
  return {"hello, ", std::string(17, 'x') + "\r\n0;\r\n", "z", std::string(40, 'q'), ""};
}
std::string SmallData() {
  std::string data;
  for (const auto& chunk : SmallChunks()) data += chunk;
  return data;
}

struct Variant {
  std::string name;
  std::string body;
  AwsChunkedReader::Options options;
};

std::vector<Variant> Variants() {
  AwsChunkedReader::Options signed_trailer = SignedOptions(SmallData().size());
  signed_trailer.trailer = true;
  signed_trailer.declared_trailers = {"x-amz-checksum-crc32"};
  return {
      {"signed", Encode(SmallChunks(), Signing()), SignedOptions(SmallData().size())},
      {"signed-trailer", Encode(SmallChunks(), Signing(), {"x-amz-checksum-crc32:AAAAAA=="}),
       signed_trailer},
      {"unsigned-trailer", Encode(SmallChunks(), std::nullopt, {"x-amz-checksum-crc32:AAAAAA=="}),
       UnsignedTrailerOptions({"x-amz-checksum-crc32"})},
  };
}

TEST(AwsChunked, EverySplitPointDecodesTheSame) {
  for (const Variant& variant : Variants()) {
    for (size_t split = 1; split <= variant.body.size(); ++split) {  // a 0-byte read is the end
      Decoded decoded = Decode(variant.body, variant.options, {split, kAll});
      ASSERT_TRUE(decoded.data.has_value())
          << variant.name << " split " << split << ": " << decoded.data.error().ToString();
      ASSERT_EQ(*decoded.data, SmallData()) << variant.name << " split " << split;
      if (variant.options.trailer) {
        ASSERT_EQ(decoded.trailers.Get("x-amz-checksum-crc32"), "AAAAAA==") << variant.name;
      }
    }
  }
}

TEST(AwsChunked, EveryPairOfReadSizesDecodesTheSame) {
  for (const Variant& variant : Variants()) {
    for (size_t a = 1; a <= 40; ++a) {
      for (size_t b = 1; b <= 40; ++b) {
        for (size_t output_read : {size_t{1}, size_t{5}, size_t{64}}) {
          Decoded decoded = Decode(variant.body, variant.options, {a, b}, output_read);
          ASSERT_TRUE(decoded.data.has_value()) << variant.name << " reads " << a << "," << b;
          ASSERT_EQ(*decoded.data, SmallData()) << variant.name << " reads " << a << "," << b;
        }
      }
    }
  }
}

TEST(AwsChunked, EveryTruncationIsIncompleteBody) {
  for (const Variant& variant : Variants()) {
    for (size_t length = 0; length < variant.body.size(); ++length) {
      Decoded decoded = Decode(variant.body.substr(0, length), variant.options, {7});
      ASSERT_EQ(CodeOf(decoded), ErrorCode::kIncompleteBody) << variant.name << " " << length;
    }
  }
}

TEST(AwsChunked, MissingFinalChunkIsIncompleteBody) {
  std::string body = Encode({"abc", "defg", ""}, Signing());
  body = body.substr(0, body.find("\r\n0;"));
  body += "\r\n";
  EXPECT_EQ(CodeOf(Decode(body, SignedOptions())), ErrorCode::kIncompleteBody);
}

TEST(AwsChunked, EveryTamperedChunkSignatureFails) {
  std::string body = Encode({"abc", "defg", ""}, Signing());
  size_t at = 0;
  int tampered = 0;
  while ((at = body.find("chunk-signature=", at)) != std::string::npos) {
    std::string bad = body;
    size_t digit = at + 16 + 10;
    bad[digit] = bad[digit] == '0' ? '1' : '0';
    EXPECT_EQ(CodeOf(Decode(bad, SignedOptions())), ErrorCode::kSignatureDoesNotMatch) << at;
    at += 16;
    ++tampered;
  }
  EXPECT_EQ(tampered, 3);
}

TEST(AwsChunked, TamperedDataFailsItsChunkSignature) {
  std::string body = Encode({"abc", "defg", ""}, Signing());
  body[body.find("defg")] = 'D';
  EXPECT_EQ(CodeOf(Decode(body, SignedOptions())), ErrorCode::kSignatureDoesNotMatch);
}

TEST(AwsChunked, ChunksMayNotBeReorderedOrDropped) {
  std::string a = Encode({"abc", ""}, Signing());
  std::string b = Encode({"abc", "abc", ""}, Signing());
  // The second "abc" chunk signs a different chain position than the first.
  std::string first = b.substr(0, b.find("abc") + 5);
  std::string spliced = first + first + a.substr(a.find("\r\n0;") + 2);
  EXPECT_EQ(CodeOf(Decode(spliced, SignedOptions())), ErrorCode::kSignatureDoesNotMatch);
}

TEST(AwsChunked, BadFramingIsInvalidRequest) {
  std::string good = Encode({"abc", ""}, Signing());
  std::string sig = good.substr(good.find('=') + 1, 64);
  for (std::string body : {
           std::string("zz;chunk-signature=") + sig + "\r\nabc\r\n",          // bad hex size
           std::string(";chunk-signature=") + sig + "\r\nabc\r\n",            // no size
           std::string("3\r\nabc\r\n0\r\n\r\n"),                              // unsigned chunks
           std::string("3;chunk-signature=") + sig + "\r\nabcX\r\n",          // data overruns size
           std::string("11111111111111111;chunk-signature=") + sig + "\r\n",  // > 16 hex digits
           std::string(5000, '1') + "\r\n",                                   // endless header
       }) {
    EXPECT_EQ(CodeOf(Decode(body, SignedOptions())), ErrorCode::kInvalidRequest) << body;
  }
}

TEST(AwsChunked, DataAfterTheEndIsRejected) {
  EXPECT_EQ(CodeOf(Decode(Encode({"abc", ""}, Signing()) + "x", SignedOptions())),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(Decode(Encode({"abc", ""}, Signing()) + "x", SignedOptions(), {1})),
            ErrorCode::kInvalidRequest);
}

TEST(AwsChunked, DecodedLengthMustMatch) {
  std::string body = Encode({"abc", "de", ""}, Signing());
  EXPECT_EQ(CodeOf(Decode(body, SignedOptions(5))), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(Decode(body, SignedOptions(6))), ErrorCode::kIncompleteBody);
  EXPECT_EQ(CodeOf(Decode(body, SignedOptions(4))), ErrorCode::kInvalidRequest);
}

TEST(AwsChunked, EmptyPayload) {
  Decoded decoded = Decode(Encode({""}, Signing()), SignedOptions(0));
  ASSERT_TRUE(decoded.data.has_value()) << decoded.data.error().ToString();
  EXPECT_EQ(*decoded.data, "");
  EXPECT_EQ(CodeOf(Decode("", SignedOptions(0))), ErrorCode::kIncompleteBody);
}

TEST(AwsChunked, MultiMebibyteChunkThroughSmallReads) {
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 % 251);
  Decoded decoded = Decode(Encode({big, "tail", ""}, Signing()), SignedOptions(big.size() + 4),
                           {1000, 70000, 3}, 4093);
  ASSERT_TRUE(decoded.data.has_value()) << decoded.data.error().ToString();
  EXPECT_TRUE(*decoded.data == big + "tail");
}

TEST(AwsChunked, UnsignedTrailerAsBotocoreSendsIt) {
  // botocore's AwsChunkedWrapper: "<hex>\r\n<data>\r\n" ... "0\r\n<name>:<b64>\r\n\r\n".
  std::string body = "5\r\nhello\r\n0\r\nx-amz-checksum-crc64nvme:AAAAAAAAAAA=\r\n\r\n";
  Decoded decoded = Decode(body, UnsignedTrailerOptions({"x-amz-checksum-crc64nvme"}));
  ASSERT_TRUE(decoded.data.has_value()) << decoded.data.error().ToString();
  EXPECT_EQ(*decoded.data, "hello");
  EXPECT_EQ(decoded.trailers.Get("x-amz-checksum-crc64nvme"), "AAAAAAAAAAA=");
}

TEST(AwsChunked, UnsignedChunkExtensionsAreIgnored) {
  std::string body = "5;foo=bar\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
  EXPECT_EQ(CodeOf(Decode(body, UnsignedTrailerOptions({"x-amz-checksum-crc32"}))), ErrorCode::kOk);
}

TEST(AwsChunked, TrailersMustBeDeclaredAndSent) {
  std::string body = Encode({"hi", ""}, std::nullopt, {"x-amz-checksum-crc32:AAAAAA=="});
  EXPECT_EQ(CodeOf(Decode(body, UnsignedTrailerOptions({"x-amz-checksum-sha256"}))),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(Decode(body, UnsignedTrailerOptions({}))), ErrorCode::kInvalidRequest);
  std::string no_trailer = Encode({"hi", ""}, std::nullopt);
  EXPECT_EQ(CodeOf(Decode(no_trailer, UnsignedTrailerOptions({"x-amz-checksum-crc32"}))),
            ErrorCode::kInvalidRequest);
  std::string twice = Encode({"hi", ""}, std::nullopt,
                             {"x-amz-checksum-crc32:AAAAAA==", "x-amz-checksum-crc32:AAAAAA=="});
  EXPECT_EQ(CodeOf(Decode(twice, UnsignedTrailerOptions({"x-amz-checksum-crc32"}))),
            ErrorCode::kInvalidRequest);
  std::string malformed = "2\r\nhi\r\n0\r\nno-colon-here\r\n\r\n";
  EXPECT_EQ(CodeOf(Decode(malformed, UnsignedTrailerOptions({"x-amz-checksum-crc32"}))),
            ErrorCode::kInvalidRequest);
}

TEST(AwsChunked, TrailersAreRefusedWithoutTheTrailerForm) {
  std::string body = Encode({"hi", ""}, Signing(), {"x-amz-checksum-crc32:AAAAAA=="});
  EXPECT_EQ(CodeOf(Decode(body, SignedOptions())), ErrorCode::kInvalidRequest);
}

TEST(AwsChunked, SignedTrailerIsVerified) {
  AwsChunkedReader::Options options = SignedOptions();
  options.trailer = true;
  options.declared_trailers = {"x-amz-checksum-crc32"};
  std::string body = Encode({"hi", ""}, Signing(), {"x-amz-checksum-crc32:AAAAAA=="});
  EXPECT_EQ(CodeOf(Decode(body, options)), ErrorCode::kOk);

  std::string tampered = body;
  tampered.replace(tampered.find("AAAAAA=="), 8, "BBBBBB==");
  EXPECT_EQ(CodeOf(Decode(tampered, options)), ErrorCode::kSignatureDoesNotMatch);

  std::string unsigned_trailer = body.substr(0, body.find("x-amz-trailer-signature")) + "\r\n";
  EXPECT_EQ(CodeOf(Decode(unsigned_trailer, options)), ErrorCode::kInvalidRequest);
}

TEST(AwsChunked, UnsignedFormRefusesATrailerSignature) {
  std::string body = Encode({"hi", ""}, Signing(), {"x-amz-checksum-crc32:AAAAAA=="});
  // Strip the chunk signatures but keep the trailer signature line.
  std::string plain = "2\r\nhi\r\n0\r\n" + body.substr(body.find("x-amz-checksum"));
  EXPECT_EQ(CodeOf(Decode(plain, UnsignedTrailerOptions({"x-amz-checksum-crc32"}))),
            ErrorCode::kInvalidRequest);
}

TEST(AwsChunked, ErrorsAreSticky) {
  StringStream stream("zz\r\n");
  AwsChunkedReader reader(&stream, UnsignedTrailerOptions({}));
  char buffer[16];
  EXPECT_EQ(reader.Read(buffer).error().code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(reader.Read(buffer).error().code(), ErrorCode::kInvalidRequest);
}

TEST(AwsChunked, LengthIsTheDecodedLength) {
  StringStream stream("");
  AwsChunkedReader reader(&stream, SignedOptions(66560));
  EXPECT_EQ(reader.length(), 66560u);
}

}  // namespace
}  // namespace stratus::auth
