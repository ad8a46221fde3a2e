#include "s3/cors_config.h"

#include <gtest/gtest.h>

#include <random>

namespace stratus::s3 {
namespace {

std::string Doc(const std::string& rules) {
  return "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rules +
         "</CORSConfiguration>";
}

const std::string kRule =
    "<CORSRule><ID>r1</ID><AllowedOrigin>https://*.example.com</AllowedOrigin>"
    "<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>"
    "<AllowedHeader>x-amz-*</AllowedHeader><AllowedHeader>Content-Type</AllowedHeader>"
    "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>";

TEST(CorsConfigTest, ParsesAndRoundTrips) {
  auto config =
      ParseCorsConfiguration(Doc(kRule + "<CORSRule><AllowedOrigin>*</AllowedOrigin>"
                                         "<AllowedMethod>HEAD</AllowedMethod></CORSRule>"));
  ASSERT_TRUE(config) << config.error().ToString();
  ASSERT_EQ(config->rules.size(), 2u);
  const CorsRule& rule = config->rules[0];
  EXPECT_EQ(rule.id, "r1");
  EXPECT_EQ(rule.allowed_origins, std::vector<std::string>{"https://*.example.com"});
  EXPECT_EQ(rule.allowed_methods, (std::vector<std::string>{"GET", "PUT"}));
  EXPECT_EQ(rule.allowed_headers, (std::vector<std::string>{"x-amz-*", "Content-Type"}));
  EXPECT_EQ(rule.expose_headers, std::vector<std::string>{"ETag"});
  EXPECT_EQ(rule.max_age_seconds, 3000);
  EXPECT_FALSE(config->rules[1].max_age_seconds);

  auto again = ParseCorsConfiguration(CorsConfigurationXml(*config));
  ASSERT_TRUE(again);
  EXPECT_EQ(CorsConfigurationXml(*again), CorsConfigurationXml(*config));
}

void ExpectError(const std::string& xml, ErrorCode code) {
  auto config = ParseCorsConfiguration(xml);
  ASSERT_FALSE(config) << xml;
  EXPECT_EQ(config.error().code(), code) << xml << " " << config.error().ToString();
}

TEST(CorsConfigTest, Malformed) {
  ExpectError("", ErrorCode::kMalformedXML);
  ExpectError("<CORSConfiguration>", ErrorCode::kMalformedXML);
  ExpectError("<Other/>", ErrorCode::kMalformedXML);
  ExpectError(Doc(""), ErrorCode::kMalformedXML);
  ExpectError(Doc("<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>"),
              ErrorCode::kMalformedXML);
  ExpectError(Doc("<CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>"),
              ErrorCode::kMalformedXML);
  for (const char* age : {"", "x", "-1", "1.5", "99999999999999999999"}) {
    ExpectError(Doc(std::string("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET"
                                "</AllowedMethod><MaxAgeSeconds>") +
                    age + "</MaxAgeSeconds></CORSRule>"),
                ErrorCode::kMalformedXML);
  }
}

TEST(CorsConfigTest, InvalidRequest) {
  auto rule = [](const std::string& inner) { return Doc("<CORSRule>" + inner + "</CORSRule>"); };
  ExpectError(rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>"),
              ErrorCode::kInvalidRequest);
  ExpectError(rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>get</AllowedMethod>"),
              ErrorCode::kInvalidRequest);
  ExpectError(rule("<AllowedOrigin>*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"),
              ErrorCode::kInvalidRequest);
  ExpectError(rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                   "<AllowedHeader>**</AllowedHeader>"),
              ErrorCode::kInvalidRequest);
  ExpectError(rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                   "<ExposeHeader>*</ExposeHeader>"),
              ErrorCode::kInvalidRequest);
  std::string many;
  for (int i = 0; i < 101; ++i) {
    many +=
        "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
        "</CORSRule>";
  }
  ExpectError(Doc(many), ErrorCode::kInvalidRequest);
  size_t at = many.find("</CORSRule>") + 11;
  EXPECT_TRUE(ParseCorsConfiguration(Doc(many.substr(at))));  // 100 rules
}

