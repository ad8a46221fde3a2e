// What the HTTP layer hands a handler: one parsed request with a streaming body, and what a
// handler hands back: a response whose body is a string or a stream.
//
// Handlers run on a worker thread and may block: BodyReader::Read waits for the network and
// BodySource::Read may wait for the disk. Neither is shared between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "http/headers.h"

namespace stratus::http {

// A stream of bytes read in chunks. Read fills at most buffer.size() bytes and returns how
// many it wrote; 0 means the end. An error means the stream is broken (client went away,
// timed out, a signature or checksum failed) and must not be read again.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual Result<size_t> Read(std::span<char> buffer) = 0;
};

// The request body as it arrives (Content-Length or chunked transfer-coding already removed).
using BodyReader = ByteStream;

// A response body produced on demand (object data streamed from storage).
using BodySource = ByteStream;

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;     // "GET", "PUT", ...
  std::string target;     // the request-target exactly as received: "/b/k%20x?uploads"
  std::string path;       // its path, still percent-encoded: "/b/k%20x"
  std::string raw_query;  // what follows '?', still encoded; empty if none
  QueryParams query;      // decoded name/value pairs in received order ("uploads" -> "")
  Headers headers;
  std::optional<uint64_t> content_length;  // absent for chunked transfer-coding
  BodyReader* body = nullptr;              // never null while a handler runs
  std::string remote_address;              // "127.0.0.1:53422"
  bool secure = false;                     // arrived over TLS
  std::string request_id;                  // x-amz-request-id of this request

  std::optional<std::string_view> Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const { return Query(name).has_value(); }
  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }
};

struct Response {
  int status = 200;
  Headers headers;
  // The body: `body` for small ones, `stream` for large ones (then content_length is set).
  std::string body;
  std::unique_ptr<BodySource> stream;
  // The Content-Length to send. For `body` it defaults to body.size(); for a HEAD response it
  // is the length a GET would have had, and no body is sent.
  std::optional<uint64_t> content_length;
  // Close the connection after this response (e.g. the request body was not fully read).
  bool close_connection = false;
};

// Percent-decodes a URI component ('+' stays '+'); nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text);
// Splits "a=1&b&c=%20" into decoded pairs; nullopt on a malformed escape.
std::optional<QueryParams> ParseQuery(std::string_view raw_query);

}  // namespace stratus::http
