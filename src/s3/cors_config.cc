#include "s3/cors_config.h"

#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <charconv>

#include "http/headers.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

constexpr std::array<std::string_view, 5> kCorsMethods = {"GET", "PUT", "POST", "DELETE", "HEAD"};

size_t Wildcards(std::string_view text) { return std::count(text.begin(), text.end(), '*'); }

std::vector<std::string> Children(pugi::xml_node rule, const char* name) {
  std::vector<std::string> values;
  for (pugi::xml_node child : rule.children(name)) values.emplace_back(child.child_value());
  return values;
}

Result<CorsRule> ParseRule(pugi::xml_node node) {
  CorsRule rule;
  rule.id = node.child_value("ID");
  rule.allowed_origins = Children(node, "AllowedOrigin");
  rule.allowed_methods = Children(node, "AllowedMethod");
  rule.allowed_headers = Children(node, "AllowedHeader");
  rule.expose_headers = Children(node, "ExposeHeader");
  if (rule.allowed_origins.empty() || rule.allowed_methods.empty()) {
    return Error(ErrorCode::kMalformedXML);
  }
  for (const std::string& method : rule.allowed_methods) {
    if (std::find(kCorsMethods.begin(), kCorsMethods.end(), method) == kCorsMethods.end()) {
      return Error(ErrorCode::kInvalidRequest,
                   "Found unsupported HTTP method in CORS config. Unsupported method is " + method);
    }
  }
  for (const std::string& origin : rule.allowed_origins) {
    if (Wildcards(origin) > 1) {
      return Error(ErrorCode::kInvalidRequest,
                   "AllowedOrigin \"" + origin + "\" can not have more than one wildcard.");
    }
  }
  for (const std::string& header : rule.allowed_headers) {
    if (Wildcards(header) > 1) {
      return Error(ErrorCode::kInvalidRequest,
                   "AllowedHeader \"" + header + "\" can not have more than one wildcard.");
    }
  }
  for (const std::string& header : rule.expose_headers) {
    if (Wildcards(header) > 0) {
      return Error(ErrorCode::kInvalidRequest,
                   "ExposeHeader \"" + header +
                       "\" contains wildcard. We currently do not support wildcard for "
                       "ExposeHeader.");
    }
  }
  if (pugi::xml_node max_age = node.child("MaxAgeSeconds")) {
    std::string_view text = max_age.child_value();
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0) {
      return Error(ErrorCode::kMalformedXML);
    }
    rule.max_age_seconds = value;
  }
  return rule;
}

bool MethodAllowed(const CorsRule& rule, std::string_view method) {
  return std::find(rule.allowed_methods.begin(), rule.allowed_methods.end(), method) !=
         rule.allowed_methods.end();
}

bool OriginAllowed(const CorsRule& rule, std::string_view origin) {
  return std::any_of(rule.allowed_origins.begin(), rule.allowed_origins.end(),
                     [&](const std::string& pattern) {
                       return WildcardMatch(pattern, origin, /*ignore_case=*/false);
                     });
}

bool HeaderAllowed(const CorsRule& rule, std::string_view header) {
  return std::any_of(rule.allowed_headers.begin(), rule.allowed_headers.end(),
                     [&](const std::string& pattern) {
                       return WildcardMatch(pattern, header, /*ignore_case=*/true);
                     });
}

char Fold(char c, bool ignore_case) {
  return ignore_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

Result<CorsConfiguration> ParseCorsConfiguration(std::string_view xml) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(LoadRequestXml(doc, xml));
  pugi::xml_node root = doc.child("CORSConfiguration");
  if (!root) return Error(ErrorCode::kMalformedXML);
  CorsConfiguration config;
  for (pugi::xml_node node : root.children("CORSRule")) {
    if (config.rules.size() == kMaxCorsRules) {
      return Error(ErrorCode::kInvalidRequest,
                   "The number of CORS rules should not exceed allowed limit of 100 rules.");
    }
    ASSIGN_OR_RETURN(CorsRule rule, ParseRule(node));
    config.rules.push_back(std::move(rule));
  }
  if (config.rules.empty()) return Error(ErrorCode::kMalformedXML);
  return config;
}

std::string CorsConfigurationXml(const CorsConfiguration& config) {
  XmlWriter xml("CORSConfiguration");
  for (const CorsRule& rule : config.rules) {
    xml.Open("CORSRule");
    if (!rule.id.empty()) xml.Element("ID", rule.id);
    for (const std::string& v : rule.allowed_headers) xml.Element("AllowedHeader", v);
    for (const std::string& v : rule.allowed_methods) xml.Element("AllowedMethod", v);
    for (const std::string& v : rule.allowed_origins) xml.Element("AllowedOrigin", v);
    for (const std::string& v : rule.expose_headers) xml.Element("ExposeHeader", v);
    if (rule.max_age_seconds) {
      xml.Element("MaxAgeSeconds", std::to_string(*rule.max_age_seconds));
    }
    xml.Close();
  }
  return xml.Finish();
}

// Greedy matching with backtracking to the last '*': linear for the one-wildcard patterns S3
// accepts, correct for any number.
bool WildcardMatch(std::string_view pattern, std::string_view text, bool ignore_case) {
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && Fold(pattern[p], ignore_case) == Fold(text[t], ignore_case)) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

const CorsRule* MatchCorsRule(const CorsConfiguration& config, std::string_view origin,
                              std::string_view method,
                              const std::vector<std::string>& request_headers) {
  for (const CorsRule& rule : config.rules) {
    if (!OriginAllowed(rule, origin) || !MethodAllowed(rule, method)) continue;
    if (std::all_of(request_headers.begin(), request_headers.end(),
                    [&](const std::string& header) { return HeaderAllowed(rule, header); })) {
      return &rule;
    }
  }
  return nullptr;
}

std::vector<std::string> SplitHeaderList(std::string_view list) {
  std::vector<std::string> items;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

}  // namespace stratus::s3
