#include "bench/parse.h"

#include <gtest/gtest.h>

namespace stratus::bench {
namespace {

TEST(ParseSizeTest, BinaryAndDecimalUnits) {
  EXPECT_EQ(ParseSize("4096").value(), 4096u);
  EXPECT_EQ(ParseSize("4KiB").value(), 4096u);
  EXPECT_EQ(ParseSize("4kib").value(), 4096u);
  EXPECT_EQ(ParseSize("4K").value(), 4096u);
  EXPECT_EQ(ParseSize("1MiB").value(), 1048576u);
  EXPECT_EQ(ParseSize("64MiB").value(), 64u << 20);
  EXPECT_EQ(ParseSize("2GiB").value(), uint64_t{2} << 30);
  EXPECT_EQ(ParseSize("4KB").value(), 4000u);
  EXPECT_EQ(ParseSize("1MB").value(), 1000000u);
  EXPECT_EQ(ParseSize("0").value(), 0u);
  EXPECT_EQ(ParseSize(" 8B ").value(), 8u);
}

TEST(ParseSizeTest, RejectsJunk) {
  for (const char* bad : {"", "KiB", "4XB", "1.5MiB", "-1", "4 KiB x", "99999999999999999999"}) {
    auto size = ParseSize(bad);
    ASSERT_FALSE(size.has_value()) << bad;
    EXPECT_EQ(size.error().code(), ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(ParseSize("17179869184GiB").has_value());  // overflows 64 bits
}

TEST(ParseSizeRangeTest, FixedAndRange) {
  SizeRange fixed = ParseSizeRange("1MiB").value();
  EXPECT_TRUE(fixed.fixed());
  EXPECT_EQ(fixed.min, 1048576u);
  SizeRange range = ParseSizeRange("1KiB-1MiB").value();
  EXPECT_FALSE(range.fixed());
  EXPECT_EQ(range.min, 1024u);
  EXPECT_EQ(range.max, 1048576u);
  EXPECT_FALSE(ParseSizeRange("1MiB-1KiB").has_value());
  EXPECT_FALSE(ParseSizeRange("1KiB-").has_value());
}

TEST(FormatSizeTest, PicksReadableUnit) {
  EXPECT_EQ(FormatSize(0), "0B");
  EXPECT_EQ(FormatSize(1000), "1000B");
  EXPECT_EQ(FormatSize(4096), "4KiB");
  EXPECT_EQ(FormatSize(1536), "1.5KiB");
  EXPECT_EQ(FormatSize(64u << 20), "64MiB");
}

TEST(ParseDurationTest, GoStyle) {
  using namespace std::chrono;
  EXPECT_EQ(ParseDuration("30s").value(), seconds(30));
  EXPECT_EQ(ParseDuration("30").value(), seconds(30));
  EXPECT_EQ(ParseDuration("500ms").value(), milliseconds(500));
  EXPECT_EQ(ParseDuration("2m").value(), minutes(2));
  EXPECT_EQ(ParseDuration("1h").value(), hours(1));
  EXPECT_EQ(ParseDuration("1m30s").value(), seconds(90));
  for (const char* bad : {"", "s", "10x", "1.5s", "-3s"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
  }
}

TEST(ParseMixTest, WeightsAndAliases) {
  auto mix = ParseMix("get=45,put=15,stat=30,delete=10").value();
  ASSERT_EQ(mix.size(), 4u);
  EXPECT_EQ(mix[0].op, Op::kGetObject);
  EXPECT_EQ(mix[0].weight, 45u);
  EXPECT_EQ(mix[1].op, Op::kPutObject);
  EXPECT_EQ(mix[2].op, Op::kHeadObject);  // stat is HeadObject, as in warp
  EXPECT_EQ(mix[3].op, Op::kDeleteObject);
  EXPECT_EQ(mix[3].weight, 10u);
  auto spaced = ParseMix(" list = 1 , multipart=2").value();
  EXPECT_EQ(spaced[0].op, Op::kListObjectsV2);
  EXPECT_EQ(spaced[1].op, Op::kMultipartUpload);
}

TEST(ParseMixTest, RejectsBadEntries) {
  for (const char* bad :
       {"", "get", "get=", "get=0", "get=-1", "copy=5", "get=1,get=2", "get=1.5", "get=10x"}) {
    EXPECT_FALSE(ParseMix(bad).has_value()) << bad;
  }
}

TEST(OperationTest, NamesRoundTrip) {
  EXPECT_EQ(ParseOpName("head"), Op::kHeadObject);
  EXPECT_EQ(ParseOpName("stat"), Op::kHeadObject);
  EXPECT_EQ(ParseOpName("mixed"), std::nullopt);
  EXPECT_EQ(OpName(Op::kPutObject), "PutObject");
  EXPECT_EQ(OpName(Op::kListObjectsV2), "ListObjectsV2");
  EXPECT_EQ(OpName(Op::kMultipartUpload), "MultipartUpload");
}

}  // namespace
}  // namespace stratus::bench
