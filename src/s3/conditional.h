// HTTP preconditions (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since) as S3
// evaluates them: RFC 9110 section 13.2.2's order for reads, S3's 2024 conditional writes for
// PutObject and CompleteMultipartUpload, and the x-amz-copy-source-if-* family for CopyObject.
// Pure functions over the request headers and the object's current state; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "http/headers.h"

namespace stratus::s3 {

// What the preconditions are evaluated against.
struct ObjectState {
  std::string etag;  // unquoted: "d41d8cd98f00b204e9800998ecf8427e" or "<hex>-<parts>"
  int64_t modified_unix_seconds = 0;  // Last-Modified, truncated to whole seconds
};

// GetObject / HeadObject. Returns OK to serve the object, kNotModified (304) or
// kPreconditionFailed (412).
Status EvaluateReadConditions(const http::Headers& headers, const ObjectState& object);

// PutObject / CompleteMultipartUpload, given the object currently at the key (if any):
//   If-None-Match: *   -> kPreconditionFailed when an object exists;
//   If-Match: "etag"   -> kNoSuchKey when none exists, kPreconditionFailed when it differs.
// If-None-Match with anything but "*", or both headers together, is kNotImplemented as S3
// answers. The date headers are not conditions on writes and are ignored.
Status EvaluateWriteConditions(const http::Headers& headers,
                               const std::optional<ObjectState>& current);

// CopyObject / UploadPartCopy source preconditions (x-amz-copy-source-if-match, ...-none-match,
// ...-modified-since, ...-unmodified-since): the same order as reads, but every failure is
// kPreconditionFailed.
Status EvaluateCopySourceConditions(const http::Headers& headers, const ObjectState& source);

// Whether an If-Match / If-None-Match field value ("*", "\"a\", W/\"b\"", or an unquoted tag)
// names the etag. Strong comparison ignores weak tags (If-Match); weak comparison does not
// (If-None-Match).
enum class EtagComparison { kStrong, kWeak };
bool EtagListMatches(std::string_view field_value, std::string_view etag,
                     EtagComparison comparison);

}  // namespace stratus::s3
