#include "http/wire.h"

#include <array>
#include <atomic>
#include <ctime>
#include <random>

#include <fmt/format.h>
#include <boost/beast/http/status.hpp>

namespace stratus::http {
namespace {

uint64_t RandomSeed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

// The splitmix64 finalizer: a bijection on 64-bit values, so distinct counters give distinct
// ids while consecutive ids look unrelated.
uint64_t Mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string Sanitize(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

}  // namespace

std::string NewRequestId() {
  static const uint64_t seed = RandomSeed();
  static std::atomic<uint64_t> counter{0};
  return fmt::format("{:016X}", Mix(seed + counter.fetch_add(1, std::memory_order_relaxed)));
}

std::string NewHostId() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  thread_local std::mt19937_64 rng(RandomSeed());
  std::string out(76, '=');
  for (size_t i = 0; i < out.size(); i += 10) {
    uint64_t bits = rng();
    for (size_t j = i; j < std::min(out.size(), i + 10); ++j, bits >>= 6) {
      out[j] = kAlphabet[bits & 63];
    }
  }
  return out;
}

std::string FormatHttpDate(std::chrono::system_clock::time_point when) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} GMT", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Status CheckRequestFraming(const Headers& headers) {
  if (!headers.Has("Transfer-Encoding")) return Status::Ok();
  if (headers.Has("Content-Length")) {
    return Status(ErrorCode::kInvalidRequest,
                  "A request cannot carry both Transfer-Encoding and Content-Length.");
  }
  // The codings of every Transfer-Encoding field, in order: the last one must be chunked.
  std::string_view last;
  for (const auto& [name, value] : headers.fields()) {
    if (!EqualsIgnoreCase(name, "Transfer-Encoding")) continue;
    std::string_view list = value;
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view coding = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) {
        coding.remove_prefix(1);
      }
      while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) {
        coding.remove_suffix(1);
      }
      if (!coding.empty()) last = coding;
    }
  }
  if (!EqualsIgnoreCase(last, "chunked")) {
    return Status(ErrorCode::kInvalidRequest,
                  "The final Transfer-Encoding of a request must be chunked.");
  }
  return Status::Ok();
}

TargetParts SplitTarget(std::string_view target) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

ResponseHead BuildResponseHead(Response& response, const HeadContext& context) {
  ResponseHead head;
  const int status = response.status;
  const bool no_body_status = status < 200 || status == 204 || status == 304;
  Headers& h = response.headers;
  for (std::string_view name : {"Content-Length", "Transfer-Encoding", "Connection"}) {
    h.Remove(name);
  }

  bool known_length = response.content_length.has_value() || !response.stream;
  uint64_t length = response.content_length.value_or(response.body.size());
  if (no_body_status || context.head_request) {
    head.mode = BodyMode::kNone;
  } else if (response.stream) {
    head.mode = known_length ? BodyMode::kSized
                             : (context.version >= 11 ? BodyMode::kChunked : BodyMode::kUntilClose);
  } else {
    head.mode = BodyMode::kString;
    length = response.body.size();  // what is actually sent
  }
  head.length = length;
  head.close =
      !context.keep_alive || response.close_connection || head.mode == BodyMode::kUntilClose;

  h.Set("Date", FormatHttpDate(std::chrono::system_clock::now()));
  if (!h.Has("Server")) h.Set("Server", "stratus");
  h.Set("x-amz-request-id", std::string(context.request_id));
  h.Set("x-amz-id-2", std::string(context.host_id));
  // 204 and 1xx never carry a length; 304 only when the handler gave one; HEAD carries the
  // length a GET would have had.
  if (status == 304) {
    if (response.content_length) h.Set("Content-Length", std::to_string(length));
  } else if (!no_body_status && known_length) {
    h.Set("Content-Length", std::to_string(length));
  }
  if (head.mode == BodyMode::kChunked) h.Set("Transfer-Encoding", "chunked");
  if (head.close) {
    h.Set("Connection", "close");
  } else if (context.version < 11) {
    h.Set("Connection", "keep-alive");
  }

  auto beast_reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  std::string_view reason(beast_reason.data(), beast_reason.size());
  std::string& out = head.bytes;
  out.reserve(256 + 64 * h.fields().size());
  out += fmt::format("HTTP/1.{} {} {}\r\n", context.version >= 11 ? 1 : 0, status,
                     reason.empty() ? "Unknown" : reason);
  for (const auto& [name, value] : h.fields()) {
    out += Sanitize(name);
    out += ": ";
    out += Sanitize(value);
    out += "\r\n";
  }
  out += "\r\n";
  return head;
}

}  // namespace stratus::http
