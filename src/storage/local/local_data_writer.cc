// Commit order and what a crash at each step leaves: docs/formats/data-files.md.
#include "storage/local/local_data_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "storage/local/data_file.h"

namespace stratus::storage {

Result<std::unique_ptr<DataWriter>> LocalDataWriter::Create(const DriveLayout& layout) {
  std::string id = NewDataId();
  std::string path = layout.TmpPath(id);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd.valid()) return Error(ErrnoStatus("open", path, errno));
  std::unique_ptr<LocalDataWriter> writer(new LocalDataWriter(layout, id, std::move(fd)));
  std::string header = EncodeDataHeader(kDataBlockSize);
  RETURN_IF_ERROR(WriteAll(writer->fd_.get(), header, writer->tmp_path_));
  return writer;
}

LocalDataWriter::LocalDataWriter(const DriveLayout& layout, std::string id, UniqueFd fd)
    : layout_(layout), id_(std::move(id)), tmp_path_(layout.TmpPath(id_)), fd_(std::move(fd)) {}

LocalDataWriter::~LocalDataWriter() {
  if (committed_) return;
  fd_.Reset();
  (void)UnlinkIfExists(tmp_path_);
}

Status LocalDataWriter::Write(std::span<const char> bytes) {
  if (failed_ || committed_) return Status::Internal("write to a finished data writer");
  while (!bytes.empty()) {
    if (block_.empty() && bytes.size() >= kDataBlockSize) {
      // A whole block in the caller's buffer (the usual 1 MiB body chunk): write it from there.
      Status status = WriteBlock(bytes.first(kDataBlockSize));
      if (!status.ok()) {
        failed_ = true;
        return status;
      }
      bytes = bytes.subspan(kDataBlockSize);
      continue;
    }
    if (block_.capacity() < kDataBlockSize) block_.reserve(kDataBlockSize);
    size_t n = std::min<size_t>(bytes.size(), kDataBlockSize - block_.size());
    block_.append(bytes.data(), n);
    bytes = bytes.subspan(n);
    if (block_.size() == kDataBlockSize) {
      Status status = FlushBlock();
      if (!status.ok()) {
        failed_ = true;
        return status;
      }
    }
  }
  return Status::Ok();
}

Status LocalDataWriter::FlushBlock() {
  if (block_.empty()) return Status::Ok();
  RETURN_IF_ERROR(WriteBlock(block_));
  block_.clear();
  return Status::Ok();
}

Status LocalDataWriter::WriteBlock(std::span<const char> block) {
  block_crcs_.push_back(Crc32c(block));
  data_length_ += block.size();
  return WriteAll(fd_.get(), block, tmp_path_);
}

Result<std::string> LocalDataWriter::Commit() {
  if (failed_ || committed_) return Error(Status::Internal("commit of a finished data writer"));
  Status status = Finish();
  if (!status.ok()) {
    failed_ = true;
    return Error(std::move(status));
  }
  committed_ = true;
  return id_;
}

Status LocalDataWriter::Finish() {
  RETURN_IF_ERROR(FlushBlock());
  std::string tail;
  tail.reserve(4 * block_crcs_.size() + kDataTrailerSize);
  for (uint32_t crc : block_crcs_) PutFixed32(tail, crc);
  tail += EncodeDataTrailer({.block_size = kDataBlockSize, .data_length = data_length_});
  RETURN_IF_ERROR(WriteAll(fd_.get(), tail, tmp_path_));
  RETURN_IF_ERROR(Fsync(fd_.get(), tmp_path_));
  RETURN_IF_ERROR(fd_.Close(tmp_path_));

  RETURN_IF_ERROR(layout_.EnsureDataDirs(id_));
  std::string path = layout_.DataPath(id_);
  if (::rename(tmp_path_.c_str(), path.c_str()) != 0) return ErrnoStatus("rename", path, errno);
  // The leaf directory gained the entry; tmp/ losing it needs no sync (a crash that resurrects
  // it there leaves garbage the sweep removes).
  Status status = FsyncDir(path.substr(0, path.size() - id_.size() - 1));
  if (!status.ok()) (void)UnlinkIfExists(path);
  return status;
}

}  // namespace stratus::storage
