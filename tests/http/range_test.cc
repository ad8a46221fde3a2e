#include "http/range.h"

#include <gtest/gtest.h>

namespace stratus::http {
namespace {

ByteRange Range(std::string_view header, uint64_t size) {
  auto r = ParseRange(header, size);
  EXPECT_TRUE(r.has_value()) << header << " / " << size << ": " << r.error().ToString();
  EXPECT_TRUE(r.has_value() && r->has_value()) << header << " was ignored";
  return r.has_value() && r->has_value() ? **r : ByteRange{~0ull, ~0ull};
}

bool Ignored(std::string_view header, uint64_t size) {
  auto r = ParseRange(header, size);
  return r.has_value() && !r->has_value();
}

bool Unsatisfiable(std::string_view header, uint64_t size) {
  auto r = ParseRange(header, size);
  return !r.has_value() && r.error().code() == ErrorCode::kInvalidRange;
}

TEST(ParseRange, FirstToLast) {
  EXPECT_EQ(Range("bytes=0-499", 1000), (ByteRange{0, 499}));
  EXPECT_EQ(Range("bytes=500-999", 1000), (ByteRange{500, 999}));
  EXPECT_EQ(Range("bytes=0-0", 1000), (ByteRange{0, 0}));
  EXPECT_EQ(Range("bytes=999-999", 1000), (ByteRange{999, 999}));
}

TEST(ParseRange, LastPastTheEndIsClamped) {
  EXPECT_EQ(Range("bytes=0-1000", 1000), (ByteRange{0, 999}));
  EXPECT_EQ(Range("bytes=10-99999999", 1000), (ByteRange{10, 999}));
  EXPECT_EQ(Range("bytes=0-99999999999999999999999999", 7), (ByteRange{0, 6}));
}

TEST(ParseRange, OpenEnded) {
  EXPECT_EQ(Range("bytes=500-", 1000), (ByteRange{500, 999}));
  EXPECT_EQ(Range("bytes=0-", 1000), (ByteRange{0, 999}));
  EXPECT_EQ(Range("bytes=999-", 1000), (ByteRange{999, 999}));
}

TEST(ParseRange, Suffix) {
  EXPECT_EQ(Range("bytes=-500", 1000), (ByteRange{500, 999}));
  EXPECT_EQ(Range("bytes=-1", 1000), (ByteRange{999, 999}));
  EXPECT_EQ(Range("bytes=-1000", 1000), (ByteRange{0, 999}));
  EXPECT_EQ(Range("bytes=-5000", 1000), (ByteRange{0, 999}));  // more than the object: all of it
}

TEST(ParseRange, UnitIsCaseInsensitiveAndSpacesAroundAreTolerated) {
  EXPECT_EQ(Range("Bytes=1-2", 10), (ByteRange{1, 2}));
  EXPECT_EQ(Range(" bytes=1-2 ", 10), (ByteRange{1, 2}));
}

TEST(ParseRange, StartAtOrPastTheEndIsInvalidRange) {
  EXPECT_TRUE(Unsatisfiable("bytes=1000-", 1000));
  EXPECT_TRUE(Unsatisfiable("bytes=1000-1001", 1000));
  EXPECT_TRUE(Unsatisfiable("bytes=5000-6000", 1000));
  EXPECT_TRUE(Unsatisfiable("bytes=99999999999999999999999-", 1000));
}

TEST(ParseRange, SuffixOfZeroIsInvalidRange) { EXPECT_TRUE(Unsatisfiable("bytes=-0", 1000)); }

TEST(ParseRange, AnyRangeOfAnEmptyObjectIsInvalidRange) {
  EXPECT_TRUE(Unsatisfiable("bytes=0-", 0));
  EXPECT_TRUE(Unsatisfiable("bytes=0-10", 0));
  EXPECT_TRUE(Unsatisfiable("bytes=-10", 0));
  EXPECT_TRUE(Ignored("bytes=abc", 0));  // still ignored when malformed
}

// S3 answers these with the whole object and 200 (see the comment in range.cc).
TEST(ParseRange, MalformedIsIgnored) {
  for (std::string_view header : {
           "",
           "bytes",
           "bytes=",
           "bytes=-",
           "bytes=abc",
           "bytes=1-abc",
           "bytes=a-5",
           "bytes=+1-5",
           "bytes=1--5",
           "bytes=1-5-",
           "bytes=0x10-20",
           "bytes = 0-5",
           "items=0-5",
           "0-5",
           "bytes=1 -5",
       }) {
    EXPECT_TRUE(Ignored(header, 1000)) << "'" << header << "'";
  }
}

TEST(ParseRange, MultipleRangesAreIgnored) {
  EXPECT_TRUE(Ignored("bytes=0-1,5-6", 1000));
  EXPECT_TRUE(Ignored("bytes=0-1, 5-6", 1000));
  EXPECT_TRUE(Ignored("bytes=-1,-2", 1000));
}

TEST(ParseRange, EndBeforeStartIsIgnored) {
  EXPECT_TRUE(Ignored("bytes=1-0", 12));
  EXPECT_TRUE(Ignored("bytes=15-1", 12));  // even though 15 is past the end
}

TEST(ByteRange, LengthAndContentRange) {
  ByteRange r{0, 499};
  EXPECT_EQ(r.length(), 500u);
  EXPECT_EQ(r.ContentRange(1234), "bytes 0-499/1234");
  EXPECT_EQ((ByteRange{7, 7}).length(), 1u);
  EXPECT_EQ(UnsatisfiedContentRange(1234), "bytes */1234");
}

TEST(ParseRange, ExhaustiveSmallObjectsStayInBounds) {
  for (uint64_t size = 0; size < 6; ++size) {
    for (int a = -1; a < 8; ++a) {
      for (int b = -1; b < 8; ++b) {
        std::string header =
            "bytes=" + (a >= 0 ? std::to_string(a) : "") + "-" + (b >= 0 ? std::to_string(b) : "");
        auto r = ParseRange(header, size);
        if (r.has_value() && r->has_value()) {
          EXPECT_LE((*r)->first, (*r)->last) << header;
          EXPECT_LT((*r)->last, size) << header;
        }
      }
    }
  }
}

}  // namespace
}  // namespace stratus::http
