#include "s3/body.h"

#include <array>

namespace stratus::s3 {

Result<std::string> ReadSmallBody(http::ByteStream& body, size_t limit, ErrorCode too_large) {
  std::string out;
  std::array<char, 16 * 1024> buffer;
  while (true) {
    ASSIGN_OR_RETURN(size_t n, body.Read(buffer));
    if (n == 0) return out;
    if (out.size() + n > limit) return Error(too_large);
    out.append(buffer.data(), n);
  }
}

}  // namespace stratus::s3