// Garbage and mutations of a valid document never crash and fail cleanly or parse.
TEST(CorsConfigTest, FuzzishGarbage) {
  std::mt19937 rng(42);
  std::string valid = Doc(kRule);
  for (int i = 0; i < 5000; ++i) {
    std::string doc = valid;
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % (doc.size() + 1);
      switch (rng() % 3) {
        case 0:
          doc.insert(pos, 1, static_cast<char>(rng() % 256));
          break;
        case 1:
          if (pos < doc.size()) doc.erase(pos, 1 + rng() % 10);
          break;
        default:
          if (pos < doc.size()) doc[pos] = "<>/&*\"'\0 a"[rng() % 10];
      }
    }
    auto config = ParseCorsConfiguration(doc);
    if (config) {
      EXPECT_TRUE(ParseCorsConfiguration(CorsConfigurationXml(*config)));
    } else {
      EXPECT_TRUE(config.error().code() == ErrorCode::kMalformedXML ||
                  config.error().code() == ErrorCode::kInvalidRequest);
    }
  }
}

TEST(CorsMatchTest, Wildcards) {
  EXPECT_TRUE(WildcardMatch("*", "", false));
  EXPECT_TRUE(WildcardMatch("*", "https://a.com", false));
  EXPECT_TRUE(WildcardMatch("https://*.example.com", "https://www.example.com", false));
  EXPECT_TRUE(WildcardMatch("https://*.example.com", "https://a.b.example.com", false));
  EXPECT_FALSE(WildcardMatch("https://*.example.com", "https://example.com", false));
  EXPECT_FALSE(WildcardMatch("https://*.example.com", "http://www.example.com", false));
  EXPECT_FALSE(WildcardMatch("https://*.example.com", "https://www.example.com.evil", false));
  EXPECT_TRUE(WildcardMatch("http://localhost:*", "http://localhost:8080", false));
  EXPECT_FALSE(WildcardMatch("http://a.com", "http://A.com", false));
  EXPECT_TRUE(WildcardMatch("X-Amz-*", "x-amz-date", true));
  EXPECT_FALSE(WildcardMatch("X-Amz-*", "x-amz-date", false));
  EXPECT_TRUE(WildcardMatch("a*b*c", "aXbYbc", false));
  EXPECT_FALSE(WildcardMatch("a*b*c", "aXbYb", false));
}

TEST(CorsMatchTest, FirstMatchingRuleWins) {
  auto config = ParseCorsConfiguration(
      Doc(kRule + "<CORSRule><ID>any</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET"
                  "</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule>"));
  ASSERT_TRUE(config);
  auto id = [&](std::string_view origin, std::string_view method,
                std::vector<std::string> headers) -> std::string {
    const CorsRule* rule = MatchCorsRule(*config, origin, method, headers);
    return rule ? rule->id : "none";
  };
  EXPECT_EQ(id("https://www.example.com", "GET", {}), "r1");
  EXPECT_EQ(id("https://www.example.com", "PUT", {"X-AMZ-DATE", "content-type"}), "r1");
  EXPECT_EQ(id("https://www.example.com", "PUT", {"x-other"}), "none");
  EXPECT_EQ(id("https://www.example.com", "GET", {"x-other"}), "none");  // "any": no headers
  EXPECT_EQ(id("https://other.org", "GET", {}), "any");
  EXPECT_EQ(id("https://other.org", "HEAD", {}), "any");
  EXPECT_EQ(id("https://other.org", "PUT", {}), "none");
  EXPECT_EQ(id("https://www.example.com", "DELETE", {}), "none");
  EXPECT_EQ(id("https://www.example.com", "get", {}), "none");  // methods are case-sensitive
}

TEST(CorsMatchTest, SplitHeaderList) {
  EXPECT_EQ(SplitHeaderList(" a, B ,,c\t"), (std::vector<std::string>{"a", "B", "c"}));
  EXPECT_TRUE(SplitHeaderList("").empty());
}

}  // namespace
}  // namespace stratus::s3
