// format.json: what a drive is, so a server never guesses (docs/formats/data-files.md).
//
//   {"format": "stratus-drive", "version": 1,
//    "deployment_id": "<32 hex>", "drive_id": "<32 hex>", "data_file_version": 1}
//
// A server refuses a drive whose format or version it does not know. Erasure-coded
// deployments will add the drive's index and the layout (a new version).
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace stratus::storage {

inline constexpr int kDriveFormatVersion = 1;

struct DriveFormat {
  std::string deployment_id;
  std::string drive_id;
  int data_file_version = 1;
};

std::string EncodeDriveFormat(const DriveFormat& format);
// kInternalError for anything that is not a format.json this version understands.
Result<DriveFormat> ParseDriveFormat(std::string_view json);

// Reads <drive>/format.json, or creates it (fresh ids) when the drive holds no data yet.
Result<DriveFormat> LoadOrCreateDriveFormat(const std::string& drive_dir);

}  // namespace stratus::storage
