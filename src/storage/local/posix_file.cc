#include "storage/local/posix_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stratus::storage {

Status ErrnoStatus(std::string_view call, std::string_view path, int err) {
  std::string message(call);
  message += ' ';
  message += path;
  message += ": ";
  message += std::strerror(err);
  return Status::Internal(std::move(message));
}

Status WriteAll(int fd, std::span<const char> bytes, std::string_view path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", path, errno);
    }
    bytes = bytes.subspan(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status PReadExact(int fd, std::span<char> buffer, uint64_t offset, std::string_view path) {
  while (!buffer.empty()) {
    ssize_t n = ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("pread", path, errno);
    }
    if (n == 0) return Status::Internal("pread " + std::string(path) + ": unexpected end of file");
    buffer = buffer.subspan(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return Status::Ok();
}

Status Fsync(int fd, std::string_view path) {
  if (::fsync(fd) != 0) return ErrnoStatus("fsync", path, errno);
  return Status::Ok();
}

Status FsyncDir(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open", path, errno);
  RETURN_IF_ERROR(Fsync(fd.get(), path));
  return fd.Close(path);
}

Status MakeDir(const std::string& path, bool* created) {
  *created = false;
  if (::mkdir(path.c_str(), 0755) == 0) {
    *created = true;
    return Status::Ok();
  }
  if (errno != EEXIST) return ErrnoStatus("mkdir", path, errno);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
  if (!S_ISDIR(st.st_mode)) return Status::Internal(path + " exists and is not a directory");
  return Status::Ok();
}

Status UnlinkIfExists(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("unlink", path, errno);
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& dir, const std::string& name,
                           std::string_view contents) {
  std::string tmp_path = dir + "/." + name + ".tmp";
  std::string path = dir + "/" + name;
  UniqueFd fd(::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return ErrnoStatus("open", tmp_path, errno);
  Status status = WriteAll(fd.get(), contents, tmp_path);
  if (status.ok()) status = Fsync(fd.get(), tmp_path);
  if (status.ok()) status = fd.Close(tmp_path);
  if (status.ok() && ::rename(tmp_path.c_str(), path.c_str()) != 0) {
    status = ErrnoStatus("rename", tmp_path, errno);
  }
  if (!status.ok()) {
    (void)UnlinkIfExists(tmp_path);
    return status;
  }
  return FsyncDir(dir);
}

Result<std::optional<std::string>> ReadSmallFile(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return std::nullopt;
    return Error(ErrnoStatus("open", path, errno));
  }
  std::string contents;
  char buffer[4096];
  while (true) {
    ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(ErrnoStatus("read", path, errno));
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
    if (contents.size() > (1 << 20)) return Error(Status::Internal(path + " is too large"));
  }
  return contents;
}

Result<std::vector<std::string>> ListDir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return Error(ErrnoStatus("opendir", path, errno));
  std::vector<std::string> names;
  while (true) {
    errno = 0;
    struct dirent* entry = ::readdir(dir);
    if (entry == nullptr) break;
    std::string_view name(entry->d_name);
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int err = errno;
  ::closedir(dir);
  if (err != 0) return Error(ErrnoStatus("readdir", path, err));
  return names;
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    Reset();
    fd_ = other.Release();
  }
  return *this;
}

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status UniqueFd::Close(std::string_view path) {
  int fd = Release();
  if (fd >= 0 && ::close(fd) != 0) return ErrnoStatus("close", path, errno);
  return Status::Ok();
}

}  // namespace stratus::storage
