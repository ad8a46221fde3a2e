#include "s3/api.h"

#include <chrono>

#include "s3/cors.h"
#include "s3/error_response.h"
#include "s3/handlers.h"
#include "s3/header_support.h"

namespace stratus::s3 {
namespace {

int64_t NowUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Api::Api(ApiConfig config, meta::MetaStore& meta, storage::ObjectBackend& backend,
         const auth::CredentialStore& credentials)
    : config_(std::move(config)),
      parsed_bodies_(config_.parsed_body_budget_bytes),
      services_{config_, meta, backend, parsed_bodies_},
      verifier_(credentials, config_.region, NowUnixSeconds),
      post_verifier_(credentials, config_.region, NowUnixSeconds) {}

// The S3 request pipeline: each stage produces what the next needs, so a handler never runs
// on an unverified or unauthorized request.
http::Response Api::Handle(http::Request& request) {
  Route route{};
  auto response = [&]() -> Result<http::Response> {
    ASSIGN_OR_RETURN(route, MatchRoute(request, config_.domain));
    ASSIGN_OR_RETURN(auth::VerifiedRequest verified, Verify(request, route));
    ASSIGN_OR_RETURN(RequestContext ctx, Authorize(request, route, std::move(verified)));
    return Dispatch(ctx);
  }();
  http::Response out = response ? *std::move(response)
                                : ErrorResponse(response.error(), request, route.bucket, route.key);
  AddCorsResponseHeaders(services_, request, route, out);
  return out;
}

bool Api::HandleInline(http::Request& request, const http::Responder& respond) {
  if (request.method != "PUT") return false;  // before routing: GETs pass here too
  // A browser's request is answered with the bucket's CORS rules: a read of the store.
  if (request.Header("Origin")) return false;
  auto route = MatchRoute(request, config_.domain);
  if (!route || route->op != Op::kPutObject) return false;
  auto verified = Verify(request, *route);
  if (!verified) return false;
  auto ctx = Authorize(request, *route, *std::move(verified));
  if (!ctx) return false;
  return PutObjectInline(services_, *ctx, respond);
}

// A CORS preflight carries no credentials (browsers send none) and a form upload is signed in
// its form; everything else by its headers or query.
Result<auth::VerifiedRequest> Api::Verify(http::Request& request, const Route& route) const {
  if (route.op == Op::kOptionsPreflight) {
    auth::VerifiedRequest anonymous;
    anonymous.anonymous = true;
    anonymous.payload = std::make_unique<auth::PlainPayload>(request.body, request.content_length);
    return anonymous;
  }
  if (route.op == Op::kPostObject) return post_verifier_.Verify(request, route);
  return verifier_.Verify(request, route.host_style ? route.bucket : std::string());
}

// Deny by default: until access policies exist, only signed requests of a known user pass.
// A request that may proceed is then refused if it asks for what stratus does not do.
Result<RequestContext> Api::Authorize(http::Request& request, const Route& route,
                                      auth::VerifiedRequest verified) const {
  if (verified.anonymous && route.op != Op::kOptionsPreflight) {
    return Error(ErrorCode::kAccessDenied);
  }
  RETURN_IF_ERROR(CheckHeaderSupport(route.op, request.headers));
  return RequestContext{request, route, std::move(verified)};
}

Result<http::Response> Api::Dispatch(RequestContext& ctx) {
  switch (ctx.route.op) {
#define STRATUS_DISPATCH(name) \
  case Op::k##name:            \
    return name(services_, ctx);
    STRATUS_S3_OPS(STRATUS_DISPATCH)
#undef STRATUS_DISPATCH
  }
  return Error(ErrorCode::kNotImplemented);
}

}  // namespace stratus::s3
