// MetaStore: buckets and object records. The one seam between the S3 layer and the metadata
// database (RocksDB today; RADOS omap later).
//
// Every mutation is durable when it returns OK (synced write). Implementations are
// thread-safe: the S3 layer calls them from many worker threads at once. Conditional and
// read-modify-write operations are atomic with respect to each other for the same key.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "meta/records.h"

namespace stratus::meta {

enum class DeleteBucketOutcome { kDeleted, kNoSuchBucket, kNotEmpty };

// Decides, under the store's per-key lock, whether a write may replace what is there now
// (nullopt: no object). Returns OK to proceed, or the error to answer (PreconditionFailed).
using WritePrecondition = std::function<Status(const std::optional<ObjectRecord>& current)>;

struct ListObjectsPage {
  std::vector<ObjectRecord> objects;  // in key byte order; data.inline_data left empty
  bool truncated = false;
};

class MetaStore {
 public:
  virtual ~MetaStore() = default;

  // Returns false (and changes nothing) when the bucket already exists.
  virtual Result<bool> CreateBucket(const BucketRecord& bucket) = 0;
  virtual Result<std::optional<BucketRecord>> GetBucket(std::string_view name) = 0;
  virtual Result<std::vector<BucketRecord>> ListBuckets() = 0;  // sorted by name
  // Refuses a bucket that holds objects, atomically with concurrent PutObject.
  virtual Result<DeleteBucketOutcome> DeleteBucket(std::string_view name) = 0;

  virtual Result<std::optional<ObjectRecord>> GetObject(std::string_view bucket,
                                                        std::string_view key) = 0;
  // Stores `object` (replacing any record of that key) if `precondition` allows; returns the
  // record it replaced so the caller can release its data. Fails with NoSuchBucket when the
  // bucket is gone.
  virtual Result<std::optional<ObjectRecord>> PutObject(const ObjectRecord& object,
                                                        const WritePrecondition& precondition) = 0;
  // Removes the record; returns it (nullopt when there was none).
  virtual Result<std::optional<ObjectRecord>> DeleteObject(std::string_view bucket,
                                                           std::string_view key) = 0;
  // Objects with keys > start_after (and starting with prefix), at most `limit` of them.
  virtual Result<ListObjectsPage> ListObjects(std::string_view bucket, std::string_view prefix,
                                              std::string_view start_after, size_t limit) = 0;

  // Whether any object record refers to this backend data id (for the orphan sweep).
  virtual Result<bool> IsDataReferenced(std::string_view data_id) = 0;
};

}  // namespace stratus::meta
