// Fuzzes the POST Object policy (s3/post_policy.h): ParsePostPolicy on the policy document,
// then CheckPostPolicy and CheckPostContentLength against a form.
//
// The input is the policy's JSON, then a line "--", then the form's fields one a line as
// name=value (names lowercased, as PostObjectVerifier reads them).
#include <algorithm>

#include "fuzz_check.h"
#include "http/headers.h"
#include "s3/post_policy.h"

namespace stratus::s3 {
namespace {

std::vector<std::string> Described(const PostPolicy& policy) {
  std::vector<std::string> out;
  for (const PostPolicyCondition& condition : policy.conditions) {
    out.push_back(condition.Describe());
  }
  return out;
}

bool Equal(const PostPolicy& a, const PostPolicy& b) {
  return a.expiration_unix_seconds == b.expiration_unix_seconds && Described(a) == Described(b);
}

PostFormFields ParseFields(std::string_view text) {
  PostFormFields fields;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    size_t eq = line.find('=');
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : line.substr(eq + 1);
    fields[http::ToLower(line.substr(0, eq))] = std::string(value);
  }
  return fields;
}

// What CheckPostContentLength must answer: whether `size` is within every range (final), or
// under every maximum (so far).
bool WithinRanges(const PostPolicy& policy, uint64_t size, bool final_size) {
  return std::all_of(policy.conditions.begin(), policy.conditions.end(), [&](const auto& c) {
    if (c.kind != PostPolicyCondition::Kind::kContentLengthRange) return true;
    return size <= static_cast<uint64_t>(c.max) &&
           (!final_size || size >= static_cast<uint64_t>(c.min));
  });
}

void CheckContentLength(const PostPolicy& policy) {
  std::vector<uint64_t> sizes = {0, 1};
  for (const PostPolicyCondition& c : policy.conditions) {
    if (c.kind != PostPolicyCondition::Kind::kContentLengthRange) continue;
    // Bounds are 0..INT64_MAX, so one past either is a uint64_t.
    for (uint64_t bound : {static_cast<uint64_t>(c.min), static_cast<uint64_t>(c.max)}) {
      sizes.insert(sizes.end(), {bound - (bound > 0), bound, bound + 1});
    }
  }
  for (uint64_t size : sizes) {
    for (bool final_size : {false, true}) {
      Status status = CheckPostContentLength(policy, size, final_size);
      FUZZ_CHECK(status.ok() == WithinRanges(policy, size, final_size));
      // Only the final size can be too small.
      FUZZ_CHECK(status.ok() || status.code() == ErrorCode::kEntityTooLarge ||
                 (final_size && status.code() == ErrorCode::kEntityTooSmall));
    }
  }
}

void CheckForm(const PostPolicy& policy, const PostFormFields& fields) {
  FUZZ_CHECK(CheckPostPolicy(policy, fields, policy.expiration_unix_seconds).code() ==
             ErrorCode::kAccessDenied);  // expired
  Status status = CheckPostPolicy(policy, fields, policy.expiration_unix_seconds - 1);
  if (!status.ok()) {
    FUZZ_CHECK(status.code() == ErrorCode::kAccessDenied);
    return;
  }
  for (const PostPolicyCondition& c : policy.conditions) {
    auto field = fields.find(c.field);
    if (c.kind == PostPolicyCondition::Kind::kEq) {
      FUZZ_CHECK(field != fields.end() && field->second == c.value);
    } else if (c.kind == PostPolicyCondition::Kind::kStartsWith) {
      FUZZ_CHECK(std::string_view(field == fields.end() ? "" : field->second).starts_with(c.value));
    }
  }
}

void FuzzPostPolicy(std::string_view input) {
  size_t separator = input.find("\n--\n");
  std::string_view json = input.substr(0, separator);
  PostFormFields fields = ParseFields(
      separator == std::string_view::npos ? std::string_view() : input.substr(separator + 4));

  Result<PostPolicy> policy = ParsePostPolicy(json);
  FUZZ_CHECK(fuzz::SameResult(policy, ParsePostPolicy(json), Equal));
  if (!policy) {
    FUZZ_CHECK(fuzz::FailsWithOneOf(policy, {ErrorCode::kInvalidPolicyDocument}));
    return;
  }
  for (const PostPolicyCondition& c : policy->conditions) {
    if (c.kind == PostPolicyCondition::Kind::kContentLengthRange) {
      FUZZ_CHECK(c.field.empty() && 0 <= c.min && c.min <= c.max);
    } else {
      FUZZ_CHECK(c.field == http::ToLower(c.field));
    }
  }
  // The conditions as S3 names them in a refusal read back as the same conditions.
  std::string described = R"({"expiration": "2100-01-01T00:00:00Z", "conditions": [)";
  for (const std::string& condition : Described(*policy)) {
    if (!described.ends_with('[')) described += ", ";
    described += condition;
  }
  Result<PostPolicy> reread = ParsePostPolicy(described + "]}");
  FUZZ_CHECK(reread && Described(*reread) == Described(*policy));

  CheckForm(*policy, fields);
  CheckContentLength(*policy);
}

}  // namespace
}  // namespace stratus::s3

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  stratus::s3::FuzzPostPolicy(stratus::fuzz::AsText(data, size));
  return 0;
}
