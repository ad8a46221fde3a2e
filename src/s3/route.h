// MatchRoute: which S3 operation a request names, and on which bucket and key.
// The operations are a declarative table (route.cc), most specific rows first.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "http/request.h"

namespace stratus::s3 {

// S3 operations keep AWS's names so one grep finds the op, its handler, logs and metrics.
#define STRATUS_S3_OPS(X)    \
  X(ListBuckets)             \
  X(CreateBucket)            \
  X(HeadBucket)              \
  X(DeleteBucket)            \
  X(GetBucketLocation)       \
  X(GetBucketCors)           \
  X(PutBucketCors)           \
  X(DeleteBucketCors)        \
  X(OptionsPreflight)        \
  X(PostObject)              \
  X(ListObjects)             \
  X(ListObjectsV2)           \
  X(PutObject)               \
  X(GetObject)               \
  X(HeadObject)              \
  X(DeleteObject)            \
  X(CreateMultipartUpload)   \
  X(UploadPart)              \
  X(UploadPartCopy)          \
  X(CompleteMultipartUpload) \
  X(AbortMultipartUpload)    \
  X(ListParts)               \
  X(ListMultipartUploads)    \
  X(CopyObject)              \
  X(DeleteObjects)           \
  X(PutObjectTagging)        \
  X(GetObjectTagging)        \
  X(DeleteObjectTagging)     \
  X(PutBucketTagging)        \
  X(GetBucketTagging)        \
  X(DeleteBucketTagging)     \
  X(GetObjectAttributes)

enum class Op {
#define STRATUS_OP_ENUM(name) k##name,
  STRATUS_S3_OPS(STRATUS_OP_ENUM)
#undef STRATUS_OP_ENUM
};

std::string_view OpName(Op op);

struct Route {
  Op op;
  std::string bucket;       // empty for service-level operations
  std::string key;          // decoded; empty for bucket-level operations
  bool host_style = false;  // the bucket came from the Host header
};

// Splits path-style (/bucket/key) or virtual-hosted-style (bucket.<domain>/key) requests and
// picks the operation. Requests for operations not built yet → NotImplemented; a method a
// resource never accepts → MethodNotAllowed.
Result<Route> MatchRoute(const http::Request& request, std::string_view domain);

}  // namespace stratus::s3
