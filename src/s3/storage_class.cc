#include "s3/storage_class.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace stratus::s3 {
namespace {

// S3's classes that read like STANDARD (API reference, PutObject x-amz-storage-class).
constexpr std::array<std::string_view, 6> kAccepted = {
    kStandardClass, "REDUCED_REDUNDANCY",  "STANDARD_IA",
    "ONEZONE_IA",   "INTELLIGENT_TIERING", "GLACIER_IR",
};

// Valid S3 classes that stratus cannot honour: archives need a restore; the rest live only on
// AWS's own hardware or directory buckets.
constexpr std::array<std::string_view, 5> kRefused = {"GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "SNOW",
                                                      "EXPRESS_ONEZONE"};

}  // namespace

std::span<const std::string_view> AcceptedStorageClasses() { return kAccepted; }

Result<std::string> ParseStorageClass(std::string_view value) {
  if (std::find(kAccepted.begin(), kAccepted.end(), value) != kAccepted.end()) {
    return std::string(value);
  }
  if (std::find(kRefused.begin(), kRefused.end(), value) != kRefused.end()) {
    return Error(ErrorCode::kInvalidStorageClass,
                 fmt::format("The storage class you specified is not valid: {} is not offered "
                             "by this endpoint.",
                             value));
  }
  return Error(ErrorCode::kInvalidStorageClass);
}

Result<std::string> RequestedStorageClass(const http::Headers& headers) {
  auto value = headers.Get("x-amz-storage-class");
  if (!value) return std::string(kStandardClass);
  return ParseStorageClass(*value);
}

}  // namespace stratus::s3
