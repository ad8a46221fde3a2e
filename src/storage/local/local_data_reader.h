// LocalDataReader: streams a byte range of one committed data file. It reads whole blocks with
// pread, straight into the caller's buffer when the caller wants a whole block (else into one
// block buffer of its own, 1 MiB), checks each block's CRC-32C before handing out any byte of
// it, and logs and fails on a mismatch ("bitrot"). Holds its file descriptor open, so a
// concurrent Remove does not cut it short. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "http/request.h"
#include "storage/local/data_file.h"
#include "storage/local/posix_file.h"

namespace stratus::storage {

class LocalDataReader final : public http::BodySource {
 public:
  // Opens `path` and validates its header and trailer. A range beyond the data is
  // kInvalidRange; a missing, unreadable or malformed file is kInternalError (whether the
  // object was replaced since its record was read is for the caller to find out).
  static Result<std::unique_ptr<http::BodySource>> Open(const std::string& path, uint64_t offset,
                                                        uint64_t length);

  Result<size_t> Read(std::span<char> buffer) override;

 private:
  LocalDataReader(std::string path, UniqueFd fd, DataFileLayout layout, uint64_t offset,
                  uint64_t end);
  // Reads block `block` into `into` (its exact length) and checks its CRC-32C.
  Status ReadVerifiedBlock(uint64_t block, std::span<char> into);

  const std::string path_;
  UniqueFd fd_;
  const DataFileLayout layout_;
  uint64_t position_;  // next data byte to return
  const uint64_t end_;
  // A block kept for reads that want less than a whole block (ranges, small buffers):
  // allocated on first use, and holding the verified bytes of loaded_block_.
  std::unique_ptr<char[]> block_;
  uint64_t loaded_block_ = ~0ULL;  // none yet
  bool failed_ = false;
};

}  // namespace stratus::storage
