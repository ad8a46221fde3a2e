// LocalDataWriter: one new data file being written to <drive>/tmp/<id>. Bytes are gathered
// into 1 MiB blocks (bounded memory), each block's CRC-32C is kept, and Commit appends the
// checksums and trailer, fsyncs, renames into data/ab/cd/ and fsyncs that directory. A writer
// destroyed before a successful Commit unlinks its temporary file. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/local/drive_layout.h"
#include "storage/local/posix_file.h"
#include "storage/object_backend.h"

namespace stratus::storage {

class LocalDataWriter final : public DataWriter {
 public:
  // Creates tmp/<new id> and writes its header.
  static Result<std::unique_ptr<DataWriter>> Create(const DriveLayout& layout);
  ~LocalDataWriter() override;

  Status Write(std::span<const char> bytes) override;
  Result<std::string> Commit() override;

 private:
  LocalDataWriter(const DriveLayout& layout, std::string id, UniqueFd fd);
  Status FlushBlock();                             // writes out block_
  Status WriteBlock(std::span<const char> block);  // one whole or final block, with its CRC
  Status Finish();  // everything Commit does, without the cleanup on failure

  const DriveLayout layout_;
  const std::string id_;
  const std::string tmp_path_;
  UniqueFd fd_;
  std::string block_;  // the block being filled, at most kDataBlockSize bytes
  std::vector<uint32_t> block_crcs_;
  uint64_t data_length_ = 0;
  bool failed_ = false;  // after any error the writer only cleans up
  bool committed_ = false;
};

}  // namespace stratus::storage
