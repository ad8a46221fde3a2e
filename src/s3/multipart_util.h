// Pieces the multipart handlers (multipart.cc, multipart_copy.cc, multipart_list.cc) share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/checksum.h"
#include "common/status.h"
#include "meta/records.h"
#include "s3/context.h"

namespace stratus::s3 {

inline constexpr uint32_t kMaxPartNumber = 10000;
// Every part but the last must be at least this large (S3's limit).
inline constexpr uint64_t kMinPartBytes = 5ULL * 1024 * 1024;

// ?partNumber= as UploadPart takes it: 1..10000, else InvalidArgument.
Result<uint32_t> ParsePartNumber(const http::Request& request);

// The upload ?uploadId= names for the route's key: NoSuchBucket, then NoSuchUpload.
Result<meta::UploadRecord> RequireUpload(const Services& services, RequestContext& ctx);

// The checksum algorithm an upload was created with, if any.
std::optional<ChecksumAlgorithm> UploadAlgorithm(const meta::UploadRecord& upload);

// Records a part whose data is committed as `data_id`: stores it (replacing an earlier part
// with its number, whose data is then removed) or, on failure, removes the new data.
Status CommitPart(const Services& services, const meta::UploadRecord& upload,
                  const meta::PartRecord& part);

}  // namespace stratus::s3
