#include "common/time.h"

#include <array>
#include <cstdio>

namespace stratus {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kLongWeekdays = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kNanosPerSecond = 1'000'000'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year;
  int month;  // 1-12
  int day;    // 1-31
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2), m, d};
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

struct DateTime {
  int64_t year = 0;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// Seconds since the epoch, or nullopt if a field is out of range. A leap second (:60) is
// accepted as RFC 9110 allows and lands on the next second.
std::optional<int64_t> ToUnixSeconds(const DateTime& t) {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > DaysInMonth(t.year, t.month) ||
      t.hour > 23 || t.minute > 59 || t.second > 60) {
    return std::nullopt;
  }
  return DaysFromCivil(t.year, t.month, t.day) * kSecondsPerDay + t.hour * 3600 + t.minute * 60 +
         t.second;
}

// A left-to-right reader over a fixed grammar; every method consumes only on success.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool Literal(std::string_view literal) {
    if (!text_.starts_with(literal)) return false;
    text_.remove_prefix(literal.size());
    return true;
  }
  // Exactly n ASCII digits.
  std::optional<int> Digits(size_t n) {
    if (text_.size() < n) return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < n; ++i) {
      char c = text_[i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    text_.remove_prefix(n);
    return value;
  }
  // The index of the first name the text starts with.
  template <size_t N>
  std::optional<int> OneOf(const std::array<std::string_view, N>& names) {
    for (size_t i = 0; i < N; ++i) {
      if (Literal(names[i])) return static_cast<int>(i);
    }
    return std::nullopt;
  }
  // "HH:MM:SS" into t.
  bool Time(DateTime& t) {
    auto h = Digits(2);
    if (!h || !Literal(":")) return false;
    auto m = Digits(2);
    if (!m || !Literal(":")) return false;
    auto s = Digits(2);
    if (!s) return false;
    t.hour = *h, t.minute = *m, t.second = *s;
    return true;
  }
  bool done() const { return text_.empty(); }
  std::string_view rest() const { return text_; }

 private:
  std::string_view text_;
};

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<int64_t> ParseImfFixdate(std::string_view text) {
  Cursor c(text);
  DateTime t;
  if (!c.OneOf(kWeekdays) || !c.Literal(", ")) return std::nullopt;
  auto day = c.Digits(2);
  if (!day || !c.Literal(" ")) return std::nullopt;
  auto month = c.OneOf(kMonths);
  if (!month || !c.Literal(" ")) return std::nullopt;
  auto year = c.Digits(4);
  if (!year || !c.Literal(" ") || !c.Time(t) || !c.Literal(" GMT") || !c.done()) {
    return std::nullopt;
  }
  t.year = *year, t.month = *month + 1, t.day = *day;
  return ToUnixSeconds(t);
}

// "Sunday, 06-Nov-94 08:49:37 GMT"
std::optional<int64_t> ParseRfc850(std::string_view text) {
  Cursor c(text);
  DateTime t;
  if (!c.OneOf(kLongWeekdays) || !c.Literal(", ")) return std::nullopt;
  auto day = c.Digits(2);
  if (!day || !c.Literal("-")) return std::nullopt;
  auto month = c.OneOf(kMonths);
  if (!month || !c.Literal("-")) return std::nullopt;
  auto year = c.Digits(2);
  if (!year || !c.Literal(" ") || !c.Time(t) || !c.Literal(" GMT") || !c.done()) {
    return std::nullopt;
  }
  // RFC 9110 pins two-digit years relative to "now"; a fixed pivot keeps parsing pure and agrees
  // with it until 2070: 70-99 are the 1900s, 00-69 the 2000s.
  t.year = *year >= 70 ? 1900 + *year : 2000 + *year;
  t.month = *month + 1, t.day = *day;
  return ToUnixSeconds(t);
}

