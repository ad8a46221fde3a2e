#include "s3/header_support.h"

#include <array>

#include <fmt/format.h>

namespace stratus::s3 {
namespace {

#define STRATUS_COUNT_OP(name) +1
static_assert(0 STRATUS_S3_OPS(STRATUS_COUNT_OP) <= 64, "OpMask holds at most 64 operations");
#undef STRATUS_COUNT_OP

using enum HeaderHandling;
constexpr ErrorCode kNotImplemented = ErrorCode::kNotImplemented;
constexpr ErrorCode kNoAcls = ErrorCode::kAccessControlListNotSupported;

// Checked in order; the first refused header answers the request. Keep docs/headers.md in
// step with this table.
constexpr std::array kRules = {
    HeaderRule{"x-amz-server-side-encryption*", kAllOps, kRefused, "", kNotImplemented,
               "no server-side encryption yet: storing plaintext would break the promise"},
    HeaderRule{"x-amz-copy-source-server-side-encryption-customer-*", kAllOps, kRefused, "",
               kNotImplemented, "no SSE-C yet, so no SSE-C source can exist"},
    HeaderRule{"x-amz-object-lock-*", kAllOps, kRefused, "", kNotImplemented,
               "no object lock yet: the retention asked for would not be enforced"},
    HeaderRule{"x-amz-bucket-object-lock-enabled", kAllOps, kRefused, "false|False",
               kNotImplemented, "no object lock yet"},
    // Buckets behave as S3's default BucketOwnerEnforced ones: ACLs are disabled, and S3
    // answers AccessControlListNotSupported to any ACL but these two.
    HeaderRule{"x-amz-acl", kAllOps, kRefused, "private|bucket-owner-full-control", kNoAcls,
               "ACLs are disabled (as S3's BucketOwnerEnforced)"},
    HeaderRule{"x-amz-grant-*", kAllOps, kRefused, "", kNoAcls,
               "ACLs are disabled (as S3's BucketOwnerEnforced)"},
    HeaderRule{"x-amz-object-ownership", kAllOps, kRefused, "BucketOwnerEnforced", kNotImplemented,
               "only BucketOwnerEnforced exists: ACLs are disabled"},
    HeaderRule{"x-amz-website-redirect-location", kAllOps, kRefused, "", kNotImplemented,
               "no static website hosting yet"},
    HeaderRule{"x-amz-expected-bucket-owner", kAllOps, kRefused, "", kNotImplemented,
               "no accounts yet, so no owner to compare with"},
    HeaderRule{"x-amz-source-expected-bucket-owner", kAllOps, kRefused, "", kNotImplemented,
               "no accounts yet, so no owner to compare with"},
    HeaderRule{"x-amz-mfa", kAllOps, kRefused, "", kNotImplemented, "no MFA delete"},
    HeaderRule{"x-amz-write-offset-bytes", kAllOps, kRefused, "", kNotImplemented,
               "appends exist only on S3 Express directory buckets"},
    // Conditional deletes come with versioning; deleting when the condition fails would be
    // the one thing the client asked us not to do.
    HeaderRule{"if-match", OpBit(Op::kDeleteObject), kRefused, "", kNotImplemented,
               "conditional DeleteObject is not implemented yet"},
    HeaderRule{"if-none-match", OpBit(Op::kDeleteObject), kRefused, "", kNotImplemented,
               "conditional DeleteObject is not implemented yet"},
    HeaderRule{"x-amz-if-match-*", kAllOps, kRefused, "", kNotImplemented,
               "conditional deletes on size and times are not implemented yet"},
    HeaderRule{"x-amz-request-payer", kAllOps, kIgnored, "", kNotImplemented,
               "no bucket is Requester Pays (?requestPayment is refused), and S3 serves a "
               "requester who agrees to pay on any other bucket as usual"},
    HeaderRule{"x-amz-bypass-governance-retention", kAllOps, kIgnored, "", kNotImplemented,
               "no object is under retention, so there is nothing to bypass"},
};

bool NameMatches(std::string_view pattern, std::string_view name) {
  if (pattern.ends_with('*')) {
    pattern.remove_suffix(1);
    return name.size() >= pattern.size() &&
           http::EqualsIgnoreCase(name.substr(0, pattern.size()), pattern);
  }
  return http::EqualsIgnoreCase(name, pattern);
}

bool Accepted(std::string_view accepted, std::string_view value) {
  while (!accepted.empty()) {
    size_t bar = accepted.find('|');
    if (accepted.substr(0, bar) == value) return true;
    if (bar == std::string_view::npos) break;
    accepted.remove_prefix(bar + 1);
  }
  return false;
}

Status Check(OpMask op, std::string_view name, std::string_view value) {
  for (const HeaderRule& rule : kRules) {
    if ((rule.ops & op) == 0 || rule.handling != kRefused || !NameMatches(rule.name, name)) {
      continue;
    }
    if (Accepted(rule.accepted, value)) return Status::Ok();
    if (rule.refusal == kNoAcls) return Status(kNoAcls, "The bucket does not allow ACLs");
    return Status(rule.refusal,
                  fmt::format("A header you provided implies functionality that is not "
                              "implemented: {}",
                              name));
  }
  return Status::Ok();
}

}  // namespace

std::span<const HeaderRule> HeaderRules() { return kRules; }

Status CheckHeaderSupport(Op op, const http::Headers& headers) {
  for (const auto& [name, value] : headers.fields()) {
    RETURN_IF_ERROR(Check(OpBit(op), name, value));
  }
  return Status::Ok();
}

Status CheckFormFieldSupport(std::string_view name, std::string_view value) {
  return Check(OpBit(Op::kPostObject), name == "acl" ? "x-amz-acl" : name, value);
}

}  // namespace stratus::s3
