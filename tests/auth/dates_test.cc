#include "auth/dates.h"

#include <gtest/gtest.h>

namespace stratus::auth {
namespace {

TEST(Dates, ParsesAmzDate) {
  EXPECT_EQ(ParseAmzDate("20130524T000000Z"), 1369353600);
  EXPECT_EQ(ParseAmzDate("19700101T000000Z"), 0);
  EXPECT_EQ(ParseAmzDate("20240229T235959Z"), 1709251199);  // leap day
  for (std::string_view bad : {"", "20130524", "20130524T000000", "20130524T000000z",
                               "2013-05-24T00:00:00Z", "20130230T000000Z", "20230229T000000Z",
                               "20131324T000000Z", "20130524T240000Z", "2013052AT000000Z"}) {
    EXPECT_FALSE(ParseAmzDate(bad).has_value()) << bad;
  }
}

TEST(Dates, ParsesHttpDates) {
  EXPECT_EQ(ParseHttpDate("Fri, 24 May 2013 00:00:00 GMT"), 1369353600);
  EXPECT_EQ(ParseHttpDate("Tue, 27 Mar 2007 19:36:42 +0000"), 1175024202);
  EXPECT_EQ(ParseHttpDate("Tue, 27 Mar 2007 21:36:42 +0200"), 1175024202);
  EXPECT_EQ(ParseHttpDate("Tue, 27 Mar 2007 14:36:42 -0500"), 1175024202);
  EXPECT_EQ(ParseHttpDate("Tue, 7 Mar 2007 19:36:42 GMT"),
            ParseHttpDate("Wed, 07 Mar 2007 19:36:42 GMT"));
  for (std::string_view bad : {"", "Fri 24 May 2013 00:00:00 GMT", "Fri, 24 Mai 2013 00:00:00 GMT",
                               "Fri, 24 May 2013 00:00:00 CET", "Fri, 24 May 2013 00:00 GMT",
                               "Fri, 31 Jun 2013 00:00:00 GMT", "20130524T000000Z"}) {
    EXPECT_FALSE(ParseHttpDate(bad).has_value()) << bad;
  }
}

TEST(Dates, FormatsAmzDate) {
  EXPECT_EQ(FormatAmzDate(1369353600), "20130524T000000Z");
  EXPECT_EQ(FormatAmzDate(0), "19700101T000000Z");
  EXPECT_EQ(FormatAmzDate(1709251199), "20240229T235959Z");
  for (int64_t t = 0; t < 5'000'000'000; t += 86'400 * 37 + 3'601) {
    ASSERT_EQ(ParseAmzDate(FormatAmzDate(t)), t);
  }
}

}  // namespace
}  // namespace stratus::auth
