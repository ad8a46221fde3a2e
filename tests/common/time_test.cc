#include "common/time.h"

#include <gtest/gtest.h>

namespace stratus {
namespace {

constexpr int64_t k1994 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example)
constexpr int64_t kNs = 1'000'000'000;

TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(k1994), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(4102444799), "Thu, 31 Dec 2099 23:59:59 GMT");
  EXPECT_EQ(FormatHttpDate(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
}

TEST(HttpDate, ParsesAllThreeForms) {
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), k1994);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), k1994);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), k1994);
  EXPECT_EQ(ParseHttpDate("Sun Nov 06 08:49:37 1994"), k1994);
}

TEST(HttpDate, RoundTripsAcrossYears) {
  for (int64_t t = -86400 * 365; t < 4'200'000'000; t += 86400 * 37 + 3601) {
    ASSERT_EQ(ParseHttpDate(FormatHttpDate(t)), t) << FormatHttpDate(t);
  }
}

TEST(HttpDate, Rfc850TwoDigitYearPivot) {
  EXPECT_EQ(ParseHttpDate("Thursday, 01-Jan-70 00:00:00 GMT"), 0);
  EXPECT_EQ(ParseHttpDate("Wednesday, 01-Jan-25 00:00:00 GMT"), 1735689600);
}

TEST(HttpDate, TrimsSurroundingWhitespace) {
  EXPECT_EQ(ParseHttpDate("  Sun, 06 Nov 1994 08:49:37 GMT\t"), k1994);
}

TEST(HttpDate, RejectsMalformed) {
  for (std::string_view bad : {
           "",
           "garbage",
           "Sun, 06 Nov 1994 08:49:37",           // no zone
           "Sun, 06 Nov 1994 08:49:37 UTC",       // only GMT is an HTTP-date
           "Sun, 6 Nov 1994 08:49:37 GMT",        // one-digit day
           "Sun, 06 Foo 1994 08:49:37 GMT",       // month
           "Xyz, 06 Nov 1994 08:49:37 GMT",       // weekday
           "Sun, 31 Feb 1994 08:49:37 GMT",       // no such day
           "Sun, 29 Feb 1900 08:49:37 GMT",       // 1900 was not a leap year
           "Sun, 06 Nov 1994 24:00:00 GMT",       // hour
           "Sun, 06 Nov 1994 08:60:00 GMT",       // minute
           "Sun, 06 Nov 1994 08:49:37 GMT junk",  // trailing text
           "Sun, 06 Nov 94 08:49:37 GMT",         // two-digit year in IMF form
           "1994-11-06T08:49:37Z",                // ISO-8601 is not an HTTP-date
           "784111777",
       }) {
    EXPECT_FALSE(ParseHttpDate(bad).has_value()) << bad;
  }
}

TEST(HttpDate, AcceptsLeapSecond) {
  EXPECT_EQ(ParseHttpDate("Sat, 31 Dec 2016 23:59:60 GMT"), 1483228800);
}

