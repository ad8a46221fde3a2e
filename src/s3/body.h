// Reading small request bodies (XML documents) whole, with a size cap and a share of the
// server-wide budget for such bodies.
#pragma once

#include <cstddef>
#include <string>

#include "common/memory_budget.h"
#include "common/status.h"
#include "http/request.h"

namespace stratus::s3 {

// A body is charged this many times its size: its text, the parser's copy and tree (pugixml
// parses a copy in place and adds its nodes), and the structure parsed from it.
inline constexpr size_t kParsedBodyCharge = 3;

struct SmallBody {
  std::string text;
  BudgetLease lease;  // keep it while anything parsed from `text` is alive
};

// Reads the whole stream, failing with `too_large` once more than `limit` bytes arrive, and
// with SlowDown when `budget` cannot hold it (charged as the bytes arrive, so a false
// Content-Length takes nothing).
Result<SmallBody> ReadSmallBody(http::ByteStream& body, size_t limit, MemoryBudget& budget,
                                ErrorCode too_large = ErrorCode::kMaxMessageLengthExceeded);

}  // namespace stratus::s3
