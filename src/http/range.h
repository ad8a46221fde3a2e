// The Range request header (RFC 9110 section 14.2) as S3's GetObject applies it: one byte range
// per request, resolved against the object's size. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace stratus::http {

// An inclusive, non-empty byte range inside an object: bytes first..last.
struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;

  uint64_t length() const { return last - first + 1; }
  // The Content-Range value of a 206 answer: "bytes 0-499/1234".
  std::string ContentRange(uint64_t total) const;

  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

// Resolves a Range header value against an object of object_size bytes:
//   - nullopt: serve the whole object with 200 (the header is malformed, names several ranges,
//     or ends before it starts, which S3 ignores rather than rejects);
//   - a ByteRange: serve it with 206 ("bytes=a-b" with b clamped to the end, "bytes=a-",
//     "bytes=-n" for the last n bytes, the whole object when n exceeds it);
//   - kInvalidRange (416): a well-formed range that selects nothing (first byte at or past the
//     end, "bytes=-0", any range of an empty object).
Result<std::optional<ByteRange>> ParseRange(std::string_view header, uint64_t object_size);

// The Content-Range value that accompanies a 416: "bytes */1234".
std::string UnsatisfiedContentRange(uint64_t total);

}  // namespace stratus::http
