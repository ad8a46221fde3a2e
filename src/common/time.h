// Wall-clock timestamps in the text forms S3 speaks: HTTP dates (Last-Modified, If-Modified-Since,
// Date), ISO-8601 with milliseconds (XML: <LastModified>, <Initiated>) and the compact SigV4 amz
// date (X-Amz-Date). All times are UTC; functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stratus {

// IMF-fixdate, the preferred HTTP form: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(int64_t unix_seconds);
// Any of the three HTTP-date forms of RFC 9110 section 5.6.7:
//   IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT",
//   asctime "Sun Nov  6 08:49:37 1994".
// nullopt when the text is none of them (callers of conditional headers then ignore the header).
std::optional<int64_t> ParseHttpDate(std::string_view text);

// The Date (or SigV2 x-amz-date) of a signed request, as clients send it: the IMF-fixdate
// layout with a one- or two-digit day and the zone "GMT", "UTC", "Z" or "+hhmm"/"-hhmm"
// (s3cmd sends "+0000"). The weekday is not checked. Stricter forms stay for conditional
// headers: ParseHttpDate.
std::optional<int64_t> ParseSignedRequestDate(std::string_view text);

// "2026-11-29T13:40:59.000Z": milliseconds, truncated toward the past.
std::string FormatIso8601(int64_t unix_ns);
// "2026-11-29T13:40:59Z", optional fraction of any length, "Z" or "+hh:mm"/"-hh:mm"; unix ns.
// nullopt for a time int64 nanoseconds cannot count (before 1677-09-21, after 2262-04-11).
std::optional<int64_t> ParseIso8601(std::string_view text);
// The same text in whole Unix seconds (the fraction dropped), for any four-digit year.
std::optional<int64_t> ParseIso8601Seconds(std::string_view text);

// The SigV4 request time "20261129T134059Z" (X-Amz-Date, the credential scope's first 8 chars).
std::string FormatAmzDate(int64_t unix_seconds);
std::optional<int64_t> ParseAmzDate(std::string_view text);

}  // namespace stratus
