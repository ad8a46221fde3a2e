// SigV2 verification: the "AWS AKID:signature" header and AWSAccessKeyId presigned URLs.
#include <charconv>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "auth/payload_factory.h"
#include "auth/sigv2.h"
#include "auth/verifier.h"
#include "common/crypto.h"
#include "common/time.h"

namespace stratus::auth {
namespace {

// What the client may have signed, for the variants clients disagree on.
struct V2Input {
  std::string_view method;
  std::string content_md5;
  std::string content_type;
  std::vector<std::string> date_lines;  // the first is what AWS documents
  std::string amz_headers;
};

// Whether `signature` signs the request under any of the variants: the documented form first,
// then the Date line some clients fill despite x-amz-date, and s3cmd's shorter sub-resource
// list. Each variant covers the method, headers and path, so none widens what is signed.
Result<bool> MatchesAnyVariant(const V2Input& input, const http::Request& request,
                               std::string_view host_bucket, std::string_view secret,
                               std::string_view signature) {
  // A path-style request for the bucket alone ("/bucket") is signed by botocore as "/bucket/",
  // the resource S3 itself canonicalizes a bucket to (as a virtual-hosted "/" becomes).
  std::vector<std::string> paths = {request.path};
  if (host_bucket.empty() && request.path.size() > 1 &&
      request.path.find('/', 1) == std::string::npos) {
    paths.push_back(request.path + "/");
  }
  // botocore (1.26 to today) signs the literal query of its operation's URI template into the
  // path ("/b?location", "/b?list-type=2", "/b/k?tagging") before the sub-resources, so
  // "/b?location?location". That query leads the request's own, and stays signed either way.
  if (!request.raw_query.empty()) {
    paths.push_back(
        request.path + "?" +
        std::string(std::string_view(request.raw_query).substr(0, request.raw_query.find('&'))));
  }
  std::optional<std::string> previous_resource;
  for (const std::string& path : paths) {
    for (SubResourceList list : {SubResourceList::kBotocore, SubResourceList::kS3cmd}) {
      ASSIGN_OR_RETURN(std::string resource,
                       SigV2CanonicalResource(host_bucket, path, request.raw_query, list));
      if (resource == previous_resource) continue;
      for (const std::string& date_line : input.date_lines) {
        std::string string_to_sign =
            SigV2StringToSign(input.method, input.content_md5, input.content_type, date_line,
                              input.amz_headers, resource);
        if (ConstantTimeEquals(SigV2Signature(secret, string_to_sign), signature)) return true;
      }
      previous_resource = std::move(resource);
    }
  }
  return false;
}

std::string HeaderOr(const http::Request& request, std::string_view name,
                     std::optional<std::string_view> fallback = std::nullopt) {
  if (auto value = request.Header(name)) return std::string(*value);
  return std::string(fallback.value_or(""));
}

}  // namespace

Result<VerifiedRequest> Verifier::VerifyV2Header(const http::Request& request,
                                                 std::string_view authorization,
                                                 std::string_view host_bucket) const {
  ASSIGN_OR_RETURN(SigV2Authorization auth, ParseSigV2Authorization(authorization));
  auto x_amz_date = request.Header("x-amz-date");
  auto date = request.Header("Date");
  std::optional<int64_t> time;
  if (x_amz_date) {
    time = ParseSignedRequestDate(*x_amz_date);
    if (!time) time = ParseAmzDate(*x_amz_date);
  } else if (date) {
    time = ParseSignedRequestDate(*date);
  }
  if (!time) {
    return Error(ErrorCode::kAccessDenied,
                 "AWS authentication requires a valid Date or x-amz-date header");
  }
  if (std::llabs(now_() - *time) > kMaxClockSkewSeconds) {
    return Error(ErrorCode::kRequestTimeTooSkewed);
  }
  ASSIGN_OR_RETURN(Credential credential, Lookup(auth.access_key));

  V2Input input{request.method,
                HeaderOr(request, "Content-MD5"),
                HeaderOr(request, "Content-Type"),
                {},
                SigV2CanonicalAmzHeaders(request.headers)};
  // "If you include x-amz-date, use the empty string for the Date" (RESTAuthentication).
  if (x_amz_date) {
    input.date_lines.emplace_back();
    if (date) input.date_lines.emplace_back(*date);
  } else {
    input.date_lines.emplace_back(*date);
  }
  ASSIGN_OR_RETURN(bool match, MatchesAnyVariant(input, request, host_bucket, credential.secret_key,
                                                 auth.signature));
  if (!match) return Error(ErrorCode::kSignatureDoesNotMatch);

  VerifiedRequest verified;
  verified.access_key = credential.access_key;
  verified.user = credential.user;
  verified.payload = std::make_unique<PlainPayload>(request.body, request.content_length);
  return verified;
}

Result<VerifiedRequest> Verifier::VerifyV2Query(const http::Request& request,
                                                std::string_view host_bucket) const {
  auto access_key = request.Query("AWSAccessKeyId");
  auto signature = request.Query("Signature");
  auto expires_text = request.Query("Expires");
  if (!access_key || !signature || !expires_text) {
    return Error(ErrorCode::kAccessDenied,
                 "Query-string authentication requires the Signature, Expires and "
                 "AWSAccessKeyId parameters");
  }
  int64_t expires = 0;
  auto [end, ec] =
      std::from_chars(expires_text->data(), expires_text->data() + expires_text->size(), expires);
  if (ec != std::errc() || end != expires_text->data() + expires_text->size()) {
    return Error(ErrorCode::kAccessDenied,
                 "Invalid date (should be seconds since epoch): " + std::string(*expires_text));
  }
  if (now_() > expires) return Error(ErrorCode::kAccessDenied, "Request has expired");
  ASSIGN_OR_RETURN(Credential credential, Lookup(*access_key));

  // botocore moves Content-Type, Content-MD5 and x-amz-* headers into the query of a
  // presigned URL; they are signed as if they were headers.
  http::Headers amz_headers;
  for (const auto& [name, value] : request.headers.fields()) amz_headers.Add(name, value);
  for (const auto& [name, value] : request.query) {
    std::string lower = http::ToLower(name);
    if (lower.starts_with("x-amz-") && !request.headers.Has(lower)) amz_headers.Add(lower, value);
  }
  V2Input input{request.method,
                HeaderOr(request, "Content-MD5", request.Query("content-md5")),
                HeaderOr(request, "Content-Type", request.Query("content-type")),
                {std::string(*expires_text)},
                SigV2CanonicalAmzHeaders(amz_headers)};
  ASSIGN_OR_RETURN(bool match, MatchesAnyVariant(input, request, host_bucket, credential.secret_key,
                                                 *signature));
  if (!match) return Error(ErrorCode::kSignatureDoesNotMatch);

  VerifiedRequest verified;
  verified.access_key = credential.access_key;
  verified.user = credential.user;
  verified.payload = std::make_unique<PlainPayload>(request.body, request.content_length);
  return verified;
}

}  // namespace stratus::auth
