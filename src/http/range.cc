#include "http/range.h"

#include <limits>

#include "http/headers.h"

namespace stratus::http {
namespace {

constexpr uint64_t kSaturated = std::numeric_limits<uint64_t>::max();

// A non-empty run of ASCII digits; values past uint64 saturate, so "bytes=0-<huge>" still
// clamps to the object and "bytes=<huge>-" is still past its end.
std::optional<uint64_t> ParseDigits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    value = value > (kSaturated - digit) / 10 ? kSaturated : value * 10 + digit;
  }
  return value;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The syntax of one range-spec; either bound may be absent but not both.
struct RangeSpec {
  std::optional<uint64_t> first;
  std::optional<uint64_t> last;
};

std::optional<RangeSpec> ParseSpec(std::string_view header) {
  header = TrimSpaces(header);
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() < kUnit.size() || !EqualsIgnoreCase(header.substr(0, kUnit.size()), kUnit)) {
    return std::nullopt;
  }
  std::string_view spec = TrimSpaces(header.substr(kUnit.size()));
  size_t dash = spec.find('-');
  // Several ranges ("0-1,5-6") contain a comma and so fail the digit checks below.
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view first_text = spec.substr(0, dash), last_text = spec.substr(dash + 1);
  RangeSpec out;
  if (!first_text.empty()) {
    out.first = ParseDigits(first_text);
    if (!out.first) return std::nullopt;
  }
  if (!last_text.empty()) {
    out.last = ParseDigits(last_text);
    if (!out.last) return std::nullopt;
  }
  if (!out.first && !out.last) return std::nullopt;                          // "bytes=-"
  if (out.first && out.last && *out.last < *out.first) return std::nullopt;  // "bytes=5-2"
  return out;
}

}  // namespace

std::string ByteRange::ContentRange(uint64_t total) const {
  return "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
         std::to_string(total);
}

std::string UnsatisfiedContentRange(uint64_t total) { return "bytes */" + std::to_string(total); }

Result<std::optional<ByteRange>> ParseRange(std::string_view header, uint64_t object_size) {
  // S3 is more forgiving than RFC 9110 here. Its API reference says only "Amazon S3 doesn't
  // support retrieving multiple ranges of data per GET request"; observed behaviour (localstack
  // issue #9076 and PR #9082, checked against AWS) is that a malformed, multi-range or inverted
  // ("bytes=15-1") header is ignored and the whole object comes back with 200, while a
  // well-formed range that starts at or past the end is 416 InvalidRange.
  std::optional<RangeSpec> spec = ParseSpec(header);
  if (!spec) return std::nullopt;

  if (!spec->first) {
    // Suffix range: the last n bytes, or the whole object when n exceeds it.
    uint64_t n = *spec->last;
    if (n == 0 || object_size == 0) return Error(ErrorCode::kInvalidRange);
    uint64_t first = n >= object_size ? 0 : object_size - n;
    return ByteRange{first, object_size - 1};
  }
  if (*spec->first >= object_size) return Error(ErrorCode::kInvalidRange);
  uint64_t last = spec->last && *spec->last < object_size ? *spec->last : object_size - 1;
  return ByteRange{*spec->first, last};
}

}  // namespace stratus::http
