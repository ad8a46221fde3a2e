// Cross-origin resource sharing for buckets: the configuration's handlers (PutBucketCors,
// GetBucketCors, DeleteBucketCors, declared in handlers.h), the OPTIONS preflight
// (OptionsPreflight) and the headers an actual cross-origin request earns. The configuration
// lives in BucketRecord::configs["cors"] as validated XML (s3/cors_config.h).
#pragma once

#include "http/request.h"
#include "s3/context.h"
#include "s3/route.h"

namespace stratus::s3 {

// Adds the Access-Control-* headers to the response of a request carrying an Origin that a
// rule of the bucket's configuration allows for the request's method; errors included, as S3
// does. Does nothing without an Origin, a bucket, a configuration or a matching rule, and for
// preflight requests (whose handler sets them).
void AddCorsResponseHeaders(const Services& services, const http::Request& request,
                            const Route& route, http::Response& response);

}  // namespace stratus::s3
