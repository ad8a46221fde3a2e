#include "auth/verifier.h"

#include <utility>

#include "auth/payload_factory.h"
#include "auth/sigv4.h"

namespace stratus::auth {

Verifier::Verifier(const CredentialStore& store, std::string region,
                   std::function<int64_t()> now_unix_seconds)
    : store_(store), region_(std::move(region)), now_(std::move(now_unix_seconds)) {}

Result<VerifiedRequest> Verifier::Verify(const http::Request& request,
                                         std::string_view host_bucket) const {
  auto authorization = request.Header("Authorization");
  bool v4_query = request.HasQuery("X-Amz-Algorithm") || request.HasQuery("X-Amz-Credential") ||
                  request.HasQuery("X-Amz-Signature");
  bool v2_query = request.HasQuery("AWSAccessKeyId");
  if (authorization && (v4_query || v2_query)) {
    return Error(ErrorCode::kInvalidArgument,
                 "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                 "Signature query string parameter or the Authorization header should be "
                 "specified");
  }
  if (authorization) {
    if (authorization->starts_with(kSigV4Algorithm)) {
      return VerifyV4Header(request, *authorization);
    }
    if (authorization->starts_with("AWS ")) {
      return VerifyV2Header(request, *authorization, host_bucket);
    }
    return Error(ErrorCode::kInvalidArgument, "Unsupported Authorization Type");
  }
  if (v4_query) return VerifyV4Query(request);
  if (v2_query) return VerifyV2Query(request, host_bucket);

  // No credentials: the authorization stage decides (public buckets, else AccessDenied). An
  // unsigned aws-chunked body still needs decoding.
  VerifiedRequest verified;
  verified.anonymous = true;
  ASSIGN_OR_RETURN(verified.payload,
                   MakePayload(request, request.Header("x-amz-content-sha256").value_or(""),
                               /*signing=*/nullptr));
  return verified;
}

Result<Credential> Verifier::Lookup(std::string_view access_key) const {
  auto credential = store_.Lookup(access_key);
  if (!credential) return Error(ErrorCode::kInvalidAccessKeyId);
  return *std::move(credential);
}

}  // namespace stratus::auth
