// A bucket's CORS configuration (PutBucketCors): its XML form, validated the way S3 validates
// it, and the rule matching that preflight and actual cross-origin requests share. Pure
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stratus::s3 {

// S3's limit on CORSRule elements in one configuration.
inline constexpr size_t kMaxCorsRules = 100;

struct CorsRule {
  std::string id;
  std::vector<std::string> allowed_origins;  // at most one '*' each
  std::vector<std::string> allowed_methods;  // GET PUT POST DELETE HEAD
  std::vector<std::string> allowed_headers;  // at most one '*' each, matched ignoring case
  std::vector<std::string> expose_headers;
  std::optional<int64_t> max_age_seconds;
};

struct CorsConfiguration {
  std::vector<CorsRule> rules;
};

// The CORSConfiguration document: MalformedXML when it is not one (no rule, a rule without
// AllowedOrigin or AllowedMethod, a non-numeric MaxAgeSeconds); InvalidRequest for what S3
// refuses by content (an unsupported method, two wildcards, a wildcard ExposeHeader, more
// than kMaxCorsRules rules).
Result<CorsConfiguration> ParseCorsConfiguration(std::string_view xml);

// The document GetBucketCors answers with (and what the bucket record stores).
std::string CorsConfigurationXml(const CorsConfiguration& config);

// Whether `text` matches `pattern`, where '*' in the pattern stands for any run of bytes.
bool WildcardMatch(std::string_view pattern, std::string_view text, bool ignore_case);

// The first rule allowing `origin` to use `method` with every one of `request_headers`
// (Access-Control-Request-Headers; empty for actual requests), or nullptr.
const CorsRule* MatchCorsRule(const CorsConfiguration& config, std::string_view origin,
                              std::string_view method,
                              const std::vector<std::string>& request_headers);

// "a, B ,c" -> {"a", "B", "c"}: a comma-separated header list, trimmed, empty items dropped.
std::vector<std::string> SplitHeaderList(std::string_view list);

}  // namespace stratus::s3
