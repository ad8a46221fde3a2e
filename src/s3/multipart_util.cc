#include "s3/multipart_util.h"

#include <charconv>

#include "common/crypto.h"
#include "s3/handler_util.h"

namespace stratus::s3 {

Result<uint32_t> ParsePartNumber(const http::Request& request) {
  std::string_view text = request.Query("partNumber").value_or("");
  uint32_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || number < 1 ||
      number > kMaxPartNumber) {
    return Error(ErrorCode::kInvalidArgument,
                 "Part number must be an integer between 1 and 10000, inclusive");
  }
  return number;
}

Result<meta::UploadRecord> RequireUpload(const Services& services, RequestContext& ctx) {
  std::string_view upload_id = ctx.request.Query("uploadId").value_or("");
  ASSIGN_OR_RETURN(std::optional<meta::UploadRecord> upload,
                   services.meta.GetUpload(ctx.route.bucket, ctx.route.key, upload_id));
  if (!upload) {
    RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
    return Error(ErrorCode::kNoSuchUpload);
  }
  return *std::move(upload);
}

std::optional<ChecksumAlgorithm> UploadAlgorithm(const meta::UploadRecord& upload) {
  if (upload.checksum_algorithm.empty()) return std::nullopt;
  return ParseChecksumAlgorithm(upload.checksum_algorithm);
}

Status CommitPart(const Services& services, const meta::UploadRecord& upload,
                  const meta::PartRecord& part) {
  auto replaced = services.meta.PutPart(upload.bucket, upload.key, upload.upload_id, part);
  if (!replaced) {
    // Aborted, completed or expired meanwhile: nothing refers to the new data.
    (void)services.backend.Remove(part.data_id);
    return replaced.error();
  }
  // A re-uploaded part replaces the earlier one, whose bytes go now.
  if (*replaced) (void)services.backend.Remove((*replaced)->data_id);
  return Status::Ok();
}

}  // namespace stratus::s3
