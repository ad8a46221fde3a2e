// Pure helpers for the HTTP/1.1 wire: request ids, the Date header, splitting the request
// target, and serializing a response head with its framing decided (Content-Length, chunked,
// or until close). No I/O; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/request.h"

namespace stratus::http {

// x-amz-request-id: 16 uppercase hex characters, unique within the process.
std::string NewRequestId();
// x-amz-id-2: a longer random base64 token.
std::string NewHostId();
// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(std::chrono::system_clock::time_point when);

struct TargetParts {
  std::string_view path;       // before '?', still encoded
  std::string_view raw_query;  // after '?', still encoded; empty if none
};
TargetParts SplitTarget(std::string_view target);

// A request's body framing (RFC 9112 §6.1, §6.3): a Transfer-Encoding whose final coding is
// not chunked, or any Transfer-Encoding beside a Content-Length, cannot be framed safely and
// is refused with 400 (the connection must then close, since where the body ends is unknown).
Status CheckRequestFraming(const Headers& headers);

enum class BodyMode {
  kNone,        // HEAD, 1xx, 204, 304: nothing follows the head
  kString,      // Response::body, Content-Length framed
  kSized,       // Response::stream with Content-Length
  kChunked,     // Response::stream without a length, HTTP/1.1: chunked transfer-coding
  kUntilClose,  // Response::stream without a length, HTTP/1.0: the close ends the body
};

struct ResponseHead {
  std::string bytes;  // status line, fields, blank line
  BodyMode mode = BodyMode::kNone;
  uint64_t length = 0;  // for kString / kSized
  bool close = false;   // the connection closes after this response
};

struct HeadContext {
  bool head_request = false;
  unsigned version = 11;   // 10 or 11
  bool keep_alive = true;  // what the request and the server allow
  std::string_view request_id = {};
  std::string_view host_id = {};
};

// Sets the server's own fields on response.headers (Date, Server, x-amz-request-id,
// x-amz-id-2, Content-Length / Transfer-Encoding, Connection), replacing any the handler set,
// and serializes the head. CR and LF in names or values become spaces.
ResponseHead BuildResponseHead(Response& response, const HeadContext& context);

}  // namespace stratus::http
