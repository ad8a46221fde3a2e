#include "s3/listing.h"

namespace stratus::s3 {

std::string CommonPrefixOf(const ListingShape& shape, std::string_view key) {
  if (shape.delimiter.empty() || !key.starts_with(shape.prefix)) return {};
  size_t at = key.find(shape.delimiter, shape.prefix.size());
  if (at == std::string_view::npos) return {};
  return std::string(key.substr(0, at + shape.delimiter.size()));
}

std::string ResumePoint(const ListingShape& shape, std::string marker) {
  if (!marker.empty() && CommonPrefixOf(shape, marker) == marker) marker += kAfterPrefix;
  return marker;
}

Result<ScanBatch<meta::ObjectRecord>> ObjectScan::Next(size_t limit) {
  ASSIGN_OR_RETURN(meta::ListObjectsPage page, meta_.ListObjects(bucket_, prefix_, after_, limit));
  if (!page.objects.empty()) after_ = page.objects.back().key;
  return ScanBatch<Record>{std::move(page.objects), page.truncated};
}

void ObjectScan::SkipPast(std::string_view prefix) {
  after_ = std::string(prefix) + std::string(kAfterPrefix);
}

Result<ScanBatch<meta::UploadRecord>> UploadScan::Next(size_t limit) {
  ASSIGN_OR_RETURN(meta::ListUploadsPage page,
                   meta_.ListUploads(bucket_, prefix_, key_after_, upload_id_after_, limit));
  if (!page.uploads.empty()) {
    key_after_ = page.uploads.back().key;
    upload_id_after_ = page.uploads.back().upload_id;
  }
  return ScanBatch<Record>{std::move(page.uploads), page.truncated};
}

void UploadScan::SkipPast(std::string_view prefix) {
  key_after_ = std::string(prefix) + std::string(kAfterPrefix);
  upload_id_after_.clear();
}

}  // namespace stratus::s3
