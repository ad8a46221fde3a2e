#include "s3/multipart_xml.h"

#include <gtest/gtest.h>

#include <random>

namespace stratus::s3 {
namespace {

ErrorCode CodeOf(std::string_view body) {
  auto parsed = ParseCompleteMultipartUpload(body);
  return parsed ? ErrorCode::kOk : parsed.error().code();
}

TEST(CompleteMultipartUploadXmlTest, ParsesPartsEtagsAndChecksums) {
  auto parts = ParseCompleteMultipartUpload(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Part><ETag>"aaa"</ETag><PartNumber>1</PartNumber></Part>
  <Part><PartNumber> 3 </PartNumber><ETag>&quot;bbb&quot;</ETag>
        <ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>
  <Part><PartNumber>10000</PartNumber><ETag>ccc</ETag></Part>
</CompleteMultipartUpload>)");
  ASSERT_TRUE(parts) << parts.error().ToString();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].number, 1u);
  EXPECT_EQ((*parts)[0].etag, "aaa");
  EXPECT_EQ((*parts)[1].number, 3u);
  EXPECT_EQ((*parts)[1].etag, "bbb");
  EXPECT_EQ((*parts)[1].checksums.at(ChecksumAlgorithm::kCrc32), "AAAAAA==");
  EXPECT_EQ((*parts)[2].number, 10000u);
  EXPECT_EQ((*parts)[2].etag, "ccc");
}

TEST(CompleteMultipartUploadXmlTest, UnorderedOrRepeatedPartsAreInvalidPartOrder) {
  EXPECT_EQ(CodeOf("<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>a</ETag></Part>"
                   "<Part><PartNumber>1</PartNumber><ETag>b</ETag></Part>"
                   "</CompleteMultipartUpload>"),
            ErrorCode::kInvalidPartOrder);
  EXPECT_EQ(CodeOf("<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>a</ETag></Part>"
                   "<Part><PartNumber>2</PartNumber><ETag>a</ETag></Part>"
                   "</CompleteMultipartUpload>"),
            ErrorCode::kInvalidPartOrder);
}

TEST(CompleteMultipartUploadXmlTest, MissingOrBadFieldsAreMalformed) {
  for (std::string_view body : {
           "",
           "garbage",
           "<CompleteMultipartUpload>",
           "<CompleteMultipartUpload></CompleteMultipartUpload>",
           "<Other><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></Other>",
           "<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>-1</PartNumber><ETag>a</ETag></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>1x</PartNumber><ETag>a</ETag></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>99999999999999999999999</PartNumber>"
           "<ETag>a</ETag></Part></CompleteMultipartUpload>",
       }) {
    SCOPED_TRACE(body);
    EXPECT_EQ(CodeOf(body), ErrorCode::kMalformedXML);
  }
}

TEST(CompleteMultipartUploadXmlTest, PartNumbersOutsideRangeAreInvalidArgument) {
  EXPECT_EQ(CodeOf("<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>a</ETag></Part>"
                   "</CompleteMultipartUpload>"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf("<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>a</ETag>"
                   "</Part></CompleteMultipartUpload>"),
            ErrorCode::kInvalidArgument);
}

// Random bytes and random cuts of a valid document never crash and never yield a part list
// that is out of order.
TEST(CompleteMultipartUploadXmlTest, FuzzishInputNeverCrashes) {
  const std::string valid =
      "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"a\"</ETag></Part>"
      "<Part><PartNumber>2</PartNumber><ETag>\"b\"</ETag></Part></CompleteMultipartUpload>";
  std::mt19937 rng(42);
  for (int i = 0; i < 2000; ++i) {
    std::string input = valid;
    switch (i % 3) {
      case 0:
        input = input.substr(0, rng() % input.size());
        break;
      case 1:
        for (int j = 0; j < 3; ++j) input[rng() % input.size()] = static_cast<char>(rng());
        break;
      case 2:
        input.resize(rng() % 64);
        for (char& c : input) c = static_cast<char>(rng());
        break;
    }
    auto parts = ParseCompleteMultipartUpload(input);
    if (!parts) continue;
    ASSERT_FALSE(parts->empty());
    for (size_t k = 1; k < parts->size(); ++k) {
      EXPECT_LT((*parts)[k - 1].number, (*parts)[k].number);
    }
  }
}

}  // namespace
}  // namespace stratus::s3
