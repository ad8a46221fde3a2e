#include "s3/multipart_checksum.h"

#include <gtest/gtest.h>

#include "common/crypto.h"

namespace stratus::s3 {
namespace {

std::string Raw(ChecksumAlgorithm algorithm, std::string_view data) {
  Checksummer checksummer(algorithm);
  checksummer.Update(data);
  return checksummer.Final();
}

// Expected values computed independently with Python's hashlib, zlib and base64.
TEST(MultipartEtagTest, Md5OfConcatenatedPartMd5s) {
  auto etag = MultipartEtag({HexEncode(Md5("hello ")), HexEncode(Md5("world"))});
  ASSERT_TRUE(etag);
  EXPECT_EQ(*etag, "e09e4fd6265b36115fe3db32df945d84-2");
}

TEST(MultipartEtagTest, SinglePartStillGetsSuffix) {
  auto etag = MultipartEtag({"f814893777bcc2295fff05f00e508da6"});
  ASSERT_TRUE(etag);
  EXPECT_EQ(*etag, HexEncode(Md5(*HexDecode("f814893777bcc2295fff05f00e508da6"))) + "-1");
}

TEST(MultipartEtagTest, RejectsNonMd5Etags) {
  EXPECT_FALSE(MultipartEtag({"not-hex"}));
  EXPECT_FALSE(MultipartEtag({"abcd"}));
  EXPECT_FALSE(MultipartEtag({"e09e4fd6265b36115fe3db32df945d84-2"}));
}

TEST(CompositeChecksumTest, Crc32OfConcatenatedPartCrcs) {
  EXPECT_EQ(CompositeChecksum(ChecksumAlgorithm::kCrc32, {Raw(ChecksumAlgorithm::kCrc32, "hello "),
                                                          Raw(ChecksumAlgorithm::kCrc32, "world")}),
            "1Fu2mQ==-2");
}

TEST(CompositeChecksumTest, Sha256OfConcatenatedPartDigests) {
  EXPECT_EQ(
      CompositeChecksum(ChecksumAlgorithm::kSha256, {Raw(ChecksumAlgorithm::kSha256, "hello "),
                                                     Raw(ChecksumAlgorithm::kSha256, "world")}),
      "Zhie15keHg/OBlOZxcoF/BXCgYZaeimRvdZnwUZqkaQ=-2");
}

TEST(FullObjectChecksumTest, Crc32EqualsCrcOfWholeObject) {
  EXPECT_EQ(
      FullObjectChecksum(ChecksumAlgorithm::kCrc32, {{Raw(ChecksumAlgorithm::kCrc32, "hello "), 6},
                                                     {Raw(ChecksumAlgorithm::kCrc32, "world"), 5}}),
      "DUoRhQ==");
}

TEST(FullObjectChecksumTest, EveryCrcMatchesStraightComputation) {
  std::string a(5 * 1024 * 1024 + 3, 'a');
  std::string b = "the second part";
  std::string c;  // an empty last part changes nothing
  for (ChecksumAlgorithm algorithm :
       {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme}) {
    SCOPED_TRACE(ChecksumAlgorithmName(algorithm));
    EXPECT_EQ(FullObjectChecksum(algorithm, {{Raw(algorithm, a), a.size()},
                                             {Raw(algorithm, b), b.size()},
                                             {Raw(algorithm, c), c.size()}}),
              Base64Encode(Raw(algorithm, a + b + c)));
  }
}

TEST(FullObjectChecksumTest, SinglePartIsThatPartsCrc) {
  std::string raw = Raw(ChecksumAlgorithm::kCrc64Nvme, "only");
  EXPECT_EQ(FullObjectChecksum(ChecksumAlgorithm::kCrc64Nvme, {{raw, 4}}), Base64Encode(raw));
}

TEST(ChecksumTypeTest, AllowedCombinations) {
  EXPECT_TRUE(SupportsChecksumType(ChecksumAlgorithm::kCrc64Nvme, "FULL_OBJECT"));
  EXPECT_FALSE(SupportsChecksumType(ChecksumAlgorithm::kCrc64Nvme, "COMPOSITE"));
  EXPECT_TRUE(SupportsChecksumType(ChecksumAlgorithm::kCrc32, "COMPOSITE"));
  EXPECT_TRUE(SupportsChecksumType(ChecksumAlgorithm::kCrc32c, "FULL_OBJECT"));
  EXPECT_TRUE(SupportsChecksumType(ChecksumAlgorithm::kSha1, "COMPOSITE"));
  EXPECT_FALSE(SupportsChecksumType(ChecksumAlgorithm::kSha256, "FULL_OBJECT"));
  EXPECT_FALSE(SupportsChecksumType(ChecksumAlgorithm::kCrc32, "full_object"));
}

}  // namespace
}  // namespace stratus::s3
