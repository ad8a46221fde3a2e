#include "s3/body.h"

#include <array>

namespace stratus::s3 {

Result<SmallBody> ReadSmallBody(http::ByteStream& body, size_t limit, MemoryBudget& budget,
                                ErrorCode too_large) {
  SmallBody out{.text = {}, .lease = BudgetLease(&budget)};
  std::array<char, 16 * 1024> buffer;
  while (true) {
    ASSIGN_OR_RETURN(size_t n, body.Read(buffer));
    if (n == 0) return out;
    if (out.text.size() + n > limit) return Error(too_large);
    if (!out.lease.GrowTo((out.text.size() + n) * kParsedBodyCharge)) {
      return Error(Status(ErrorCode::kSlowDown, "request bodies parsed in memory: budget spent"));
    }
    out.text.append(buffer.data(), n);
  }
}

}  // namespace stratus::s3
