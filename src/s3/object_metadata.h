// The metadata a client attaches to an object (Content-Type and friends, x-amz-meta-*), how
// it is read from request headers and written back onto responses.
#pragma once

#include "common/status.h"
#include "http/headers.h"
#include "meta/records.h"

namespace stratus::s3 {

// S3's limit on user-defined metadata: the UTF-8 bytes of every x-amz-meta-* name (without
// the prefix) and value together.
inline constexpr size_t kMaxUserMetadataBytes = 2 * 1024;

struct ObjectMetadata {
  std::vector<std::pair<std::string, std::string>> system;  // Content-Type, ...
  std::vector<std::pair<std::string, std::string>> user;    // x-amz-meta-* (prefix removed)
};

// MetadataTooLarge beyond kMaxUserMetadataBytes.
Result<ObjectMetadata> ParseObjectMetadata(const http::Headers& headers);

// Content-Type and the other stored headers, x-amz-meta-*, ETag, Last-Modified,
// Accept-Ranges, x-amz-tagging-count. (Content-Length and checksums depend on the request; the
// caller sets them.)
void AddObjectHeaders(const meta::ObjectRecord& object, http::Headers& headers);

}  // namespace stratus::s3
