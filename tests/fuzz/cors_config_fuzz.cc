// Fuzzes ParseCorsConfiguration, the PutBucketCors body (s3/cors_config.h), and through what it
// accepts, CorsConfigurationXml and MatchCorsRule.
#include <algorithm>

#include "fuzz_check.h"
#include "s3/cors_config.h"

namespace stratus::s3 {
namespace {

void FuzzCorsConfiguration(std::string_view body) {
  // Two configurations are equal when GetBucketCors would answer them alike.
  auto equal = [](const CorsConfiguration& a, const CorsConfiguration& b) {
    return CorsConfigurationXml(a) == CorsConfigurationXml(b);
  };
  Result<CorsConfiguration> config = ParseCorsConfiguration(body);
  FUZZ_CHECK(fuzz::SameResult(config, ParseCorsConfiguration(body), equal));
  if (!config) {
    FUZZ_CHECK(
        fuzz::FailsWithOneOf(config, {ErrorCode::kMalformedXML, ErrorCode::kInvalidRequest}));
    return;
  }
  FUZZ_CHECK(!config->rules.empty() && config->rules.size() <= kMaxCorsRules);
  auto wildcards = [](const std::string& s) { return std::count(s.begin(), s.end(), '*'); };
  for (const CorsRule& rule : config->rules) {
    FUZZ_CHECK(!rule.allowed_origins.empty() && !rule.allowed_methods.empty());
    for (const std::string& method : rule.allowed_methods) {
      FUZZ_CHECK(method == "GET" || method == "PUT" || method == "POST" || method == "DELETE" ||
                 method == "HEAD");
    }
    for (const std::string& origin : rule.allowed_origins) {
      FUZZ_CHECK(wildcards(origin) <= 1);
      FUZZ_CHECK(WildcardMatch(origin, origin, /*ignore_case=*/false));
    }
    for (const std::string& header : rule.allowed_headers) FUZZ_CHECK(wildcards(header) <= 1);
    for (const std::string& header : rule.expose_headers) FUZZ_CHECK(wildcards(header) == 0);
    FUZZ_CHECK(!rule.max_age_seconds || *rule.max_age_seconds >= 0);
  }

  // What GetBucketCors answers reads back as the same configuration.
  Result<CorsConfiguration> answered = ParseCorsConfiguration(CorsConfigurationXml(*config));
  FUZZ_CHECK(answered && equal(*answered, *config));

  // A request naming the first rule's first origin (its '*' as nothing) and method matches a rule
  // that allows both.
  const CorsRule& first = config->rules.front();
  std::string origin = first.allowed_origins.front();
  std::erase(origin, '*');
  const CorsRule* match = MatchCorsRule(*config, origin, first.allowed_methods.front(), {});
  FUZZ_CHECK(match != nullptr);
  FUZZ_CHECK(std::any_of(match->allowed_origins.begin(), match->allowed_origins.end(),
                         [&](const std::string& p) { return WildcardMatch(p, origin, false); }));
}

}  // namespace
}  // namespace stratus::s3

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  stratus::s3::FuzzCorsConfiguration(stratus::fuzz::AsText(data, size));
  return 0;
}
