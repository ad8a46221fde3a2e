#include "auth/payload.h"

#include <utility>

namespace stratus::auth {

Sha256Payload::Sha256Payload(http::ByteStream* body, std::optional<uint64_t> length,
                             std::string expected_hex)
    : body_(body), length_(length), expected_hex_(http::ToLower(expected_hex)) {}

Result<size_t> Sha256Payload::Read(std::span<char> buffer) {
  if (!status_.ok()) return Error(status_);
  if (done_ || buffer.empty()) return 0;
  auto n = body_->Read(buffer);
  if (!n) {
    status_ = n.error();
    return n;
  }
  if (*n > 0) {
    digest_.Update(std::string_view(buffer.data(), *n));
    return n;
  }
  // The hashes are public values; no need for a constant-time comparison.
  if (HexEncode(digest_.Final()) != expected_hex_) {
    status_ = Status(ErrorCode::kXAmzContentSHA256Mismatch);
    return Error(status_);
  }
  done_ = true;
  return 0;
}

}  // namespace stratus::auth
