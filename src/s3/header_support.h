// The request headers (and POST form fields) that ask for a feature: which stratus refuses
// and which it ignores because S3 ignores them too. A header that changes what is stored or
// who may see it is honoured or refused, never dropped: a client that asked for encryption
// must not believe it got it. docs/headers.md lists every such header with what each
// operation does with it, the honoured ones included; this table is the code's half of it.
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/status.h"
#include "http/headers.h"
#include "s3/route.h"

namespace stratus::s3 {

enum class HeaderHandling {
  kRefused,  // any value not in `accepted` is refused with `refusal`
  kIgnored,  // S3 ignores it in every case stratus can be in (the reason is in `why`)
};

// A set of operations as a bit mask over Op; kAllOps for every operation.
using OpMask = uint64_t;
inline constexpr OpMask kAllOps = ~OpMask{0};
constexpr OpMask OpBit(Op op) { return OpMask{1} << static_cast<unsigned>(op); }

struct HeaderRule {
  std::string_view name;  // lowercase; a trailing '*' matches any suffix
  OpMask ops;             // the operations the rule applies to
  HeaderHandling handling;
  std::string_view accepted;  // values accepted exactly, separated by '|'; "" for none
  ErrorCode refusal;          // the S3 error of a refused value
  std::string_view why;       // why stratus refuses or ignores it
};

// Every rule, in the order they are checked.
std::span<const HeaderRule> HeaderRules();

// The refusal of the first header of `op`'s request that a rule refuses, else Ok.
Status CheckHeaderSupport(Op op, const http::Headers& headers);

// The same for one POST Object form field (lowercase name); the form's "acl" field is the
// x-amz-acl header.
Status CheckFormFieldSupport(std::string_view name, std::string_view value);

}  // namespace stratus::s3
