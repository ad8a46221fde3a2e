// The policy of a browser-based upload (POST Object): the base64 JSON document a form carries
// in its "policy" field, signed by the uploader's key, saying until when and with which field
// values the form may be used. Parsing and checking are pure functions; thread-safe.
// See AWS's "Creating a POST policy" (Signature Version 4) for the conditions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stratus::s3 {

struct PostPolicyCondition {
  enum class Kind { kEq, kStartsWith, kContentLengthRange };
  Kind kind = Kind::kEq;
  std::string field;  // lowercase, without '$' ("key", "x-amz-meta-a"); empty for a range
  std::string value;  // the exact value or the prefix
  int64_t min = 0;    // content-length-range bounds, inclusive
  int64_t max = 0;
  // As S3 names the condition in its refusal: ["eq", "$key", "a"].
  std::string Describe() const;
};

struct PostPolicy {
  int64_t expiration_unix_seconds = 0;
  std::vector<PostPolicyCondition> conditions;
};

// A form's fields, names lowercased, before the file part; "bucket" holds the bucket posted to
// and "key" the key with ${filename} already replaced.
using PostFormFields = std::map<std::string, std::string>;

// The policy from the JSON text (already base64-decoded): InvalidPolicyDocument unless it is
// an object with an ISO-8601 "expiration" and a "conditions" array of known condition forms.
Result<PostPolicy> ParsePostPolicy(std::string_view json);

// Checks the policy against the form: not expired at `now`, every eq / starts-with condition
// met, every field but the exempt ones (x-amz-signature, signature, awsaccesskeyid, file,
// policy, x-ignore-*) named by some condition. AccessDenied "Invalid according to Policy: ..."
// otherwise.
Status CheckPostPolicy(const PostPolicy& policy, const PostFormFields& fields,
                       int64_t now_unix_seconds);

// Checks the file's size against the content-length-range conditions: EntityTooLarge or
// EntityTooSmall. `final_size` false: the size so far, only the maximum can fail.
Status CheckPostContentLength(const PostPolicy& policy, uint64_t size, bool final_size);

}  // namespace stratus::s3
