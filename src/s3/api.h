// Api: the S3 request pipeline. Handle() routes, verifies, authorizes and dispatches one
// request; every failure becomes an S3 error response. Thread-safe: many workers call
// Handle() at once. Keep in sync with docs/life-of-a-request.md.
#pragma once

#include "auth/credentials.h"
#include "auth/verifier.h"
#include "http/request.h"
#include "http/server_options.h"
#include "s3/context.h"
#include "s3/post_object.h"

namespace stratus::s3 {

class Api {
 public:
  Api(ApiConfig config, meta::MetaStore& meta, storage::ObjectBackend& backend,
      const auth::CredentialStore& credentials);

  http::Response Handle(http::Request& request);
  // The io-thread fast path (http::InlineHandler): takes a small PutObject whose body is in
  // memory and whose answer needs no read of the store; declines everything else.
  bool HandleInline(http::Request& request, const http::Responder& respond);

 private:
  Result<auth::VerifiedRequest> Verify(http::Request& request, const Route& route) const;
  Result<RequestContext> Authorize(http::Request& request, const Route& route,
                                   auth::VerifiedRequest verified) const;
  Result<http::Response> Dispatch(RequestContext& ctx);

  ApiConfig config_;
  MemoryBudget parsed_bodies_;
  Services services_;
  auth::Verifier verifier_;
  PostObjectVerifier post_verifier_;  // form uploads are signed in the form
};

}  // namespace stratus::s3
