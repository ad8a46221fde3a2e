#include "bench/parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace stratus::bench {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "123abc" into its leading digits and the rest; false when there are no digits or
// the number overflows.
bool TakeNumber(std::string_view& text, uint64_t& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr == text.data()) return false;
  text.remove_prefix(static_cast<size_t>(ptr - text.data()));
  return true;
}

std::unexpected<Status> Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

Result<uint64_t> ParseSize(std::string_view text) {
  std::string_view rest = Trim(text);
  uint64_t value = 0;
  if (!TakeNumber(rest, value)) return Invalid(fmt::format("invalid size '{}'", text));
  const std::string unit = Lower(Trim(rest));
  uint64_t multiplier = 0;
  if (unit.empty() || unit == "b") {
    multiplier = 1;
  } else if (unit == "k" || unit == "kib") {
    multiplier = uint64_t{1} << 10;
  } else if (unit == "m" || unit == "mib") {
    multiplier = uint64_t{1} << 20;
  } else if (unit == "g" || unit == "gib") {
    multiplier = uint64_t{1} << 30;
  } else if (unit == "kb") {
    multiplier = 1000;
  } else if (unit == "mb") {
    multiplier = 1000 * 1000;
  } else if (unit == "gb") {
    multiplier = 1000 * 1000 * 1000;
  } else {
    return Invalid(
        fmt::format("invalid size unit in '{}' (use B, KiB, MiB, GiB, KB, MB, GB)", text));
  }
  if (value > std::numeric_limits<uint64_t>::max() / multiplier) {
    return Invalid(fmt::format("size '{}' is too large", text));
  }
  return value * multiplier;
}

Result<SizeRange> ParseSizeRange(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    ASSIGN_OR_RETURN(uint64_t size, ParseSize(text));
    return SizeRange{size, size};
  }
  ASSIGN_OR_RETURN(uint64_t min, ParseSize(text.substr(0, dash)));
  ASSIGN_OR_RETURN(uint64_t max, ParseSize(text.substr(dash + 1)));
  if (min > max) return Invalid(fmt::format("size range '{}' ends before it starts", text));
  return SizeRange{min, max};
}

std::string FormatSize(uint64_t bytes) {
  static constexpr std::string_view kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  size_t unit = 0;
  uint64_t whole = bytes;
  while (unit + 1 < std::size(kUnits) && whole >= 1024) {
    whole /= 1024;
    ++unit;
  }
  const uint64_t scale = uint64_t{1} << (10 * unit);
  if (bytes % scale == 0) return fmt::format("{}{}", bytes / scale, kUnits[unit]);
  return fmt::format("{:.1f}{}", static_cast<double>(bytes) / static_cast<double>(scale),
                     kUnits[unit]);
}

Result<std::chrono::nanoseconds> ParseDuration(std::string_view text) {
  std::string_view rest = Trim(text);
  if (rest.empty()) return Invalid("empty duration");
  uint64_t value = 0;
  std::string_view probe = rest;
  if (TakeNumber(probe, value) && probe.empty()) return std::chrono::seconds(value);
  std::chrono::nanoseconds total{0};
  while (!rest.empty()) {
    if (!TakeNumber(rest, value)) return Invalid(fmt::format("invalid duration '{}'", text));
    size_t unit_len = 0;
    while (unit_len < rest.size() && std::isalpha(static_cast<unsigned char>(rest[unit_len]))) {
      ++unit_len;
    }
    const std::string unit = Lower(rest.substr(0, unit_len));
    rest.remove_prefix(unit_len);
    using namespace std::chrono;
    if (unit == "ms") {
      total += milliseconds(value);
    } else if (unit == "s") {
      total += seconds(value);
    } else if (unit == "m") {
      total += minutes(value);
    } else if (unit == "h") {
      total += hours(value);
    } else {
      return Invalid(fmt::format("invalid duration unit in '{}' (use ms, s, m, h)", text));
    }
  }
  return total;
}

Result<std::vector<MixEntry>> ParseMix(std::string_view text) {
  std::vector<MixEntry> mix;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Invalid(fmt::format("mix entry '{}' is not op=weight", item));
    }
    std::optional<Op> op = ParseOpName(Trim(item.substr(0, eq)));
    if (!op) return Invalid(fmt::format("unknown operation in mix entry '{}'", item));
    std::string_view weight_text = Trim(item.substr(eq + 1));
    uint64_t weight = 0;
    if (!TakeNumber(weight_text, weight) || !weight_text.empty() || weight == 0 ||
        weight > 1'000'000) {
      return Invalid(fmt::format("mix entry '{}' needs a positive integer weight", item));
    }
    for (const MixEntry& e : mix) {
      if (e.op == *op) return Invalid(fmt::format("operation repeated in mix '{}'", text));
    }
    mix.push_back({*op, static_cast<uint32_t>(weight)});
  }
  if (mix.empty()) return Invalid("empty mix");
  return mix;
}

}  // namespace stratus::bench
