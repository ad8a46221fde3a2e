#include "storage/local/local_data_reader.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

namespace stratus::storage {

Result<std::unique_ptr<http::BodySource>> LocalDataReader::Open(const std::string& path,
                                                                uint64_t offset, uint64_t length) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    // Missing is no different from unreadable here: a record still names this file, or the
    // caller, having re-read the record, tries the new one.
    return Error(ErrnoStatus("open", path, errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error(ErrnoStatus("fstat", path, errno));
  auto file_size = static_cast<uint64_t>(st.st_size);
  if (file_size < kDataHeaderSize + kDataTrailerSize) {
    return Error(Status::Internal("corrupt data file " + path + ": too short"));
  }
  std::string header(kDataHeaderSize, '\0');
  RETURN_IF_ERROR(PReadExact(fd.get(), header, 0, path));
  ASSIGN_OR_RETURN(uint32_t block_size, ParseDataHeader(header));
  std::string trailer(kDataTrailerSize, '\0');
  RETURN_IF_ERROR(PReadExact(fd.get(), trailer, file_size - kDataTrailerSize, path));
  ASSIGN_OR_RETURN(DataFileLayout layout, ParseDataTrailer(trailer, block_size, file_size));
  if (offset > layout.data_length || length > layout.data_length - offset) {
    return Error(ErrorCode::kInvalidRange, "range beyond the object's data");
  }
  return std::unique_ptr<http::BodySource>(
      new LocalDataReader(path, std::move(fd), layout, offset, offset + length));
}

LocalDataReader::LocalDataReader(std::string path, UniqueFd fd, DataFileLayout layout,
                                 uint64_t offset, uint64_t end)
    : path_(std::move(path)), fd_(std::move(fd)), layout_(layout), position_(offset), end_(end) {}

Result<size_t> LocalDataReader::Read(std::span<char> buffer) {
  if (failed_) return Error(Status::Internal("read from a failed data stream"));
  if (position_ == end_ || buffer.empty()) return 0;
  const uint64_t block = position_ / layout_.block_size;
  const uint64_t block_start = block * layout_.block_size;
  const uint64_t block_length = layout_.BlockLength(block);
  const bool whole_block_wanted = position_ == block_start && end_ - block_start >= block_length;
  std::span<const char> verified;
  if (block == loaded_block_) {
    verified = {block_.get(), block_length};
  } else if (whole_block_wanted && buffer.size() >= block_length) {
    // The common case of a streamed GET: verify the block where the caller wants it, no copy.
    if (Status status = ReadVerifiedBlock(block, buffer.first(block_length)); !status.ok()) {
      failed_ = true;
      return Error(std::move(status));
    }
    position_ += block_length;
    return block_length;
  } else {
    if (!block_) block_ = std::make_unique_for_overwrite<char[]>(layout_.block_size);
    loaded_block_ = ~0ULL;
    if (Status status = ReadVerifiedBlock(block, {block_.get(), block_length}); !status.ok()) {
      failed_ = true;
      return Error(std::move(status));
    }
    loaded_block_ = block;
    verified = {block_.get(), block_length};
  }
  uint64_t in_block = position_ - block_start;
  uint64_t block_end = std::min<uint64_t>(block_length, end_ - block_start);
  size_t n = std::min<uint64_t>(buffer.size(), block_end - in_block);
  std::memcpy(buffer.data(), verified.data() + in_block, n);
  position_ += n;
  return n;
}

Status LocalDataReader::ReadVerifiedBlock(uint64_t block, std::span<char> into) {
  RETURN_IF_ERROR(PReadExact(fd_.get(), into, layout_.BlockOffset(block), path_));
  char stored_bytes[4];
  RETURN_IF_ERROR(PReadExact(fd_.get(), stored_bytes, layout_.CrcOffset(block), path_));
  uint32_t stored = GetFixed32(stored_bytes);
  uint32_t computed = Crc32c(into);
  if (stored != computed) {
    spdlog::error("bitrot: data file {} block {}: stored crc32c {:08x}, computed {:08x}", path_,
                  block, stored, computed);
    return Status::Internal("bitrot detected in " + path_ + " block " + std::to_string(block));
  }
  return Status::Ok();
}

}  // namespace stratus::storage
