#include "auth/sigv2.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "http/request.h"

namespace stratus::auth {
namespace {

// botocore's HmacV1Auth.QSAOfInterest, exactly: AWS's documented list (acl, lifecycle,
// location, logging, notification, partNumber, policy, requestPayment, torrent, uploadId,
// uploads, versionId, versioning, versions, website, the response-* overrides, delete) and
// some sub-resources S3 added since. Adding a name botocore lacks would break its signatures.
constexpr std::array<std::string_view, 35> kBotocoreSubResources = {
    "accelerate",
    "acl",
    "analytics",
    "cors",
    "defaultObjectAcl",
    "delete",
    "inventory",
    "lifecycle",
    "location",
    "logging",
    "metrics",
    "notification",
    "object-lock",
    "partNumber",
    "policy",
    "replication",
    "requestPayment",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "select",
    "select-type",
    "storageClass",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
};

// s3cmd's sign_request_v2 SUBRESOURCES_TO_INCLUDE.
constexpr std::array<std::string_view, 18> kS3cmdSubResources = {
    "acl",        "lifecycle",      "location", "logging",  "notification", "partNumber",
    "policy",     "requestPayment", "torrent",  "uploadId", "uploads",      "versionId",
    "versioning", "versions",       "website",  "delete",   "cors",         "restore",
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool IsSigV2SubResource(std::string_view name, SubResourceList list) {
  if (list == SubResourceList::kS3cmd) {
    return std::find(kS3cmdSubResources.begin(), kS3cmdSubResources.end(), name) !=
           kS3cmdSubResources.end();
  }
  return std::find(kBotocoreSubResources.begin(), kBotocoreSubResources.end(), name) !=
         kBotocoreSubResources.end();
}

Result<std::string> SigV2CanonicalResource(std::string_view host_bucket, std::string_view raw_path,
                                           std::string_view raw_query, SubResourceList list) {
  std::string out;
  if (!host_bucket.empty()) out.append("/").append(host_bucket);
  out.append(raw_path.empty() ? "/" : raw_path);
  // Parsed here rather than taken from Request::query: "?acl" and "?acl=" sign differently.
  std::vector<std::pair<std::string, std::optional<std::string>>> sub_resources;
  while (!raw_query.empty()) {
    size_t amp = raw_query.find('&');
    std::string_view part = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    size_t eq = part.find('=');
    auto name = http::PercentDecode(part.substr(0, eq));
    if (!name) return Error(ErrorCode::kInvalidURI);
    if (!IsSigV2SubResource(*name, list)) continue;
    std::optional<std::string> value;
    if (eq != std::string_view::npos) {
      value = http::PercentDecode(part.substr(eq + 1));
      if (!value) return Error(ErrorCode::kInvalidURI);
    }
    sub_resources.emplace_back(std::move(*name), std::move(value));
  }
  std::stable_sort(sub_resources.begin(), sub_resources.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  char separator = '?';
  for (const auto& [name, value] : sub_resources) {
    out += separator;
    out += name;
    if (value) out.append("=").append(*value);
    separator = '&';
  }
  return out;
}

std::string SigV2CanonicalAmzHeaders(const http::Headers& headers) {
  std::map<std::string, std::string> amz;
  for (const auto& [name, value] : headers.fields()) {
    std::string lower = http::ToLower(name);
    if (!lower.starts_with("x-amz-")) continue;
    auto [it, inserted] = amz.try_emplace(std::move(lower), Trim(value));
    if (!inserted) it->second.append(",").append(Trim(value));
  }
  std::string out;
  for (const auto& [name, value] : amz) out.append(name).append(":").append(value).append("\n");
  return out;
}

std::string SigV2StringToSign(std::string_view method, std::string_view content_md5,
                              std::string_view content_type, std::string_view date,
                              std::string_view canonical_amz_headers,
                              std::string_view canonical_resource) {
  std::string out(method);
  out.append("\n").append(content_md5).append("\n").append(content_type).append("\n");
  out.append(date).append("\n").append(canonical_amz_headers).append(canonical_resource);
  return out;
}

std::string SigV2Signature(std::string_view secret_key, std::string_view string_to_sign) {
  return Base64Encode(HmacSha1(secret_key, string_to_sign));
}

Result<SigV2Authorization> ParseSigV2Authorization(std::string_view header) {
  header = Trim(header);
  size_t colon = header.rfind(':');
  if (!header.starts_with("AWS ") || colon == std::string_view::npos || colon < 5 ||
      colon + 1 == header.size()) {
    return Error(ErrorCode::kInvalidArgument,
                 "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
  }
  return SigV2Authorization{std::string(Trim(header.substr(4, colon - 4))),
                            std::string(header.substr(colon + 1))};
}

}  // namespace stratus::auth
