#include "storage/local/local_backend.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

#include "storage/local/drive_format.h"
#include "storage/local/drive_layout.h"
#include "storage/local/local_data_reader.h"
#include "storage/local/local_data_writer.h"
#include "storage/local/posix_file.h"

namespace stratus::storage {
namespace {

bool IsHexPair(std::string_view name) {
  return name.size() == 2 && IsValidDataId(std::string(name) + std::string(30, '0'));
}

class LocalBackend final : public ObjectBackend {
 public:
  explicit LocalBackend(std::string drive_dir) : layout_(std::move(drive_dir)) {}

  Result<std::unique_ptr<DataWriter>> Create() override { return LocalDataWriter::Create(layout_); }

  Result<std::unique_ptr<http::BodySource>> Open(std::string_view data_id, uint64_t offset,
                                                 uint64_t length) override {
    RETURN_IF_ERROR(CheckId(data_id));
    return LocalDataReader::Open(layout_.DataPath(data_id), offset, length);
  }

  Status Remove(std::string_view data_id) override {
    RETURN_IF_ERROR(CheckId(data_id));
    // No directory fsync: if the unlink is lost in a crash, the file is an orphan the sweep
    // removes, since no record references it any more.
    return UnlinkIfExists(layout_.DataPath(data_id));
  }

  Status SweepOrphans(const std::function<Result<bool>(std::string_view)>& is_referenced) override;

 private:
  static Status CheckId(std::string_view data_id) {
    if (IsValidDataId(data_id)) return Status::Ok();
    return Status::Internal("invalid data id '" + std::string(data_id) + "'");
  }
  Status SweepLeaf(const std::string& dir, std::string_view prefix,
                   const std::function<Result<bool>(std::string_view)>& is_referenced);

  DriveLayout layout_;
};

Status LocalBackend::SweepOrphans(
    const std::function<Result<bool>(std::string_view)>& is_referenced) {
  ASSIGN_OR_RETURN(std::vector<std::string> unfinished, ListDir(layout_.TmpDir()));
  for (const std::string& name : unfinished) {
    RETURN_IF_ERROR(UnlinkIfExists(layout_.TmpDir() + "/" + name));
  }
  if (!unfinished.empty()) spdlog::info("sweep: removed {} unfinished writes", unfinished.size());

  ASSIGN_OR_RETURN(std::vector<std::string> level1, ListDir(layout_.DataDir()));
  for (const std::string& a : level1) {
    if (!IsHexPair(a)) continue;
    std::string dir_a = layout_.DataDir() + "/" + a;
    ASSIGN_OR_RETURN(std::vector<std::string> level2, ListDir(dir_a));
    for (const std::string& b : level2) {
      if (!IsHexPair(b)) continue;
      RETURN_IF_ERROR(SweepLeaf(dir_a + "/" + b, a + b, is_referenced));
    }
  }
  return Status::Ok();
}

Status LocalBackend::SweepLeaf(const std::string& dir, std::string_view prefix,
                               const std::function<Result<bool>(std::string_view)>& is_referenced) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir));
  for (const std::string& name : names) {
    if (!IsValidDataId(name) || !name.starts_with(prefix)) {
      spdlog::warn("sweep: leaving unexpected file {}/{}", dir, name);
      continue;
    }
    ASSIGN_OR_RETURN(bool referenced, is_referenced(name));
    if (referenced) continue;
    spdlog::info("sweep: removing orphan data {}", name);
    RETURN_IF_ERROR(UnlinkIfExists(dir + "/" + name));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<ObjectBackend>> OpenLocalBackend(const std::string& drive_dir) {
  std::error_code ec;
  std::filesystem::create_directories(drive_dir, ec);
  if (ec) return Error(Status::Internal("create " + drive_dir + ": " + ec.message()));
  ASSIGN_OR_RETURN(DriveFormat format, LoadOrCreateDriveFormat(drive_dir));
  DriveLayout layout(drive_dir);
  bool created_tmp = false;
  bool created_data = false;
  RETURN_IF_ERROR(MakeDir(layout.TmpDir(), &created_tmp));
  RETURN_IF_ERROR(MakeDir(layout.DataDir(), &created_data));
  if (created_tmp || created_data) RETURN_IF_ERROR(FsyncDir(drive_dir));
  spdlog::debug("drive {}: deployment {}, drive {}", drive_dir, format.deployment_id,
                format.drive_id);
  return std::make_unique<LocalBackend>(drive_dir);
}

}  // namespace stratus::storage
