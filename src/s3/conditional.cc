#include "s3/conditional.h"

#include <string_view>

#include "common/time.h"

namespace stratus::s3 {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// The element list of every field of that name, joined with commas as RFC 9110 section 5.3
// allows; nullopt when the header is absent or has no elements at all, which is then treated as
// absent rather than as a condition nothing can satisfy.
std::optional<std::string> ListField(const http::Headers& headers, std::string_view name) {
  std::optional<std::string> joined;
  for (const auto& [field, value] : headers.fields()) {
    if (!http::EqualsIgnoreCase(field, name)) continue;
    if (joined) {
      *joined += ',';
      *joined += value;
    } else {
      joined = value;
    }
  }
  if (joined && joined->find_first_not_of(" \t,") == std::string::npos) return std::nullopt;
  return joined;
}

// A date condition; RFC 9110 says an invalid HTTP-date makes the recipient ignore the field.
std::optional<int64_t> DateField(const http::Headers& headers, std::string_view name) {
  std::optional<std::string_view> value = headers.Get(name);
  return value ? ParseHttpDate(*value) : std::nullopt;
}

struct ConditionNames {
  std::string_view if_match;
  std::string_view if_none_match;
  std::string_view if_modified_since;
  std::string_view if_unmodified_since;
};

constexpr ConditionNames kReadNames = {"If-Match", "If-None-Match", "If-Modified-Since",
                                       "If-Unmodified-Since"};
constexpr ConditionNames kCopySourceNames = {
    "x-amz-copy-source-if-match", "x-amz-copy-source-if-none-match",
    "x-amz-copy-source-if-modified-since", "x-amz-copy-source-if-unmodified-since"};

enum class Outcome { kProceed, kNotModified, kPreconditionFailed };

// RFC 9110 section 13.2.2, steps 1-4. S3 documents the two combinations where this differs from
// evaluating each header alone, and both follow from the order here (GetObject reference):
//   "If-Match condition evaluates to true, and; If-Unmodified-Since condition evaluates to
//    false; then, S3 returns 200 OK and the data requested."
//   "If-None-Match condition evaluates to false, and; If-Modified-Since condition evaluates to
//    true; then, S3 returns 304 Not Modified status code."
Outcome Evaluate(const http::Headers& headers, const ConditionNames& names,
                 const ObjectState& object) {
  if (auto if_match = ListField(headers, names.if_match)) {
    if (!EtagListMatches(*if_match, object.etag, EtagComparison::kStrong)) {
      return Outcome::kPreconditionFailed;
    }
  } else if (auto since = DateField(headers, names.if_unmodified_since)) {
    if (object.modified_unix_seconds > *since) return Outcome::kPreconditionFailed;
  }
  if (auto if_none_match = ListField(headers, names.if_none_match)) {
    if (EtagListMatches(*if_none_match, object.etag, EtagComparison::kWeak)) {
      return Outcome::kNotModified;
    }
  } else if (auto since = DateField(headers, names.if_modified_since)) {
    if (object.modified_unix_seconds <= *since) return Outcome::kNotModified;
  }
  return Outcome::kProceed;
}

}  // namespace

bool EtagListMatches(std::string_view list, std::string_view etag, EtagComparison comparison) {
  size_t i = 0;
  while (i < list.size()) {
    if (IsSpace(list[i]) || list[i] == ',') {
      ++i;
      continue;
    }
    bool weak = false;
    std::string_view opaque;
    if (list[i] == '*') {
      // "*" matches any current representation; callers only ask when the object exists.
      return true;
    }
    if (list.substr(i).starts_with("W/\"")) {
      weak = true;
      i += 2;
    }
    if (list[i] == '"') {
      size_t close = list.find('"', i + 1);
      if (close == std::string_view::npos) close = list.size();  // unterminated: to the end
      opaque = list.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      // Clients commonly send the ETag without its quotes; S3 accepts that too.
      size_t end = list.find(',', i);
      if (end == std::string_view::npos) end = list.size();
      opaque = list.substr(i, end - i);
      while (!opaque.empty() && IsSpace(opaque.back())) opaque.remove_suffix(1);
      i = end;
    }
    if (weak && comparison == EtagComparison::kStrong) continue;
    if (opaque == etag) return true;
  }
  return false;
}

Status EvaluateReadConditions(const http::Headers& headers, const ObjectState& object) {
  switch (Evaluate(headers, kReadNames, object)) {
    case Outcome::kProceed:
      return Status::Ok();
    case Outcome::kNotModified:
      return Status(ErrorCode::kNotModified);
    case Outcome::kPreconditionFailed:
      return Status(ErrorCode::kPreconditionFailed);
  }
  return Status::Ok();
}

Status EvaluateCopySourceConditions(const http::Headers& headers, const ObjectState& source) {
  // CopyObject reference: "If both the x-amz-copy-source-if-none-match and
  // x-amz-copy-source-if-modified-since headers are present ... [and evaluate false / true],
  // Amazon S3 returns the 412 Precondition Failed response code." A copy has no 304.
  if (Evaluate(headers, kCopySourceNames, source) == Outcome::kProceed) return Status::Ok();
  return Status(ErrorCode::kPreconditionFailed);
}

Status EvaluateWriteConditions(const http::Headers& headers,
                               const std::optional<ObjectState>& current) {
  std::optional<std::string> if_match = ListField(headers, "If-Match");
  std::optional<std::string> if_none_match = ListField(headers, "If-None-Match");
  // PutObject reference: If-None-Match "Expects the '*' (asterisk) character." S3 answers any
  // other value, and If-Match combined with If-None-Match, with 501 NotImplemented ("A header
  // you provided implies functionality that is not implemented"; aws-sdk-ruby issue #3144).
  if (if_match && if_none_match) return Status(ErrorCode::kNotImplemented);
  if (if_none_match) {
    std::string_view value = *if_none_match;
    while (!value.empty() && IsSpace(value.front())) value.remove_prefix(1);
    while (!value.empty() && IsSpace(value.back())) value.remove_suffix(1);
    if (value != "*") return Status(ErrorCode::kNotImplemented);
    // "Uploads the object only if the object key name does not already exist in the bucket
    // specified. Otherwise, Amazon S3 returns a 412 Precondition Failed error."
    if (current) return Status(ErrorCode::kPreconditionFailed);
  }
  if (if_match) {
    // User Guide, conditional writes: an If-Match write to a key with no object fails with
    // 404 NoSuchKey; "If the ETag values do not match, the operation returns a 412
    // Precondition Failed error."
    if (!current) return Status(ErrorCode::kNoSuchKey);
    if (!EtagListMatches(*if_match, current->etag, EtagComparison::kStrong)) {
      return Status(ErrorCode::kPreconditionFailed);
    }
  }
  return Status::Ok();
}

}  // namespace stratus::s3
