// Authenticates an S3 request: SigV4 (Authorization header, presigned query, the aws-chunked
// streaming forms with or without trailers), SigV2 (header and presigned query), or none.
//
// Verify checks everything the request line and headers can tell and returns a
// VerifiedRequest whose payload reader verifies the body as the handler reads it (payload
// hash, chunk and trailer signatures). Authorization (may this identity do this?) is the next
// stage's job; an anonymous VerifiedRequest only says no credentials were presented.
//
// A Verifier is immutable and shared by all worker threads; the CredentialStore must outlive
// it. A VerifiedRequest's payload reads request.body, so the Request must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "auth/credentials.h"
#include "auth/payload.h"
#include "common/status.h"
#include "http/request.h"

namespace stratus::auth {

struct VerifiedRequest {
  bool anonymous = false;
  std::string access_key;
  std::string user;
  std::unique_ptr<PayloadReader> payload;  // never null
};

class Verifier {
 public:
  // S3 accepts request times up to 15 minutes from its own clock.
  static constexpr int64_t kMaxClockSkewSeconds = 15 * 60;
  // The longest X-Amz-Expires of a presigned URL: one week.
  static constexpr int64_t kMaxPresignedExpirySeconds = 7 * 24 * 3600;

  Verifier(const CredentialStore& store, std::string region,
           std::function<int64_t()> now_unix_seconds);

  // host_bucket: the bucket a virtual-hosted-style Host names ("b" for b.s3.example.com),
  // empty for path-style requests. Only SigV2 needs it: it signs "/bucket/key" either way.
  Result<VerifiedRequest> Verify(const http::Request& request,
                                 std::string_view host_bucket = {}) const;

 private:
  Result<VerifiedRequest> VerifyV4Header(const http::Request& request,
                                         std::string_view authorization) const;
  Result<VerifiedRequest> VerifyV4Query(const http::Request& request) const;
  Result<VerifiedRequest> VerifyV2Header(const http::Request& request,
                                         std::string_view authorization,
                                         std::string_view host_bucket) const;
  Result<VerifiedRequest> VerifyV2Query(const http::Request& request,
                                        std::string_view host_bucket) const;
  Result<Credential> Lookup(std::string_view access_key) const;

  const CredentialStore& store_;
  std::string region_;
  std::function<int64_t()> now_;
};

}  // namespace stratus::auth
