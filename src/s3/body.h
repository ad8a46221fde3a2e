// Reading small request bodies (XML configurations) whole, with a size cap.
#pragma once

#include <cstddef>
#include <string>

#include "common/status.h"
#include "http/request.h"

namespace stratus::s3 {

// Reads the whole stream, failing with `too_large` once more than `limit` bytes arrive.
Result<std::string> ReadSmallBody(http::ByteStream& body, size_t limit,
                                  ErrorCode too_large = ErrorCode::kMaxMessageLengthExceeded);

}  // namespace stratus::s3
