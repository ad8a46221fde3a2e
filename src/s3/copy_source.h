// The x-amz-copy-source header of CopyObject and UploadPartCopy, and streaming a source's
// bytes into their new place. Pure parsing; thread-safe.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "common/checksum.h"
#include "common/status.h"
#include "http/request.h"

namespace stratus::s3 {

struct CopySource {
  std::string bucket;
  std::string key;  // decoded
};

// "bucket/key" or "/bucket/key", percent-encoded, optionally followed by "?versionId=<id>".
// Unversioned buckets: only versionId=null (the current object) is served, any other version
// is NotImplemented. No bucket or no key: InvalidArgument, as S3 answers.
Result<CopySource> ParseCopySource(std::string_view value);

// Streams `source` to its end into `sink` in chunks of up to 1 MiB, each hashed by
// `checksums` on the way; returns the digests and the number of bytes.
struct CopiedBytes {
  ChecksumValues checksums;
  uint64_t size = 0;
};
Result<CopiedBytes> CopyBytes(http::BodySource& source, ChecksumSet& checksums,
                              const std::function<Status(std::span<const char>)>& sink);

}  // namespace stratus::s3
