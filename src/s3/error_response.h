// The S3 error response: status and XML body from the one error table (errors.def).
#pragma once

#include <string_view>

#include "common/status.h"
#include "http/request.h"

namespace stratus::s3 {

// Builds the response for `error` answering `request`. HEAD responses and 304 carry no body.
// Unexpected failures are logged with the request id here (ClientMessage).
http::Response ErrorResponse(const Status& error, const http::Request& request,
                             std::string_view bucket = {}, std::string_view key = {});

// The message a client may see of `error`. A server-side failure (InternalError,
// ServiceUnavailable, SlowDown) gets the table's generic message, and its own text (file
// paths, RocksDB status, errno) goes to the log with the request id and `what` failed (a key
// of DeleteObjects, say). Every other error's message describes the client's own request and
// is its to see. Whole answers and DeleteObjects' per-key errors follow this one rule.
std::string_view ClientMessage(const Status& error, const http::Request& request,
                               std::string_view what = {});

}  // namespace stratus::s3
