// Thin wrappers over the POSIX calls the local backend makes, each turning a failure into a
// kInternalError Status that names the call, the path and strerror(errno). They retry EINTR
// and short reads/writes, and nothing more: policy (what to fsync, when) stays with callers.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stratus::storage {

// kInternalError "<call> <path>: <strerror(err)>".
Status ErrnoStatus(std::string_view call, std::string_view path, int err);

// Writes all of `bytes` at the file's current offset.
Status WriteAll(int fd, std::span<const char> bytes, std::string_view path);
// Reads exactly buffer.size() bytes at `offset`; a file shorter than that is an error.
Status PReadExact(int fd, std::span<char> buffer, uint64_t offset, std::string_view path);
Status Fsync(int fd, std::string_view path);
// Opens a directory and fsyncs it, so a rename or create inside it is durable.
Status FsyncDir(const std::string& path);
// Creates a directory; `created` tells whether it did (false: it existed already).
Status MakeDir(const std::string& path, bool* created);
// Unlinks a file; a file that is already gone is not an error.
Status UnlinkIfExists(const std::string& path);
// Writes `contents` to `path` atomically: temporary file, fsync, rename, directory fsync.
Status WriteFileAtomically(const std::string& dir, const std::string& name,
                           std::string_view contents);
// Reads a whole (small) file; nullopt when it does not exist.
Result<std::optional<std::string>> ReadSmallFile(const std::string& path);
// Names in a directory, without "." and "..", in no particular order.
Result<std::vector<std::string>> ListDir(const std::string& path);

// An owned file descriptor, closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset();
  // close(2) with its result (close can report a deferred write error).
  Status Close(std::string_view path);

 private:
  int fd_ = -1;
};

}  // namespace stratus::storage
