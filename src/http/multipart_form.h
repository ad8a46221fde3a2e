// A streaming reader of multipart/form-data bodies (RFC 7578), as browsers send HTML form
// uploads. Parts are read one after the other: NextPart() reads a part's header block,
// Read() the part's content, which is never held whole, so a file part of any size streams
// through a bounded buffer. The delimiter may be split across the underlying reads anywhere.
// Not thread-safe; one per request. The ByteStream must outlive the reader.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/headers.h"
#include "http/request.h"

namespace stratus::http {

struct FormPart {
  std::string name;                     // Content-Disposition's name
  std::optional<std::string> filename;  // Content-Disposition's filename, for file parts
  Headers headers;                      // every header of the part
};

// The boundary parameter of a "multipart/form-data; boundary=..." Content-Type, or nullopt
// when the type is another or the boundary missing or invalid (RFC 2046: 1-70 characters).
std::optional<std::string> FormDataBoundary(std::string_view content_type);

class MultipartFormReader {
 public:
  // The longest header block of one part.
  static constexpr size_t kMaxPartHeaderBytes = 8 * 1024;

  // Malformed input fails with `malformed` (the caller's error code for "not a valid form").
  MultipartFormReader(ByteStream& body, std::string boundary, ErrorCode malformed);

  // Skips what is left of the current part and reads the next part's headers; nullopt after
  // the closing delimiter.
  Result<std::optional<FormPart>> NextPart();
  // Reads the current part's content; 0 at its end.
  Result<size_t> Read(std::span<char> buffer);
  // The rest of the current part as a string, failing with `too_large` beyond `limit` bytes.
  Result<std::string> ReadAll(size_t limit, ErrorCode too_large);

 private:
  enum class State { kStart, kInPart, kBetween, kEnd };

  // Reads from the body until at least `n` unconsumed bytes are buffered or the body ends.
  Status Fill(size_t n);
  std::string_view Buffered() const { return std::string_view(buffer_).substr(pos_); }
  // After a delimiter: "--" ends the form, otherwise transport padding and CRLF.
  Status ReadAfterDelimiter();

  ByteStream& body_;
  std::string delimiter_;  // "\r\n--" + boundary
  ErrorCode malformed_;
  State state_ = State::kStart;
  std::string buffer_;
  size_t pos_ = 0;
  bool body_ended_ = false;
};

}  // namespace stratus::http
