// ObjectWriter: receives an object's bytes and decides where they live. Objects up to the
// inline threshold stay in memory and go into their metadata record; the first byte past it
// spills everything to a backend DataWriter. Memory stays bounded by the threshold plus one
// chunk, whatever the object size.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "common/status.h"
#include "meta/meta_store.h"
#include "meta/records.h"
#include "s3/context.h"
#include "storage/object_backend.h"

namespace stratus::s3 {

class ObjectWriter {
 public:
  ObjectWriter(storage::ObjectBackend& backend, size_t inline_threshold)
      : backend_(backend), inline_threshold_(inline_threshold) {}

  Status Write(std::span<const char> bytes);
  // Makes the bytes durable (for data files: fsync) and says where they are. Without a call
  // to Commit, a spilled file is removed when the writer is destroyed.
  Result<meta::DataLocation> Commit();

  uint64_t size() const { return size_; }

 private:
  storage::ObjectBackend& backend_;
  size_t inline_threshold_;
  uint64_t size_ = 0;
  std::string buffer_;
  std::unique_ptr<storage::DataWriter> file_;
};

// Commits the writer's bytes into record.data and stores the record if `precondition` allows.
// On failure the new bytes are removed; on success, the bytes of the object it replaced (readers
// that opened them keep reading; the files go once they finish).
Status StoreObject(const Services& services, ObjectWriter& writer, meta::ObjectRecord& record,
                   const meta::WritePrecondition& precondition);

}  // namespace stratus::s3