// "Sun Nov  6 08:49:37 1994" (day space-padded; a zero-padded day is accepted too)
std::optional<int64_t> ParseAsctime(std::string_view text) {
  Cursor c(text);
  DateTime t;
  if (!c.OneOf(kWeekdays) || !c.Literal(" ")) return std::nullopt;
  auto month = c.OneOf(kMonths);
  if (!month || !c.Literal(" ")) return std::nullopt;
  std::optional<int> day = c.Literal(" ") ? c.Digits(1) : c.Digits(2);
  if (!day || !c.Literal(" ") || !c.Time(t) || !c.Literal(" ")) return std::nullopt;
  auto year = c.Digits(4);
  if (!year || !c.done()) return std::nullopt;
  t.year = *year, t.month = *month + 1, t.day = *day;
  return ToUnixSeconds(t);
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string FormatHttpDate(int64_t unix_seconds) {
  const int64_t days = FloorDiv(unix_seconds, kSecondsPerDay);
  const int64_t secs = unix_seconds - days * kSecondsPerDay;
  const Civil civil = CivilFromDays(days);
  const int64_t weekday = ((days % 7) + 11) % 7;  // 1970-01-01 was a Thursday (4)
  char buf[128];
  std::snprintf(buf, sizeof(buf), "%s, %02d %s %04lld %02d:%02d:%02d GMT",
                kWeekdays[weekday].data(), civil.day, kMonths[civil.month - 1].data(),
                static_cast<long long>(civil.year), static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return buf;
}

std::optional<int64_t> ParseHttpDate(std::string_view text) {
  text = TrimSpaces(text);
  if (auto t = ParseImfFixdate(text)) return t;
  if (auto t = ParseRfc850(text)) return t;
  return ParseAsctime(text);
}

std::optional<int64_t> ParseSignedRequestDate(std::string_view text) {
  size_t comma = text.find(", ");
  if (comma == std::string_view::npos) return std::nullopt;
  Cursor c(text.substr(comma + 2));
  DateTime t;
  std::optional<int> day = c.Digits(2);
  if (!day) day = c.Digits(1);
  if (!day || !c.Literal(" ")) return std::nullopt;
  auto month = c.OneOf(kMonths);
  if (!month || !c.Literal(" ")) return std::nullopt;
  auto year = c.Digits(4);
  if (!year || !c.Literal(" ") || !c.Time(t) || !c.Literal(" ")) return std::nullopt;
  int64_t offset_seconds = 0;
  if (!c.Literal("GMT") && !c.Literal("UTC") && !c.Literal("Z")) {
    int sign = c.Literal("+") ? 1 : (c.Literal("-") ? -1 : 0);
    auto oh = c.Digits(2), om = c.Digits(2);
    if (sign == 0 || !oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset_seconds = sign * (*oh * 3600 + *om * 60);
  }
  if (!c.done()) return std::nullopt;
  t.year = *year, t.month = *month + 1, t.day = *day;
  auto local = ToUnixSeconds(t);
  if (!local) return std::nullopt;
  return *local - offset_seconds;
}

std::string FormatIso8601(int64_t unix_ns) {
  const int64_t millis = FloorDiv(unix_ns, 1'000'000);
  const int64_t seconds = FloorDiv(millis, 1000);
  const int64_t days = FloorDiv(seconds, kSecondsPerDay);
  const int64_t secs = seconds - days * kSecondsPerDay;
  const Civil civil = CivilFromDays(days);
  char buf[128];
  std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(civil.year), civil.month, civil.day,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60), static_cast<int>(millis - seconds * 1000));
  return buf;
}

namespace {

struct Iso8601Time {
  int64_t unix_seconds = 0;
  int64_t nanos = 0;  // the fraction, 0 to 999'999'999
};

std::optional<Iso8601Time> ParseIso8601Parts(std::string_view text) {
  Cursor c(text);
  DateTime t;
  auto year = c.Digits(4);
  if (!year || !c.Literal("-")) return std::nullopt;
  auto month = c.Digits(2);
  if (!month || !c.Literal("-")) return std::nullopt;
  auto day = c.Digits(2);
  if (!day || !c.Literal("T") || !c.Time(t)) return std::nullopt;
  t.year = *year, t.month = *month, t.day = *day;
  int64_t nanos = 0;
  if (c.Literal(".")) {
    int64_t scale = kNanosPerSecond / 10;
    size_t digits = 0;
    while (auto digit = c.Digits(1)) {
      nanos += *digit * scale;  // digits past nanoseconds are dropped
      scale /= 10;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (!c.Literal("Z")) {
    int sign = c.Literal("+") ? 1 : (c.Literal("-") ? -1 : 0);
    if (sign == 0) return std::nullopt;
    auto oh = c.Digits(2);
    if (!oh || !c.Literal(":")) return std::nullopt;
    auto om = c.Digits(2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset_seconds = sign * (*oh * 3600 + *om * 60);
  }
  if (!c.done()) return std::nullopt;
  auto seconds = ToUnixSeconds(t);
  if (!seconds) return std::nullopt;
  return Iso8601Time{*seconds - offset_seconds, nanos};
}

}  // namespace

std::optional<int64_t> ParseIso8601(std::string_view text) {
  auto time = ParseIso8601Parts(text);
  if (!time) return std::nullopt;
  // Four-digit years reach beyond what int64 nanoseconds count (1677-09-21 to 2262-04-11).
  int64_t unix_ns = 0;
  if (__builtin_mul_overflow(time->unix_seconds, kNanosPerSecond, &unix_ns) ||
      __builtin_add_overflow(unix_ns, time->nanos, &unix_ns)) {
    return std::nullopt;
  }
  return unix_ns;
}

std::optional<int64_t> ParseIso8601Seconds(std::string_view text) {
  auto time = ParseIso8601Parts(text);
  if (!time) return std::nullopt;
  return time->unix_seconds;
}

std::string FormatAmzDate(int64_t unix_seconds) {
  const int64_t days = FloorDiv(unix_seconds, kSecondsPerDay);
  const int64_t secs = unix_seconds - days * kSecondsPerDay;
  const Civil civil = CivilFromDays(days);
  char buf[128];
  std::snprintf(buf, sizeof(buf), "%04lld%02d%02dT%02d%02d%02dZ",
                static_cast<long long>(civil.year), civil.month, civil.day,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

std::optional<int64_t> ParseAmzDate(std::string_view text) {
  Cursor c(text);
  DateTime t;
  auto year = c.Digits(4), month = c.Digits(2), day = c.Digits(2);
  if (!year || !month || !day || !c.Literal("T")) return std::nullopt;
  auto hour = c.Digits(2), minute = c.Digits(2), second = c.Digits(2);
  if (!hour || !minute || !second || !c.Literal("Z") || !c.done()) return std::nullopt;
  t = {*year, *month, *day, *hour, *minute, *second};
  return ToUnixSeconds(t);
}

}  // namespace stratus
