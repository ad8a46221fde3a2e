#include "s3/conditional.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <utility>

#include "common/time.h"

namespace stratus::s3 {
namespace {

constexpr std::string_view kEtag = "d41d8cd98f00b204e9800998ecf8427e";
constexpr int64_t kModified = 1'700'000'000;
const ObjectState kObject{std::string(kEtag), kModified};

const std::string kBefore = FormatHttpDate(kModified - 60);
const std::string kAt = FormatHttpDate(kModified);
const std::string kAfter = FormatHttpDate(kModified + 60);
const std::string kMatch = "\"" + std::string(kEtag) + "\"";
const std::string kOther = "\"00000000000000000000000000000000\"";

http::Headers Make(std::initializer_list<std::pair<std::string, std::string>> fields) {
  http::Headers h;
  for (const auto& [name, value] : fields) h.Add(name, value);
  return h;
}

ErrorCode Read(std::initializer_list<std::pair<std::string, std::string>> fields) {
  return EvaluateReadConditions(Make(fields), kObject).code();
}

ErrorCode Write(std::initializer_list<std::pair<std::string, std::string>> fields,
                const std::optional<ObjectState>& current) {
  return EvaluateWriteConditions(Make(fields), current).code();
}

ErrorCode Copy(std::initializer_list<std::pair<std::string, std::string>> fields) {
  return EvaluateCopySourceConditions(Make(fields), kObject).code();
}

constexpr ErrorCode kOk = ErrorCode::kOk;
constexpr ErrorCode k304 = ErrorCode::kNotModified;
constexpr ErrorCode k412 = ErrorCode::kPreconditionFailed;

// ---- ETag lists ----

TEST(EtagListMatches, QuotedUnquotedListsAndStar) {
  using enum EtagComparison;
  EXPECT_TRUE(EtagListMatches("\"abc\"", "abc", kStrong));
  EXPECT_TRUE(EtagListMatches("abc", "abc", kStrong));  // unquoted, as some clients send it
  EXPECT_TRUE(EtagListMatches("  \"abc\"  ", "abc", kStrong));
  EXPECT_TRUE(EtagListMatches("\"x\", \"abc\"", "abc", kStrong));
  EXPECT_TRUE(EtagListMatches("\"x\",\"abc\",\"y\"", "abc", kStrong));
  EXPECT_TRUE(EtagListMatches("x, abc", "abc", kStrong));
  EXPECT_TRUE(EtagListMatches("*", "abc", kStrong));
  EXPECT_TRUE(EtagListMatches("\"abc-12\"", "abc-12", kStrong));  // multipart ETag
  EXPECT_FALSE(EtagListMatches("\"abcd\"", "abc", kStrong));
  EXPECT_FALSE(EtagListMatches("\"ab\"", "abc", kStrong));
  EXPECT_FALSE(EtagListMatches("\"ABC\"", "abc", kStrong));  // opaque tags are case-sensitive
  EXPECT_FALSE(EtagListMatches("", "abc", kStrong));
  EXPECT_FALSE(EtagListMatches("\"x\", \"y\"", "abc", kStrong));
}

TEST(EtagListMatches, WeakTagsMatchOnlyUnderWeakComparison) {
  using enum EtagComparison;
  EXPECT_FALSE(EtagListMatches("W/\"abc\"", "abc", kStrong));
  EXPECT_TRUE(EtagListMatches("W/\"abc\"", "abc", kWeak));
  EXPECT_TRUE(EtagListMatches("W/\"x\", \"abc\"", "abc", kStrong));
  EXPECT_TRUE(EtagListMatches("\"abc\"", "abc", kWeak));
}

TEST(EtagListMatches, QuotedTagMayContainComma) {
  EXPECT_TRUE(EtagListMatches("\"a,b\"", "a,b", EtagComparison::kStrong));
  EXPECT_FALSE(EtagListMatches("\"a,b\"", "a", EtagComparison::kStrong));
}

// ---- Reads (GetObject / HeadObject) ----

TEST(ReadConditions, NoHeadersProceeds) { EXPECT_EQ(Read({}), kOk); }

TEST(ReadConditions, IfMatch) {
  EXPECT_EQ(Read({{"If-Match", kMatch}}), kOk);
  EXPECT_EQ(Read({{"If-Match", std::string(kEtag)}}), kOk);
  EXPECT_EQ(Read({{"If-Match", "*"}}), kOk);
  EXPECT_EQ(Read({{"If-Match", kOther}}), k412);
  EXPECT_EQ(Read({{"If-Match", "W/" + kMatch}}), k412);  // strong comparison
  EXPECT_EQ(Read({{"if-match", kOther + ", " + kMatch}}), kOk);
}

TEST(ReadConditions, IfMatchAcrossRepeatedFields) {
  EXPECT_EQ(Read({{"If-Match", kOther}, {"If-Match", kMatch}}), kOk);
}

TEST(ReadConditions, IfUnmodifiedSince) {
  EXPECT_EQ(Read({{"If-Unmodified-Since", kAfter}}), kOk);
  EXPECT_EQ(Read({{"If-Unmodified-Since", kAt}}), kOk);  // not modified *after* the date
  EXPECT_EQ(Read({{"If-Unmodified-Since", kBefore}}), k412);
}

TEST(ReadConditions, IfNoneMatch) {
  EXPECT_EQ(Read({{"If-None-Match", kMatch}}), k304);
  EXPECT_EQ(Read({{"If-None-Match", std::string(kEtag)}}), k304);
  EXPECT_EQ(Read({{"If-None-Match", "W/" + kMatch}}), k304);  // weak comparison
  EXPECT_EQ(Read({{"If-None-Match", "*"}}), k304);
  EXPECT_EQ(Read({{"If-None-Match", kOther}}), kOk);
}

TEST(ReadConditions, IfModifiedSince) {
  EXPECT_EQ(Read({{"If-Modified-Since", kBefore}}), kOk);
  EXPECT_EQ(Read({{"If-Modified-Since", kAt}}), k304);
  EXPECT_EQ(Read({{"If-Modified-Since", kAfter}}), k304);
}

TEST(ReadConditions, AllHttpDateFormsAreAccepted) {
  // 1994 is long before kModified.
  EXPECT_EQ(Read({{"If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}), k412);
  EXPECT_EQ(Read({{"If-Unmodified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"}}), k412);
  EXPECT_EQ(Read({{"If-Unmodified-Since", "Sun Nov  6 08:49:37 1994"}}), k412);
}

TEST(ReadConditions, UnparsableDatesAreIgnored) {
  EXPECT_EQ(Read({{"If-Unmodified-Since", "yesterday"}}), kOk);
  EXPECT_EQ(Read({{"If-Modified-Since", "2023-11-14T22:13:20Z"}}), kOk);
  EXPECT_EQ(Read({{"If-Modified-Since", ""}}), kOk);
}

TEST(ReadConditions, BlankEtagHeadersAreIgnored) {
  EXPECT_EQ(Read({{"If-Match", ""}}), kOk);
  EXPECT_EQ(Read({{"If-None-Match", " , "}}), kOk);
  // ...and so do not suppress the date header paired with them.
  EXPECT_EQ(Read({{"If-Match", ""}, {"If-Unmodified-Since", kBefore}}), k412);
}

// The two combinations S3's GetObject reference spells out.
TEST(ReadConditions, S3IfMatchTrueAndIfUnmodifiedSinceFalseIs200) {
  EXPECT_EQ(Read({{"If-Match", kMatch}, {"If-Unmodified-Since", kBefore}}), kOk);
}

TEST(ReadConditions, S3IfNoneMatchFalseAndIfModifiedSinceTrueIs304) {
  EXPECT_EQ(Read({{"If-None-Match", kMatch}, {"If-Modified-Since", kBefore}}), k304);
}

TEST(ReadConditions, IfNoneMatchTrueIgnoresIfModifiedSince) {
  // RFC 9110: If-Modified-Since is ignored when If-None-Match is present.
  EXPECT_EQ(Read({{"If-None-Match", kOther}, {"If-Modified-Since", kAfter}}), kOk);
}

TEST(ReadConditions, IfMatchFalseWinsOverEverything) {
  EXPECT_EQ(Read({{"If-Match", kOther}, {"If-Unmodified-Since", kAfter}}), k412);
  EXPECT_EQ(Read({{"If-Match", kOther}, {"If-None-Match", kMatch}}), k412);
  EXPECT_EQ(Read({{"If-Unmodified-Since", kBefore}, {"If-Modified-Since", kAfter}}), k412);
}

TEST(ReadConditions, PreconditionFailureComesBeforeNotModified) {
  EXPECT_EQ(Read({{"If-Unmodified-Since", kBefore}, {"If-None-Match", kMatch}}), k412);
}

TEST(ReadConditions, IfMatchTrueThenIfNoneMatchFalseIs304) {
  EXPECT_EQ(Read({{"If-Match", kMatch}, {"If-None-Match", kMatch}}), k304);
}

TEST(ReadConditions, AllFourSatisfied) {
  EXPECT_EQ(Read({{"If-Match", kMatch},
                  {"If-Unmodified-Since", kAfter},
                  {"If-None-Match", kOther},
                  {"If-Modified-Since", kBefore}}),
            kOk);
}

// ---- CopyObject source ----

TEST(CopySourceConditions, SameOrderButNo304) {
  EXPECT_EQ(Copy({}), kOk);
  EXPECT_EQ(Copy({{"x-amz-copy-source-if-match", kMatch}}), kOk);
  EXPECT_EQ(Copy({{"x-amz-copy-source-if-match", kOther}}), k412);
  EXPECT_EQ(Copy({{"x-amz-copy-source-if-none-match", kMatch}}), k412);
  EXPECT_EQ(Copy({{"x-amz-copy-source-if-none-match", kOther}}), kOk);
  EXPECT_EQ(Copy({{"x-amz-copy-source-if-modified-since", kAfter}}), k412);
  EXPECT_EQ(Copy({{"x-amz-copy-source-if-unmodified-since", kBefore}}), k412);
  // CopyObject reference: if-match true + if-unmodified-since false copies.
  EXPECT_EQ(Copy({{"x-amz-copy-source-if-match", kMatch},
                  {"x-amz-copy-source-if-unmodified-since", kBefore}}),
            kOk);
  // ... and if-none-match false + if-modified-since true is 412.
  EXPECT_EQ(Copy({{"x-amz-copy-source-if-none-match", kMatch},
                  {"x-amz-copy-source-if-modified-since", kBefore}}),
            k412);
}

TEST(CopySourceConditions, IgnoresPlainConditionalHeaders) {
  // Those belong to the destination of a copy, not its source.
  EXPECT_EQ(Copy({{"If-Match", kOther}}), kOk);
}

// ---- Writes (PutObject / CompleteMultipartUpload) ----

TEST(WriteConditions, NoHeadersAlwaysProceed) {
  EXPECT_EQ(Write({}, std::nullopt), kOk);
  EXPECT_EQ(Write({}, kObject), kOk);
}

TEST(WriteConditions, IfNoneMatchStarCreatesOnly) {
  EXPECT_EQ(Write({{"If-None-Match", "*"}}, std::nullopt), kOk);
  EXPECT_EQ(Write({{"If-None-Match", "*"}}, kObject), k412);
  EXPECT_EQ(Write({{"If-None-Match", " * "}}, kObject), k412);
}

TEST(WriteConditions, IfNoneMatchWithAnEtagIsNotImplemented) {
  EXPECT_EQ(Write({{"If-None-Match", kMatch}}, kObject), ErrorCode::kNotImplemented);
  EXPECT_EQ(Write({{"If-None-Match", kOther}}, std::nullopt), ErrorCode::kNotImplemented);
}

TEST(WriteConditions, IfMatch) {
  EXPECT_EQ(Write({{"If-Match", kMatch}}, kObject), kOk);
  EXPECT_EQ(Write({{"If-Match", std::string(kEtag)}}, kObject), kOk);
  EXPECT_EQ(Write({{"If-Match", kOther}}, kObject), k412);
  EXPECT_EQ(Write({{"If-Match", kMatch}}, std::nullopt), ErrorCode::kNoSuchKey);
  EXPECT_EQ(Write({{"If-Match", "*"}}, kObject), kOk);
  EXPECT_EQ(Write({{"If-Match", "*"}}, std::nullopt), ErrorCode::kNoSuchKey);
}

TEST(WriteConditions, BothHeadersAreNotImplemented) {
  EXPECT_EQ(Write({{"If-Match", kMatch}, {"If-None-Match", "*"}}, kObject),
            ErrorCode::kNotImplemented);
}

TEST(WriteConditions, DateHeadersAreNotWriteConditions) {
  EXPECT_EQ(Write({{"If-Unmodified-Since", kBefore}}, kObject), kOk);
  EXPECT_EQ(Write({{"If-Modified-Since", kAfter}}, kObject), kOk);
}

}  // namespace
}  // namespace stratus::s3
