// SigV4 verification: the Authorization header and presigned URLs.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <utility>

#include "auth/payload_factory.h"
#include "auth/sigv4.h"
#include "auth/verifier.h"
#include "common/crypto.h"
#include "common/time.h"

namespace stratus::auth {
namespace {

constexpr std::string_view kNoValidDate =
    "AWS authentication requires a valid Date or x-amz-date header";
// S3's HeadersNotSigned.
constexpr std::string_view kHeadersNotSigned =
    "There were headers present in the request which were not signed";

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// S3 requires `host` and every x-amz-* header the request carries to be signed.
Status CheckSignedHeaders(const http::Request& request,
                          const std::vector<std::string>& signed_names, bool all_amz_headers) {
  if (!Contains(signed_names, "host")) {
    return Status(ErrorCode::kAccessDenied, std::string(kHeadersNotSigned) + ": host");
  }
  if (!all_amz_headers) return Status::Ok();
  for (const auto& [name, value] : request.headers.fields()) {
    std::string lower = http::ToLower(name);
    if (lower.starts_with("x-amz-") && !Contains(signed_names, lower)) {
      return Status(ErrorCode::kAccessDenied, std::string(kHeadersNotSigned) + ": " + lower);
    }
  }
  return Status::Ok();
}

// The signature of `request` as the holder of `secret` would have computed it.
struct Computed {
  std::string signing_key;
  std::string signature;
};

Result<Computed> ComputeSignature(const http::Request& request, const SigV4Credential& credential,
                                  std::string_view secret, std::string_view amz_date,
                                  const std::vector<std::string>& signed_names,
                                  std::string_view signed_headers_text,
                                  std::string_view payload_hash, std::string_view exclude_query) {
  ASSIGN_OR_RETURN(std::string uri, CanonicalUri(request.path));
  std::string canonical = CanonicalRequest(
      request.method, uri, CanonicalQuery(request.query, exclude_query),
      CanonicalHeaders(request.headers, signed_names), signed_headers_text, payload_hash);
  Computed computed;
  computed.signing_key = SigningKey(secret, credential.date, credential.region, credential.service);
  computed.signature =
      Signature(computed.signing_key, StringToSign(amz_date, credential.Scope(), canonical));
  return computed;
}

}  // namespace

Result<VerifiedRequest> Verifier::VerifyV4Header(const http::Request& request,
                                                 std::string_view authorization) const {
  ASSIGN_OR_RETURN(SigV4Authorization auth, ParseSigV4Authorization(authorization));
  if (auth.credential.region != region_) {
    return Error(ErrorCode::kAuthorizationHeaderMalformed,
                 "The authorization header is malformed; the region '" + auth.credential.region +
                     "' is wrong; expecting '" + region_ + "'");
  }
  RETURN_IF_ERROR(CheckSignedHeaders(request, auth.signed_headers, /*all_amz_headers=*/true));

  // The request time: x-amz-date, else the Date header (then signed in ISO 8601 form).
  std::string amz_date;
  std::optional<int64_t> time;
  if (auto x_amz_date = request.Header("x-amz-date")) {
    amz_date = std::string(*x_amz_date);
    time = ParseAmzDate(amz_date);
  } else if (auto date = request.Header("Date")) {
    time = ParseSignedRequestDate(*date);
    if (time) amz_date = FormatAmzDate(*time);
  }
  if (!time) return Error(ErrorCode::kAccessDenied, std::string(kNoValidDate));
  if (amz_date.substr(0, 8) != auth.credential.date) {
    return Error(ErrorCode::kAuthorizationHeaderMalformed,
                 "The authorization header is malformed; Invalid credential date. Date is not "
                 "the same as X-Amz-Date.");
  }
  if (std::llabs(now_() - *time) > kMaxClockSkewSeconds) {
    return Error(ErrorCode::kRequestTimeTooSkewed);
  }

  auto content_sha256 = request.Header("x-amz-content-sha256");
  if (!content_sha256) {
    return Error(ErrorCode::kInvalidRequest,
                 "Missing required header for this request: x-amz-content-sha256");
  }
  ASSIGN_OR_RETURN(Credential credential, Lookup(auth.credential.access_key));
  ASSIGN_OR_RETURN(Computed computed,
                   ComputeSignature(request, auth.credential, credential.secret_key, amz_date,
                                    auth.signed_headers, auth.signed_headers_text, *content_sha256,
                                    /*exclude_query=*/{}));
  if (!ConstantTimeEquals(computed.signature, auth.signature)) {
    return Error(ErrorCode::kSignatureDoesNotMatch);
  }

  ChunkSigningContext signing{std::move(computed.signing_key), amz_date, auth.credential.Scope(),
                              std::move(computed.signature)};
  VerifiedRequest verified;
  verified.access_key = credential.access_key;
  verified.user = credential.user;
  ASSIGN_OR_RETURN(verified.payload, MakePayload(request, *content_sha256, &signing));
  return verified;
}

Result<VerifiedRequest> Verifier::VerifyV4Query(const http::Request& request) const {
  constexpr ErrorCode kQueryError = ErrorCode::kAuthorizationQueryParametersError;
  auto algorithm = request.Query("X-Amz-Algorithm");
  auto credential_text = request.Query("X-Amz-Credential");
  auto date_text = request.Query("X-Amz-Date");
  auto expires_text = request.Query("X-Amz-Expires");
  auto signed_headers_text = request.Query("X-Amz-SignedHeaders");
  auto signature = request.Query("X-Amz-Signature");
  if (!algorithm || !credential_text || !date_text || !expires_text || !signed_headers_text ||
      !signature) {
    return Error(kQueryError,
                 "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                 "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                 "X-Amz-Expires parameters.");
  }
  if (*algorithm != kSigV4Algorithm) {
    return Error(kQueryError, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  ASSIGN_OR_RETURN(SigV4Credential scope, ParseSigV4Credential(*credential_text, kQueryError));
  if (scope.region != region_) {
    return Error(kQueryError, "Error parsing the X-Amz-Credential parameter; the region '" +
                                  scope.region + "' is wrong; expecting '" + region_ + "'");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> signed_names,
                   ParseSignedHeaders(*signed_headers_text, kQueryError));
  // Browsers and curl add x-amz-* headers nobody signed, so only `host` is required here.
  RETURN_IF_ERROR(CheckSignedHeaders(request, signed_names, /*all_amz_headers=*/false));

  auto time = ParseAmzDate(*date_text);
  if (!time) {
    return Error(kQueryError,
                 "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  if (date_text->substr(0, 8) != scope.date) {
    return Error(kQueryError, "Invalid credential date. Date is not the same as X-Amz-Date.");
  }
  int64_t expires = 0;
  auto [end, ec] =
      std::from_chars(expires_text->data(), expires_text->data() + expires_text->size(), expires);
  if (ec != std::errc() || end != expires_text->data() + expires_text->size()) {
    return Error(kQueryError, "X-Amz-Expires should be a number");
  }
  if (expires < 0) return Error(kQueryError, "X-Amz-Expires must be non-negative");
  if (expires > kMaxPresignedExpirySeconds) {
    // S3's own words (its AuthorizationQueryParametersError, 400).
    return Error(kQueryError,
                 "X-Amz-Expires must be less than a week (in seconds); that is, the given "
                 "X-Amz-Expires must be less than 604800 seconds");
  }
  int64_t now = now_();
  if (*time - now > kMaxClockSkewSeconds) {
    return Error(ErrorCode::kAccessDenied, "Request is not valid yet");
  }
  if (now > *time + expires) return Error(ErrorCode::kAccessDenied, "Request has expired");

  // Presigned URLs sign no payload, unless the signer put a hash in the query.
  std::string_view payload_hash = request.Query("X-Amz-Content-Sha256").value_or(kUnsignedPayload);
  ASSIGN_OR_RETURN(Credential credential, Lookup(scope.access_key));
  ASSIGN_OR_RETURN(Computed computed,
                   ComputeSignature(request, scope, credential.secret_key, *date_text, signed_names,
                                    *signed_headers_text, payload_hash, "X-Amz-Signature"));
  if (!ConstantTimeEquals(computed.signature, *signature)) {
    return Error(ErrorCode::kSignatureDoesNotMatch);
  }
  VerifiedRequest verified;
  verified.access_key = credential.access_key;
  verified.user = credential.user;
  ASSIGN_OR_RETURN(verified.payload, MakePayload(request, payload_hash, /*signing=*/nullptr));
  return verified;
}

}  // namespace stratus::auth
