// The timestamps of request signing: ISO 8601 basic ("20130524T000000Z", SigV4's x-amz-date)
// and RFC 1123 HTTP dates ("Fri, 24 May 2013 00:00:00 GMT", the Date header and SigV2).
// Pure functions; locale-independent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::auth {

// "20130524T000000Z" -> Unix seconds; nullopt unless exactly that form and a valid time.
std::optional<int64_t> ParseAmzDate(std::string_view text);
// "Fri, 24 May 2013 00:00:00 GMT" (also "UTC", "Z" or a "+hhmm"/"-hhmm" offset) -> Unix seconds.
std::optional<int64_t> ParseHttpDate(std::string_view text);
// Unix seconds -> "20130524T000000Z".
std::string FormatAmzDate(int64_t unix_seconds);

}  // namespace stratus::auth
