// Where things live on one local drive (docs/formats/data-files.md):
//
//   <drive>/format.json        what this drive is (DriveFormat); written once, atomically
//   <drive>/tmp/<id>           data being written; anything here after a crash is garbage
//   <drive>/data/ab/cd/<id>    committed data, id = 32 lowercase hex digits "abcd..."
//
// Keys never become paths: only ids the backend generated are turned into file names, and
// any other string is refused by IsValidDataId.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace stratus::storage {

// 16 random bytes, hex encoded.
std::string NewDataId();
bool IsValidDataId(std::string_view id);

class DriveLayout {
 public:
  explicit DriveLayout(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }
  std::string TmpDir() const { return root_ + "/tmp"; }
  std::string DataDir() const { return root_ + "/data"; }
  std::string TmpPath(std::string_view id) const;
  std::string DataPath(std::string_view id) const;  // id must be valid

  // Creates data/ab and data/ab/cd for `id` if missing, fsyncing each parent that gained an
  // entry, so the rename that follows lands in a durable directory.
  Status EnsureDataDirs(std::string_view id) const;

 private:
  std::string root_;
};

}  // namespace stratus::storage
