// ObjectBackend: where object bytes live when they are too large to sit in their metadata
// record. The local implementation keeps one file per object, named by a random id, on a
// drive; keys never appear in it. Formats: docs/formats/data-files.md.
//
// Thread-safe: many workers create, read and remove data concurrently. Every call may block
// on the disk and is made from a worker thread, never an io thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/request.h"

namespace stratus::storage {

// A new object's bytes being written. Nothing is visible or referenced until Commit; a writer
// destroyed without Commit (body cut short, checksum failure) removes what it wrote.
class DataWriter {
 public:
  virtual ~DataWriter() = default;
  virtual Status Write(std::span<const char> bytes) = 0;
  // Makes the bytes durable (data and directory fsync) and returns the data id to store in
  // the object record. After a crash, a committed id that no record references is an orphan
  // that SweepOrphans removes.
  virtual Result<std::string> Commit() = 0;
};

class ObjectBackend {
 public:
  virtual ~ObjectBackend() = default;

  virtual Result<std::unique_ptr<DataWriter>> Create() = 0;
  // Streams bytes [offset, offset + length) of a committed object, verifying each block's
  // checksum on the way out (a mismatch is an error, never returned as data).
  virtual Result<std::unique_ptr<http::BodySource>> Open(std::string_view data_id, uint64_t offset,
                                                         uint64_t length) = 0;
  // Removes a committed object's data. Readers that already opened it finish reading.
  virtual Status Remove(std::string_view data_id) = 0;
  // Removes data left by a crash: unfinished writes, and committed data for which
  // `is_referenced` says no record exists. Called at start-up, before serving.
  virtual Status SweepOrphans(
      const std::function<Result<bool>(std::string_view)>& is_referenced) = 0;
};

}  // namespace stratus::storage
