#include "s3/post_policy.h"

#include <nlohmann/json.hpp>

#include <charconv>

#include "common/time.h"
#include "http/headers.h"

namespace stratus::s3 {
namespace {

using Json = nlohmann::json;

Status Invalid(std::string why) {
  return Status(ErrorCode::kInvalidPolicyDocument, "Invalid Policy: " + std::move(why));
}

Status Refused(std::string why) {
  return Status(ErrorCode::kAccessDenied, "Invalid according to Policy: " + std::move(why));
}

// "$key" -> "key" (field names are case-insensitive).
Result<std::string> FieldName(const Json& value) {
  if (!value.is_string()) return Error(Invalid("Invalid Condition: field name is not a string."));
  std::string name = value.get<std::string>();
  if (!name.starts_with('$')) return Error(Invalid("Invalid Condition: " + name));
  return http::ToLower(std::string_view(name).substr(1));
}

// content-length-range bounds arrive as numbers or as strings of digits.
Result<int64_t> Bound(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    int64_t out = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) return out;
  }
  return Error(Invalid("Invalid content-length-range."));
}

Result<PostPolicyCondition> ParseCondition(const Json& item) {
  PostPolicyCondition condition;
  if (item.is_object()) {
    if (item.size() != 1 || !item.begin().value().is_string()) {
      return Error(Invalid("Invalid Condition."));
    }
    condition.field = http::ToLower(item.begin().key());
    std::string_view field = condition.field;
    if (field.starts_with('$')) condition.field = std::string(field.substr(1));
    condition.value = item.begin().value().get<std::string>();
    return condition;
  }
  if (!item.is_array() || item.size() != 3 || !item[0].is_string()) {
    return Error(Invalid("Invalid Condition."));
  }
  std::string op = http::ToLower(item[0].get<std::string>());
  if (op == "content-length-range") {
    condition.kind = PostPolicyCondition::Kind::kContentLengthRange;
    ASSIGN_OR_RETURN(condition.min, Bound(item[1]));
    ASSIGN_OR_RETURN(condition.max, Bound(item[2]));
    if (condition.min < 0 || condition.max < condition.min) {
      return Error(Invalid("Invalid content-length-range."));
    }
    return condition;
  }
  if (op == "eq") {
    condition.kind = PostPolicyCondition::Kind::kEq;
  } else if (op == "starts-with") {
    condition.kind = PostPolicyCondition::Kind::kStartsWith;
  } else {
    return Error(Invalid("Invalid Condition: unknown operation " + op));
  }
  ASSIGN_OR_RETURN(condition.field, FieldName(item[1]));
  if (!item[2].is_string()) return Error(Invalid("Invalid Condition: value is not a string."));
  condition.value = item[2].get<std::string>();
  return condition;
}

bool Exempt(std::string_view field) {
  return field == "x-amz-signature" || field == "signature" || field == "awsaccesskeyid" ||
         field == "file" || field == "policy" || field.starts_with("x-ignore-");
}

bool Met(const PostPolicyCondition& condition, const PostFormFields& fields) {
  auto it = fields.find(condition.field);
  std::string_view value = it == fields.end() ? std::string_view() : std::string_view(it->second);
  switch (condition.kind) {
    case PostPolicyCondition::Kind::kEq:
      return it != fields.end() && value == condition.value;
    case PostPolicyCondition::Kind::kStartsWith:
      return value.starts_with(condition.value);
    case PostPolicyCondition::Kind::kContentLengthRange:
      return true;  // checked against the file as it streams
  }
  return false;
}

}  // namespace

std::string PostPolicyCondition::Describe() const {
  switch (kind) {
    case Kind::kEq:
      return Json::array({"eq", "$" + field, value}).dump();
    case Kind::kStartsWith:
      return Json::array({"starts-with", "$" + field, value}).dump();
    case Kind::kContentLengthRange:
      return Json::array({"content-length-range", min, max}).dump();
  }
  return {};
}

Result<PostPolicy> ParsePostPolicy(std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return Error(Invalid("Invalid JSON."));
  PostPolicy policy;
  auto expiration = json.find("expiration");
  if (expiration == json.end() || !expiration->is_string()) {
    return Error(Invalid("Policy missing expiration."));
  }
  std::optional<int64_t> seconds = ParseIso8601Seconds(expiration->get<std::string>());
  if (!seconds) return Error(Invalid("Invalid 'expiration' value."));
  policy.expiration_unix_seconds = *seconds;
  auto conditions = json.find("conditions");
  if (conditions == json.end() || !conditions->is_array()) {
    return Error(Invalid("Policy missing conditions."));
  }
  for (const Json& item : *conditions) {
    ASSIGN_OR_RETURN(PostPolicyCondition condition, ParseCondition(item));
    policy.conditions.push_back(std::move(condition));
  }
  return policy;
}

Status CheckPostPolicy(const PostPolicy& policy, const PostFormFields& fields,
                       int64_t now_unix_seconds) {
  if (now_unix_seconds >= policy.expiration_unix_seconds) return Refused("Policy expired.");
  for (const PostPolicyCondition& condition : policy.conditions) {
    if (!Met(condition, fields)) {
      return Refused("Policy Condition failed: " + condition.Describe());
    }
  }
  for (const auto& [name, value] : fields) {
    if (Exempt(name) || name == "bucket") continue;
    bool covered = false;
    for (const PostPolicyCondition& condition : policy.conditions) {
      covered = covered || condition.field == name;
    }
    if (!covered) return Refused("Extra input fields: " + name);
  }
  return Status::Ok();
}

Status CheckPostContentLength(const PostPolicy& policy, uint64_t size, bool final_size) {
  for (const PostPolicyCondition& condition : policy.conditions) {
    if (condition.kind != PostPolicyCondition::Kind::kContentLengthRange) continue;
    // S3 answers a size outside the range with these two codes (400), not AccessDenied.
    if (size > static_cast<uint64_t>(condition.max)) {
      return Status(
          ErrorCode::kEntityTooLarge,
          "Your proposed upload exceeds the maximum allowed size: " + condition.Describe());
    }
    if (final_size && size < static_cast<uint64_t>(condition.min)) {
      return Status(
          ErrorCode::kEntityTooSmall,
          "Your proposed upload is smaller than the minimum allowed size: " + condition.Describe());
    }
  }
  return Status::Ok();
}

}  // namespace stratus::s3
