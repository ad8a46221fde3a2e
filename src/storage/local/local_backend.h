// LocalBackend: an ObjectBackend on one drive directory, one plain file per object, named by a
// random id (layout: storage/local/drive_layout.h; formats: docs/formats/data-files.md).
//
// Thread-safe: the backend holds no mutable state; every writer and reader owns its own file.
// SweepOrphans must run alone (start-up, before serving): it deletes every in-progress write.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "storage/object_backend.h"

namespace stratus::storage {

// Opens the drive at `drive_dir`, creating the directory, format.json, tmp/ and data/ on a
// fresh drive. Refuses a drive whose format.json is unknown, malformed or missing while data/
// exists.
Result<std::unique_ptr<ObjectBackend>> OpenLocalBackend(const std::string& drive_dir);

}  // namespace stratus::storage
