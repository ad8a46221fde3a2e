#include "storage/local/drive_layout.h"

#include "common/crypto.h"
#include "storage/local/posix_file.h"

namespace stratus::storage {

std::string NewDataId() { return HexEncode(RandomBytes(16)); }

bool IsValidDataId(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!hex) return false;
  }
  return true;
}

std::string DriveLayout::TmpPath(std::string_view id) const {
  std::string path = TmpDir();
  path += '/';
  path += id;
  return path;
}

std::string DriveLayout::DataPath(std::string_view id) const {
  std::string path = DataDir();
  path += '/';
  path += id.substr(0, 2);
  path += '/';
  path += id.substr(2, 2);
  path += '/';
  path += id;
  return path;
}

Status DriveLayout::EnsureDataDirs(std::string_view id) const {
  std::string parent = DataDir();
  for (size_t start : {0, 2}) {
    std::string dir = parent + "/" + std::string(id.substr(start, 2));
    bool created = false;
    RETURN_IF_ERROR(MakeDir(dir, &created));
    if (created) RETURN_IF_ERROR(FsyncDir(parent));
    parent = std::move(dir);
  }
  return Status::Ok();
}

}  // namespace stratus::storage