TEST(Iso8601, FormatsMilliseconds) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(1'795'959'659 * kNs), "2026-11-29T13:40:59.000Z");
  EXPECT_EQ(FormatIso8601(1'795'959'659 * kNs + 123'999'999), "2026-11-29T13:40:59.123Z");
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59.999Z");  // floors, never rounds up
}

TEST(Iso8601, Parses) {
  EXPECT_EQ(ParseIso8601("2026-11-29T13:40:59.000Z"), 1'795'959'659 * kNs);
  EXPECT_EQ(ParseIso8601("2026-11-29T13:40:59Z"), 1'795'959'659 * kNs);
  EXPECT_EQ(ParseIso8601("2026-11-29T13:40:59.5Z"), 1'795'959'659 * kNs + 500'000'000);
  EXPECT_EQ(ParseIso8601("2026-11-29T13:40:59.123456789123Z"), 1'795'959'659 * kNs + 123'456'789);
  EXPECT_EQ(ParseIso8601("2026-11-29T15:40:59+02:00"), 1'795'959'659 * kNs);
  EXPECT_EQ(ParseIso8601("2026-11-29T08:40:59-05:00"), 1'795'959'659 * kNs);
}

TEST(Iso8601, RoundTrips) {
  for (int64_t ms = 0; ms < 4'000'000'000'000; ms += 97'654'321'123) {
    ASSERT_EQ(ParseIso8601(FormatIso8601(ms * 1'000'000)), ms * 1'000'000);
  }
}

// Found by tests/fuzz/post_policy_fuzz: the nanosecond count overflowed (undefined behaviour;
// in a release build, a POST policy's expiration of year 9999 wrapped into some other time).
TEST(Iso8601, RejectsTimesBeyondInt64Nanoseconds) {
  EXPECT_EQ(ParseIso8601("2262-04-11T23:47:16.854775807Z"), INT64_MAX);
  EXPECT_FALSE(ParseIso8601("2262-04-11T23:47:16.854775808Z").has_value());
  EXPECT_FALSE(ParseIso8601("2262-04-11T23:47:17Z").has_value());
  EXPECT_FALSE(ParseIso8601("9999-12-31T23:59:59Z").has_value());
  EXPECT_EQ(ParseIso8601("1677-09-22T00:00:00Z"), -9'223'286'400 * kNs);
  EXPECT_FALSE(ParseIso8601("1677-09-21T00:00:00Z").has_value());
  EXPECT_FALSE(ParseIso8601("0007-12-01T12:00:00.000Z").has_value());
}

TEST(Iso8601, SecondsCoverEveryFourDigitYear) {
  EXPECT_EQ(ParseIso8601Seconds("2026-11-29T13:40:59.999Z"), 1'795'959'659);
  EXPECT_EQ(ParseIso8601Seconds("2026-11-29T15:40:59+02:00"), 1'795'959'659);
  EXPECT_EQ(ParseIso8601Seconds("9999-12-31T23:59:59Z"), 253'402'300'799);
  EXPECT_EQ(ParseIso8601Seconds("0000-01-01T00:00:00Z"), -62'167'219'200);
  EXPECT_FALSE(ParseIso8601Seconds("2026-11-29T13:40:59").has_value());
}

TEST(Iso8601, RejectsMalformed) {
  for (std::string_view bad :
       {"", "2026-11-29", "2026-11-29T13:40:59", "2026-11-29 13:40:59Z", "2026-13-01T00:00:00Z",
        "2026-11-29T13:40:59.Z", "2026-11-29T13:40:59+0200", "2026-11-29T13:40:59Zjunk"}) {
    EXPECT_FALSE(ParseIso8601(bad).has_value()) << bad;
    EXPECT_FALSE(ParseIso8601Seconds(bad).has_value()) << bad;
  }
}

TEST(AmzDate, FormatsAndParses) {
  EXPECT_EQ(FormatAmzDate(1'795'959'659), "20261129T134059Z");
  EXPECT_EQ(ParseAmzDate("20261129T134059Z"), 1'795'959'659);
  EXPECT_EQ(ParseAmzDate("20150830T123600Z"), 1440938160);  // the SigV4 docs' example
  EXPECT_EQ(ParseAmzDate(FormatAmzDate(0)), 0);
  EXPECT_EQ(ParseAmzDate("20240229T235959Z"), 1709251199);  // leap day
  for (int64_t t = 0; t < 5'000'000'000; t += 86'400 * 37 + 3'601) {
    ASSERT_EQ(ParseAmzDate(FormatAmzDate(t)), t);
  }
}

TEST(AmzDate, RejectsMalformed) {
  for (std::string_view bad :
       {"", "20261129T134059", "20261129134059Z", "2026-11-29T13:40:59Z", "20261329T134059Z",
        "20261129T254059Z", "20261129T134059Zx", "2026112T134059Z", "20261129T134059z",
        "20130230T000000Z", "20230229T000000Z", "2013052AT000000Z"}) {
    EXPECT_FALSE(ParseAmzDate(bad).has_value()) << bad;
  }
}

TEST(SignedRequestDate, ParsesWhatClientsSend) {
  EXPECT_EQ(ParseSignedRequestDate("Fri, 24 May 2013 00:00:00 GMT"), 1369353600);
  EXPECT_EQ(ParseSignedRequestDate("Fri, 24 May 2013 00:00:00 UTC"), 1369353600);
  EXPECT_EQ(ParseSignedRequestDate("Fri, 24 May 2013 00:00:00 Z"), 1369353600);
  EXPECT_EQ(ParseSignedRequestDate("Tue, 27 Mar 2007 19:36:42 +0000"), 1175024202);  // s3cmd
  EXPECT_EQ(ParseSignedRequestDate("Tue, 27 Mar 2007 21:36:42 +0200"), 1175024202);
  EXPECT_EQ(ParseSignedRequestDate("Tue, 27 Mar 2007 14:36:42 -0500"), 1175024202);
  EXPECT_EQ(ParseSignedRequestDate("Tue, 7 Mar 2007 19:36:42 GMT"),
            ParseSignedRequestDate("Wed, 07 Mar 2007 19:36:42 GMT"));  // weekday unchecked
}

TEST(SignedRequestDate, RejectsMalformed) {
  for (std::string_view bad :
       {"", "Fri 24 May 2013 00:00:00 GMT", "Fri, 24 Mai 2013 00:00:00 GMT",
        "Fri, 24 May 2013 00:00:00 CET", "Fri, 24 May 2013 00:00 GMT",
        "Fri, 31 Jun 2013 00:00:00 GMT", "20130524T000000Z", "Fri, 24 May 2013 00:00:00 +2400",
        "Fri, 24 May 2013 00:00:00 +02", "Fri, 24 May 2013 00:00:00 GMT x"}) {
    EXPECT_FALSE(ParseSignedRequestDate(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace stratus
