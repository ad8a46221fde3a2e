// The S3 error response: status and XML body from the one error table (errors.def).
#pragma once

#include <string_view>

#include "common/status.h"
#include "http/request.h"

namespace stratus::s3 {

// Builds the response for `error` answering `request`. HEAD responses and 304 carry no body.
// Unexpected failures (InternalError, SlowDown) are logged with the request id here.
http::Response ErrorResponse(const Status& error, const http::Request& request,
                             std::string_view bucket = {}, std::string_view key = {});

}  // namespace stratus::s3
