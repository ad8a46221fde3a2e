// Randomized robustness of the aws-chunked decoder (a deterministic stand-in until the libFuzzer
// target exists): random bodies, random splits and random corruption must either decode to
// exactly the original data or fail cleanly, never crash or return wrong data as success.
#include <gtest/gtest.h>

#include <random>

#include "auth/aws_chunked.h"
#include "auth/sigv4.h"
#include "auth_test_util.h"

namespace stratus::auth {
namespace {

using testing::Encode;
using testing::ReadAll;
using testing::StringStream;

TEST(AwsChunkedRandom, CorruptedOrSplitBodiesNeverDecodeWrongData) {
  std::mt19937_64 rng(20130524);
  ChunkSigningContext signing{SigningKey("secret", "20130524", "us-east-1", "s3"),
                              "20130524T000000Z", "20130524/us-east-1/s3/aws4_request",
                              std::string(64, 'a')};
  for (int round = 0; round < 3000; ++round) {
    bool is_signed = rng() % 2 == 0;
    std::vector<std::string> chunks;
    std::string data;
    for (int i = 0, n = static_cast<int>(rng() % 4); i < n; ++i) {
      std::string chunk(1 + rng() % 300, '\0');
      for (char& c : chunk) c = static_cast<char>(rng() % 256);
      data += chunk;
      chunks.push_back(std::move(chunk));
    }
    chunks.emplace_back();
    std::string body = Encode(chunks, is_signed ? std::optional(signing) : std::nullopt,
                              {"x-amz-checksum-crc32:AAAAAA=="});
    bool corrupt = rng() % 2 == 0;
    if (corrupt) {
      size_t at = rng() % body.size();
      body[at] = static_cast<char>(body[at] ^ (1 + rng() % 255));
    }
    AwsChunkedReader::Options options;
    if (is_signed) options.signing = signing;
    options.trailer = true;
    options.declared_trailers = {"x-amz-checksum-crc32"};
    StringStream stream(body, {1 + rng() % 50, 1 + rng() % 5000});
    AwsChunkedReader reader(&stream, options);
    auto decoded = ReadAll(reader, 1 + rng() % 700);
    if (!corrupt) {
      ASSERT_TRUE(decoded.has_value()) << round << ": " << decoded.error().ToString();
    }
    if (decoded.has_value()) {
      // Unsigned bodies can survive corruption of the data itself or of the trailer value, but
      // the framing never lets a different length through.
      ASSERT_EQ(decoded->size(), data.size()) << round;
      if (is_signed) {
        ASSERT_EQ(*decoded, data) << round;
      }
    }
  }
}

}  // namespace
}  // namespace stratus::auth
