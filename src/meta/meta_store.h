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

// Receives what PutObject returns: the record replaced, or why nothing was stored.
using PutObjectCallback = std::function<void(Result<std::optional<ObjectRecord>>)>;

struct ListPartsPage {
  std::vector<PartRecord> parts;  // in part number order
  bool truncated = false;
};

struct ListUploadsPage {
  std::vector<UploadRecord> uploads;  // in key order, then upload id (initiation) order
  bool truncated = false;
};

// CompleteUpload's decision, made under the key's lock from the upload and all its parts (in
// number order): the object record to store, or the error to answer (InvalidPart, ...).
using CompleteUploadBuilder = std::function<Result<ObjectRecord>(
    const UploadRecord& upload, const std::vector<PartRecord>& parts)>;

struct CompletedUpload {
  ObjectRecord object;                   // what was stored
  std::optional<ObjectRecord> replaced;  // the object it replaced, whose data to release
  std::vector<PartRecord> unused_parts;  // uploaded parts the object does not use
};

struct ListObjectsPage {
  std::vector<ObjectRecord> objects;  // in key byte order; data.inline_data left empty
  bool truncated = false;
};

struct ListBucketsPage {
  std::vector<BucketRecord> buckets;  // by name
  bool truncated = false;
};

class MetaStore {
 public:
  virtual ~MetaStore() = default;

  // Returns false (and changes nothing) when the bucket already exists.
  virtual Result<bool> CreateBucket(const BucketRecord& bucket) = 0;
  virtual Result<std::optional<BucketRecord>> GetBucket(std::string_view name) = 0;
  // Up to `limit` buckets whose names start with `prefix` and sort after `start_after`.
  virtual Result<ListBucketsPage> ListBuckets(std::string_view prefix, std::string_view start_after,
                                              size_t limit) = 0;
  // Refuses a bucket that holds objects, atomically with concurrent PutObject.
  Result<DeleteBucketOutcome> DeleteBucket(std::string_view name) {
    return DeleteBucket(name, nullptr);
  }
  // Uploads in progress do not keep a bucket alive: they are deleted with it, and the data ids
  // of their parts appended to `released_data` (if given) for the caller to remove.
  virtual Result<DeleteBucketOutcome> DeleteBucket(std::string_view name,
                                                   std::vector<std::string>* released_data) = 0;
  // Changes a bucket's record (its configurations) atomically: `mutate` runs under the
  // bucket's lock on the current record and its result is written in one synced batch. An
  // error from `mutate` is returned and nothing is written. NoSuchBucket when it is gone.
  virtual Status UpdateBucket(std::string_view name,
                              const std::function<Status(BucketRecord&)>& mutate) = 0;

  virtual Result<std::optional<ObjectRecord>> GetObject(std::string_view bucket,
                                                        std::string_view key) = 0;
  // Stores `object` (replacing any record of that key) if `precondition` allows; returns the
  // record it replaced so the caller can release its data. Fails with NoSuchBucket when the
  // bucket is gone.
  virtual Result<std::optional<ObjectRecord>> PutObject(const ObjectRecord& object,
                                                        const WritePrecondition& precondition) = 0;
  // PutObject without waiting, for callers that must not block (io threads): `done` gets
  // PutObject's result once the write is durable, on a thread of the store's, or on the
  // caller's before this returns when the record is refused at once. `precondition` runs on
  // the store's thread, so what it refers to must live until `done` is called. This default
  // waits; a store that groups writes overrides it.
  virtual void PutObjectAsync(ObjectRecord object, WritePrecondition precondition,
                              PutObjectCallback done) {
    done(PutObject(object, precondition));
  }
  // Removes the record; returns it (nullopt when there was none).
  virtual Result<std::optional<ObjectRecord>> DeleteObject(std::string_view bucket,
                                                           std::string_view key) = 0;
  // Objects with keys > start_after (and starting with prefix), at most `limit` of them.
  virtual Result<ListObjectsPage> ListObjects(std::string_view bucket, std::string_view prefix,
                                              std::string_view start_after, size_t limit) = 0;

  // Whether any object or part record refers to this backend data id (for the orphan sweep).
  virtual Result<bool> IsDataReferenced(std::string_view data_id) = 0;

  // Multipart uploads (docs/formats/metadata.md). All fail with NoSuchBucket when the bucket is
  // gone; PutPart, CompleteUpload and AbortUpload with NoSuchUpload when the upload is.
  virtual Status CreateUpload(const UploadRecord& upload) = 0;
  virtual Result<std::optional<UploadRecord>> GetUpload(std::string_view bucket,
                                                        std::string_view key,
                                                        std::string_view upload_id) = 0;
  // Stores a part (replacing one with the same number); returns the replaced part, whose data
  // the caller removes.
  virtual Result<std::optional<PartRecord>> PutPart(std::string_view bucket, std::string_view key,
                                                    std::string_view upload_id,
                                                    const PartRecord& part) = 0;
  // Parts numbered above `after_part`, at most `limit` of them.
  virtual Result<ListPartsPage> ListParts(std::string_view upload_id, uint32_t after_part,
                                          size_t limit) = 0;
  // Atomically (one batch): the object record `build` returns replaces the key's object if
  // `precondition` allows, the upload and all its part records go, and (with a non-empty
  // `parts_digest`) a completion record that recognises a retry of this completion stays.
  virtual Result<CompletedUpload> CompleteUpload(std::string_view bucket, std::string_view key,
                                                 std::string_view upload_id,
                                                 const CompleteUploadBuilder& build,
                                                 const WritePrecondition& precondition,
                                                 std::string_view parts_digest = {}) = 0;
  // The completion record of a completed upload, if it is still kept.
  virtual Result<std::optional<CompletionRecord>> GetCompletion(std::string_view bucket,
                                                                std::string_view key,
                                                                std::string_view upload_id) = 0;
  // Forgets the completions made before `cutoff_ns`; how many went.
  virtual Result<size_t> DeleteCompletionsBefore(int64_t cutoff_ns) = 0;
  // Removes the upload and its part records; returns the parts (nullopt: no such upload).
  virtual Result<std::optional<std::vector<PartRecord>>> AbortUpload(
      std::string_view bucket, std::string_view key, std::string_view upload_id) = 0;
  // Uploads of `bucket` whose key starts with `prefix`, after (key_marker, upload_id_marker):
  // with an empty upload_id_marker, after every upload of key_marker.
  virtual Result<ListUploadsPage> ListUploads(std::string_view bucket, std::string_view prefix,
                                              std::string_view key_marker,
                                              std::string_view upload_id_marker, size_t limit) = 0;
  // Every upload, of any bucket, initiated before `cutoff_ns` (for expiry).
  virtual Result<std::vector<UploadRecord>> ListUploadsInitiatedBefore(int64_t cutoff_ns) = 0;
};

}  // namespace stratus::meta
