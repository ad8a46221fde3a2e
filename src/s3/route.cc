#include "s3/route.h"

#include <algorithm>
#include <array>

namespace stratus::s3 {
namespace {

enum class Target { kService, kBucket, kObject };

struct RouteRule {
  std::string_view method;
  Target target;
  std::string_view subresource;  // a query parameter that selects the operation; "" for none
  Op op;
  std::string_view also = {};  // a second query parameter the operation requires, if any
};

// Most specific first: a row with a subresource wins over the plain row for the same method.
constexpr std::array kRules = {
    RouteRule{"GET", Target::kService, "", Op::kListBuckets},
    RouteRule{"GET", Target::kBucket, "location", Op::kGetBucketLocation},
    RouteRule{"GET", Target::kBucket, "cors", Op::kGetBucketCors},
    RouteRule{"PUT", Target::kBucket, "cors", Op::kPutBucketCors},
    RouteRule{"DELETE", Target::kBucket, "cors", Op::kDeleteBucketCors},
    RouteRule{"GET", Target::kBucket, "tagging", Op::kGetBucketTagging},
    RouteRule{"PUT", Target::kBucket, "tagging", Op::kPutBucketTagging},
    RouteRule{"DELETE", Target::kBucket, "tagging", Op::kDeleteBucketTagging},
    RouteRule{"POST", Target::kBucket, "delete", Op::kDeleteObjects},
    RouteRule{"GET", Target::kBucket, "uploads", Op::kListMultipartUploads},
    RouteRule{"GET", Target::kBucket, "list-type", Op::kListObjectsV2},
    RouteRule{"GET", Target::kBucket, "", Op::kListObjects},
    RouteRule{"PUT", Target::kBucket, "", Op::kCreateBucket},
    RouteRule{"HEAD", Target::kBucket, "", Op::kHeadBucket},
    RouteRule{"DELETE", Target::kBucket, "", Op::kDeleteBucket},
    RouteRule{"POST", Target::kBucket, "", Op::kPostObject},  // a browser form upload
    RouteRule{"OPTIONS", Target::kBucket, "", Op::kOptionsPreflight},
    RouteRule{"OPTIONS", Target::kObject, "", Op::kOptionsPreflight},
    RouteRule{"POST", Target::kObject, "uploads", Op::kCreateMultipartUpload},
    RouteRule{"PUT", Target::kObject, "uploadId", Op::kUploadPart, "partNumber"},
    RouteRule{"POST", Target::kObject, "uploadId", Op::kCompleteMultipartUpload},
    RouteRule{"DELETE", Target::kObject, "uploadId", Op::kAbortMultipartUpload},
    RouteRule{"GET", Target::kObject, "uploadId", Op::kListParts},
    RouteRule{"GET", Target::kObject, "partNumber", Op::kGetObject},
    RouteRule{"GET", Target::kObject, "tagging", Op::kGetObjectTagging},
    RouteRule{"PUT", Target::kObject, "tagging", Op::kPutObjectTagging},
    RouteRule{"DELETE", Target::kObject, "tagging", Op::kDeleteObjectTagging},
    RouteRule{"GET", Target::kObject, "attributes", Op::kGetObjectAttributes},
    RouteRule{"HEAD", Target::kObject, "partNumber", Op::kHeadObject},
    RouteRule{"PUT", Target::kObject, "", Op::kPutObject},
    RouteRule{"GET", Target::kObject, "", Op::kGetObject},
    RouteRule{"HEAD", Target::kObject, "", Op::kHeadObject},
    RouteRule{"DELETE", Target::kObject, "", Op::kDeleteObject},
};

// Query parameters that name a different operation (or a variant we do not serve yet). A
// request carrying one that no row claims is answered NotImplemented, never served as if the
// parameter were absent.
constexpr auto kSubresources = std::to_array<std::string_view>({
    "accelerate",
    "acl",
    "analytics",
    "attributes",
    "cors",
    "delete",
    "encryption",
    "intelligent-tiering",
    "inventory",
    "legal-hold",
    "lifecycle",
    "list-type",
    "location",
    "logging",
    "metadataTable",
    "metrics",
    "notification",
    "object-lock",
    "ownershipControls",
    "partNumber",
    "policy",
    "policyStatus",
    "publicAccessBlock",
    "renameObject",
    "replication",
    "requestPayment",
    "restore",
    "retention",
    "select",
    "session",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
});

bool IsSubresource(std::string_view name) {
  return std::find(kSubresources.begin(), kSubresources.end(), name) != kSubresources.end();
}

// The bucket named by a Host of the form "<bucket>.<domain>[:port]", if any.
std::string HostBucket(const http::Request& request, std::string_view domain) {
  if (domain.empty()) return {};
  auto host = request.Header("Host");
  if (!host) return {};
  std::string_view h = *host;
  if (auto colon = h.rfind(':');
      colon != std::string_view::npos && h.find(']') == std::string_view::npos) {
    h = h.substr(0, colon);
  }
  if (h.size() <= domain.size() + 1 || !h.ends_with(domain) ||
      h[h.size() - domain.size() - 1] != '.') {
    return {};
  }
  return std::string(h.substr(0, h.size() - domain.size() - 1));
}

}  // namespace

std::string_view OpName(Op op) {
  switch (op) {
#define STRATUS_OP_NAME(name) \
  case Op::k##name:           \
    return #name;
    STRATUS_S3_OPS(STRATUS_OP_NAME)
#undef STRATUS_OP_NAME
  }
  return "Unknown";
}

Result<Route> MatchRoute(const http::Request& request, std::string_view domain) {
  Route route;
  std::string_view path = request.path;
  if (path.empty() || path.front() != '/') return Error(ErrorCode::kInvalidURI);
  path.remove_prefix(1);

  route.bucket = HostBucket(request, domain);
  std::string_view raw_key;
  if (!route.bucket.empty()) {
    route.host_style = true;
    raw_key = path;
  } else {
    size_t slash = path.find('/');
    auto bucket = http::PercentDecode(path.substr(0, slash));
    if (!bucket) return Error(ErrorCode::kInvalidURI);
    route.bucket = std::move(*bucket);
    if (slash != std::string_view::npos) raw_key = path.substr(slash + 1);
  }
  auto key = http::PercentDecode(raw_key);
  if (!key) return Error(ErrorCode::kInvalidURI);
  route.key = std::move(*key);

  Target target = route.bucket.empty() ? Target::kService
                  : route.key.empty()  ? Target::kBucket
                                       : Target::kObject;
  bool method_known_for_target = false;
  for (const RouteRule& rule : kRules) {
    if (rule.target != target || rule.method != request.method) continue;
    method_known_for_target = true;
    if (!rule.subresource.empty() && !request.HasQuery(rule.subresource)) continue;
    if (!rule.also.empty() && !request.HasQuery(rule.also)) continue;
    bool unclaimed = std::any_of(request.query.begin(), request.query.end(), [&](const auto& q) {
      return q.first != rule.subresource && q.first != rule.also && IsSubresource(q.first);
    });
    if (unclaimed) continue;
    route.op = rule.op;
    // UploadPartCopy is UploadPart's request naming a source instead of carrying a body.
    if (route.op == Op::kUploadPart && request.Header("x-amz-copy-source")) {
      route.op = Op::kUploadPartCopy;
    }
    // CopyObject is PutObject's request naming a source instead of carrying a body.
    if (route.op == Op::kPutObject && request.Header("x-amz-copy-source")) {
      route.op = Op::kCopyObject;
    }
    return route;
  }
  if (!method_known_for_target && request.method != "POST" && request.method != "OPTIONS") {
    return Error(ErrorCode::kMethodNotAllowed);
  }
  return Error(ErrorCode::kNotImplemented);
}

}  // namespace stratus::s3
