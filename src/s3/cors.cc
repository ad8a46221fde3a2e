// CORS: the bucket configuration handlers, the preflight and actual-response headers.
#include "s3/cors.h"

#include <algorithm>

#include "common/crypto.h"
#include "s3/body.h"
#include "s3/cors_config.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"

namespace stratus::s3 {
namespace {

constexpr size_t kMaxCorsConfigurationBytes = 64 * 1024;
constexpr std::string_view kCorsConfigName = "cors";

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// The bucket's configuration, or nullopt when it has none. A stored document is one this
// server validated; failing to parse it again is a broken invariant, answered InternalError.
Result<std::optional<CorsConfiguration>> LoadCors(const meta::BucketRecord& bucket) {
  auto it = bucket.configs.find(std::string(kCorsConfigName));
  if (it == bucket.configs.end()) return std::nullopt;
  auto config = ParseCorsConfiguration(it->second);
  if (!config) return Error(Status::Internal("stored CORS configuration does not parse"));
  return std::move(*config);
}

void SetCorsHeaders(const CorsRule& rule, std::string_view origin,
                    const std::vector<std::string>& request_headers, http::Headers& headers) {
  // S3 answers "*" (and no credentials) when the rule allows any origin, the origin otherwise.
  bool any_origin = std::find(rule.allowed_origins.begin(), rule.allowed_origins.end(), "*") !=
                    rule.allowed_origins.end();
  headers.Set("Access-Control-Allow-Origin", any_origin ? "*" : std::string(origin));
  headers.Set("Access-Control-Allow-Methods", Join(rule.allowed_methods));
  if (!request_headers.empty()) headers.Set("Access-Control-Allow-Headers", Join(request_headers));
  if (!rule.expose_headers.empty()) {
    headers.Set("Access-Control-Expose-Headers", Join(rule.expose_headers));
  }
  if (rule.max_age_seconds) {
    headers.Set("Access-Control-Max-Age", std::to_string(*rule.max_age_seconds));
  }
  if (!any_origin) headers.Set("Access-Control-Allow-Credentials", "true");
  headers.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
}

}  // namespace

HandlerResult PutBucketCors(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(SmallBody body, ReadSmallBody(*ctx.verified.payload, kMaxCorsConfigurationBytes,
                                                 services.parsed_bodies));
  if (auto md5 = ctx.request.Header("Content-MD5")) {
    auto digest = Base64Decode(*md5);
    if (!digest || digest->size() != 16) return Error(ErrorCode::kInvalidDigest);
    if (*digest != Md5(body.text)) return Error(ErrorCode::kBadDigest);
  }
  ASSIGN_OR_RETURN(CorsConfiguration config, ParseCorsConfiguration(body.text));
  std::string stored = CorsConfigurationXml(config);
  RETURN_IF_ERROR(services.meta.UpdateBucket(ctx.route.bucket, [&](meta::BucketRecord& bucket) {
    bucket.configs[std::string(kCorsConfigName)] = stored;
    return Status::Ok();
  }));
  return http::Response{};
}

HandlerResult GetBucketCors(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(meta::BucketRecord bucket, RequireBucket(services, ctx.route.bucket));
  auto it = bucket.configs.find(std::string(kCorsConfigName));
  if (it == bucket.configs.end()) return Error(ErrorCode::kNoSuchCORSConfiguration);
  return XmlResponse(it->second);
}

HandlerResult DeleteBucketCors(const Services& services, RequestContext& ctx) {
  RETURN_IF_ERROR(services.meta.UpdateBucket(ctx.route.bucket, [](meta::BucketRecord& bucket) {
    bucket.configs.erase(std::string(kCorsConfigName));
    return Status::Ok();
  }));
  http::Response response;
  response.status = 204;
  return response;
}

// Browsers send the preflight without credentials; it is answered from the bucket's rules
// alone, before and instead of authentication.
HandlerResult OptionsPreflight(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  auto origin = request.Header("Origin");
  if (!origin) {
    return Error(ErrorCode::kInvalidRequest,
                 "Insufficient information. Origin request header needed.");
  }
  auto method = request.Header("Access-Control-Request-Method");
  if (!method) {
    return Error(ErrorCode::kInvalidRequest, "Invalid Access-Control-Request-Method: null");
  }
  std::vector<std::string> request_headers;
  if (auto list = request.Header("Access-Control-Request-Headers")) {
    for (std::string& header : SplitHeaderList(*list)) {
      request_headers.push_back(http::ToLower(header));
    }
  }
  ASSIGN_OR_RETURN(std::optional<meta::BucketRecord> bucket,
                   services.meta.GetBucket(ctx.route.bucket));
  if (!bucket) return Error(ErrorCode::kAccessForbidden, "CORSResponse: Bucket not found");
  ASSIGN_OR_RETURN(std::optional<CorsConfiguration> config, LoadCors(*bucket));
  if (!config) {
    return Error(ErrorCode::kAccessForbidden, "CORSResponse: CORS is not enabled for this bucket.");
  }
  const CorsRule* rule = MatchCorsRule(*config, *origin, *method, request_headers);
  if (!rule) return Error(ErrorCode::kAccessForbidden);
  http::Response response;
  SetCorsHeaders(*rule, *origin, request_headers, response.headers);
  return response;
}

void AddCorsResponseHeaders(const Services& services, const http::Request& request,
                            const Route& route, http::Response& response) {
  auto origin = request.Header("Origin");
  if (!origin || route.bucket.empty() || route.op == Op::kOptionsPreflight ||
      response.headers.Has("Access-Control-Allow-Origin")) {
    return;
  }
  auto bucket = services.meta.GetBucket(route.bucket);
  if (!bucket || !*bucket) return;
  auto config = LoadCors(**bucket);
  if (!config || !*config) return;
  if (const CorsRule* rule = MatchCorsRule(**config, *origin, request.method, {})) {
    SetCorsHeaders(*rule, *origin, {}, response.headers);
  }
}

}  // namespace stratus::s3
