#include "auth/dates.h"

#include <array>
#include <cstdio>

namespace stratus::auth {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly n decimal digits.
std::optional<int> Digits(std::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<int64_t> ToUnix(int64_t y, int mon, int d, int h, int min, int s) {
  if (mon < 1 || mon > 12 || d < 1 || d > DaysInMonth(y, mon) || h > 23 || min > 59 || s > 60) {
    return std::nullopt;
  }
  return DaysFromCivil(y, mon, d) * 86400 + h * 3600 + min * 60 + s;
}

}  // namespace

std::optional<int64_t> ParseAmzDate(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  auto y = Digits(text, 0, 4), mon = Digits(text, 4, 2), d = Digits(text, 6, 2);
  auto h = Digits(text, 9, 2), min = Digits(text, 11, 2), s = Digits(text, 13, 2);
  if (!y || !mon || !d || !h || !min || !s) return std::nullopt;
  return ToUnix(*y, *mon, *d, *h, *min, *s);
}

std::optional<int64_t> ParseHttpDate(std::string_view text) {
  // "Fri, 24 May 2013 00:00:00 GMT": the weekday is informational and not checked.
  size_t comma = text.find(", ");
  if (comma == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(comma + 2);
  // The day may be one or two digits.
  size_t day_len = rest.size() > 1 && rest[1] == ' ' ? 1 : 2;
  auto d = Digits(rest, 0, day_len);
  if (!d) return std::nullopt;
  rest = rest.substr(day_len);
  if (rest.size() < 22 || rest[0] != ' ' || rest[4] != ' ' || rest[9] != ' ' || rest[12] != ':' ||
      rest[15] != ':' || rest[18] != ' ') {
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int mon = 0;
  for (int i = 0; i < 12; ++i) {
    if (rest.substr(1, 3) == kMonths[i]) mon = i + 1;
  }
  auto y = Digits(rest, 5, 4), h = Digits(rest, 10, 2), min = Digits(rest, 13, 2);
  auto s = Digits(rest, 16, 2);
  if (mon == 0 || !y || !h || !min || !s) return std::nullopt;
  std::string_view zone = rest.substr(19);
  int64_t offset = 0;
  if (zone == "GMT" || zone == "UTC" || zone == "Z") {
    offset = 0;
  } else if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    auto zh = Digits(zone, 1, 2), zm = Digits(zone, 3, 2);
    if (!zh || !zm) return std::nullopt;
    offset = (*zh * 3600 + *zm * 60) * (zone[0] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  auto local = ToUnix(*y, mon, *d, *h, *min, *s);
  if (!local) return std::nullopt;
  return *local - offset;
}

std::string FormatAmzDate(int64_t unix_seconds) {
  // civil_from_days, the inverse of DaysFromCivil.
  int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  int64_t secs = unix_seconds - days * 86400;
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  char out[96];  // generous: the compiler cannot bound the fields
  std::snprintf(out, sizeof(out), "%04lld%02lld%02lldT%02lld%02lld%02lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return out;
}

}  // namespace stratus::auth
