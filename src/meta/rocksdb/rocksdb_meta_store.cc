// Key layout and record encoding: docs/formats/metadata.md.
#include "meta/rocksdb/rocksdb_meta_store.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <shared_mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "meta/keys.h"
#include "meta/record_codec.h"
#include "meta/rocksdb/lock_stripes.h"
#include "meta/rocksdb/rocksdb_options.h"
#include "meta/upload_codec.h"
#include "meta/upload_keys.h"

namespace stratus::meta {
namespace {

Status FromRocks(const rocksdb::Status& status, std::string_view what) {
  return Status::Internal("rocksdb " + std::string(what) + ": " + status.ToString());
}

std::string_view View(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

// An iterator over [lower, PrefixSuccessor(prefix)); owns the bound it points RocksDB at.
class PrefixIterator {
 public:
  PrefixIterator(rocksdb::DB& db, std::string_view prefix)
      : upper_(*keys::PrefixSuccessor(prefix)), upper_slice_(upper_) {
    rocksdb::ReadOptions options;
    options.iterate_upper_bound = &upper_slice_;
    it_.reset(db.NewIterator(options));
  }
  rocksdb::Iterator* operator->() { return it_.get(); }

 private:
  std::string upper_;
  rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

// At most this many asynchronous puts share one synced write.
constexpr size_t kMaxCommitGroup = 256;

struct PendingPut {
  ObjectRecord object;
  WritePrecondition precondition;
  PutObjectCallback done;
};

// The stripes one commit group holds. The committer may wait for a lock only while it holds
// none; otherwise it only tries, and a put whose lock is taken waits for the next group. So
// it never waits holding a lock, and cannot deadlock with a caller holding one stripe of each
// kind. A put whose key stripe the group already holds waits too: it must see the earlier
// put's write.
class GroupLocks {
 public:
  explicit GroupLocks(LockStripes& stripes) : stripes_(stripes) {}
  ~GroupLocks() { ReleaseAll(); }
  GroupLocks(const GroupLocks&) = delete;
  GroupLocks& operator=(const GroupLocks&) = delete;

  // False when the put must wait for a later group.
  bool Acquire(std::string_view bucket, std::string_view key) {
    std::mutex& object = stripes_.ForObject(bucket, key);
    if (std::ranges::find(objects_, &object) != objects_.end()) return false;
    std::shared_mutex& bucket_lock = stripes_.ForBucket(bucket);
    const bool bucket_held = std::ranges::find(buckets_, &bucket_lock) != buckets_.end();
    if (empty()) {
      bucket_lock.lock_shared();
      object.lock();
    } else {
      if (!bucket_held && !bucket_lock.try_lock_shared()) return false;
      if (!object.try_lock()) {
        if (!bucket_held) bucket_lock.unlock_shared();
        return false;
      }
    }
    if (!bucket_held) buckets_.push_back(&bucket_lock);
    objects_.push_back(&object);
    return true;
  }

  void ReleaseAll() {
    for (std::mutex* object : objects_) object->unlock();
    for (std::shared_mutex* bucket : buckets_) bucket->unlock_shared();
    objects_.clear();
    buckets_.clear();
  }

 private:
  bool empty() const { return buckets_.empty(); }

  LockStripes& stripes_;
  std::vector<std::shared_mutex*> buckets_;
  std::vector<std::mutex*> objects_;
};

class RocksDbMetaStore final : public MetaStore {
 public:
  explicit RocksDbMetaStore(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {
    write_options_.sync = true;
    committer_ = std::thread([this] { CommitLoop(); });
  }
  ~RocksDbMetaStore() override {
    {
      std::lock_guard lock(commit_mu_);
      commit_stopping_ = true;
    }
    commit_cv_.notify_one();
    committer_.join();  // after every queued put is answered
    (void)db_->Close();
  }

  using MetaStore::DeleteBucket;
  Result<bool> CreateBucket(const BucketRecord& bucket) override;
  Result<std::optional<BucketRecord>> GetBucket(std::string_view name) override;
  Result<ListBucketsPage> ListBuckets(std::string_view prefix, std::string_view start_after,
                                      size_t limit) override;
  Result<DeleteBucketOutcome> DeleteBucket(std::string_view name,
                                           std::vector<std::string>* released_data) override;
  Status UpdateBucket(std::string_view name,
                      const std::function<Status(BucketRecord&)>& mutate) override;
  Result<std::optional<ObjectRecord>> GetObject(std::string_view bucket,
                                                std::string_view key) override;
  Result<std::optional<ObjectRecord>> PutObject(const ObjectRecord& object,
                                                const WritePrecondition& precondition) override;
  void PutObjectAsync(ObjectRecord object, WritePrecondition precondition,
                      PutObjectCallback done) override;
  Result<std::optional<ObjectRecord>> DeleteObject(std::string_view bucket,
                                                   std::string_view key) override;
  Result<ListObjectsPage> ListObjects(std::string_view bucket, std::string_view prefix,
                                      std::string_view start_after, size_t limit) override;
  Result<bool> IsDataReferenced(std::string_view data_id) override;

  Status CreateUpload(const UploadRecord& upload) override;
  Result<std::optional<UploadRecord>> GetUpload(std::string_view bucket, std::string_view key,
                                                std::string_view upload_id) override;
  Result<std::optional<PartRecord>> PutPart(std::string_view bucket, std::string_view key,
                                            std::string_view upload_id,
                                            const PartRecord& part) override;
  Result<ListPartsPage> ListParts(std::string_view upload_id, uint32_t after_part,
                                  size_t limit) override;
  Result<CompletedUpload> CompleteUpload(std::string_view bucket, std::string_view key,
                                         std::string_view upload_id,
                                         const CompleteUploadBuilder& build,
                                         const WritePrecondition& precondition,
                                         std::string_view parts_digest) override;
  Result<std::optional<CompletionRecord>> GetCompletion(std::string_view bucket,
                                                        std::string_view key,
                                                        std::string_view upload_id) override;
  Result<size_t> DeleteCompletionsBefore(int64_t cutoff_ns) override;
  Result<std::optional<std::vector<PartRecord>>> AbortUpload(std::string_view bucket,
                                                             std::string_view key,
                                                             std::string_view upload_id) override;
  Result<ListUploadsPage> ListUploads(std::string_view bucket, std::string_view prefix,
                                      std::string_view key_marker,
                                      std::string_view upload_id_marker, size_t limit) override;
  Result<std::vector<UploadRecord>> ListUploadsInitiatedBefore(int64_t cutoff_ns) override;

 private:
  Result<std::vector<PartRecord>> AllParts(std::string_view upload_id);
  // Deletes an upload's record, its part records and their data references.
  static void DeleteUploadKeys(rocksdb::WriteBatch& batch, const UploadRecord& upload,
                               const std::vector<PartRecord>& parts);
  Result<std::optional<std::string>> GetRaw(const std::string& key);
  Status Write(rocksdb::WriteBatch& batch);
  // Under the key's stripes: checks the bucket and the precondition against the current
  // record, adds the put to `batch`, and returns the record it replaces.
  Result<std::optional<ObjectRecord>> AddPut(rocksdb::WriteBatch& batch, const ObjectRecord& object,
                                             const WritePrecondition& precondition);
  // The committer thread: PutObjectAsync's puts, written in groups of one synced batch each.
  void CommitLoop();
  // Commits what it can of `pending` in one batch and answers those puts; returns the ones
  // that must wait for the next group.
  std::deque<PendingPut> CommitGroup(std::deque<PendingPut> pending);
  // The data-reference edits that go with replacing `old` by `now` (either may be absent).
  static void UpdateDataRefs(rocksdb::WriteBatch& batch, const ObjectRecord* old,
                             const ObjectRecord* now);

  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions write_options_;
  LockStripes locks_;

  std::mutex commit_mu_;
  std::condition_variable commit_cv_;
  std::deque<PendingPut> commit_queue_;  // guarded by commit_mu_
  bool commit_stopping_ = false;         // guarded by commit_mu_
  std::thread committer_;
};

Status CheckObjectRecord(const ObjectRecord& object) {
  if (!keys::IsEncodable(object.bucket)) return Status(ErrorCode::kNoSuchBucket);
  if (object.key.empty() || !keys::IsEncodable(object.key)) {
    return Status(ErrorCode::kInvalidArgument, "object key is empty or contains a NUL byte");
  }
  if (object.data.is_inline() && object.data.inline_data.size() != object.size) {
    return Status::Internal("inline data length differs from object size");
  }
  return Status::Ok();
}

Result<std::optional<std::string>> RocksDbMetaStore::GetRaw(const std::string& key) {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), key, &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) return Error(FromRocks(status, "get"));
  return value;
}

Status RocksDbMetaStore::Write(rocksdb::WriteBatch& batch) {
  rocksdb::Status status = db_->Write(write_options_, &batch);
  return status.ok() ? Status::Ok() : FromRocks(status, "write");
}

void RocksDbMetaStore::UpdateDataRefs(rocksdb::WriteBatch& batch, const ObjectRecord* old,
                                      const ObjectRecord* now) {
  // Delete before put: when both records share a data id, the put wins within the batch.
  if (old != nullptr) {
    for (const std::string& id : old->data.DataIds()) {
      (void)batch.Delete(keys::DataRefKey(id, old->bucket, old->key));
    }
  }
  if (now != nullptr) {
    for (const std::string& id : now->data.DataIds()) {
      (void)batch.Put(keys::DataRefKey(id, now->bucket, now->key), "");
    }
  }
}

Result<bool> RocksDbMetaStore::CreateBucket(const BucketRecord& bucket) {
  if (bucket.name.empty() || !keys::IsEncodable(bucket.name)) {
    return Error(ErrorCode::kInvalidBucketName);
  }
  std::unique_lock bucket_lock(locks_.ForBucket(bucket.name));
  std::string key = keys::BucketKey(bucket.name);
  ASSIGN_OR_RETURN(std::optional<std::string> existing, GetRaw(key));
  if (existing) return false;
  rocksdb::WriteBatch batch;
  (void)batch.Put(key, EncodeBucketRecord(bucket));
  RETURN_IF_ERROR(Write(batch));
  return true;
}

Result<std::optional<BucketRecord>> RocksDbMetaStore::GetBucket(std::string_view name) {
  if (!keys::IsEncodable(name)) return std::nullopt;
  ASSIGN_OR_RETURN(std::optional<std::string> value, GetRaw(keys::BucketKey(name)));
  if (!value) return std::nullopt;
  ASSIGN_OR_RETURN(BucketRecord bucket, DecodeBucketRecord(*value));
  bucket.name = name;
  return bucket;
}

Result<ListBucketsPage> RocksDbMetaStore::ListBuckets(std::string_view prefix,
                                                      std::string_view start_after, size_t limit) {
  ListBucketsPage page;
  PrefixIterator it(*db_, keys::BucketPrefix());
  std::string from = keys::BucketPrefix() + std::string(std::max(prefix, start_after));
  for (it->Seek(from); it->Valid(); it->Next()) {
    std::string_view name = View(it->key()).substr(1);
    if (name == start_after) continue;
    if (!name.starts_with(prefix)) break;  // names sort: past the prefix, none follows
    if (page.buckets.size() == limit) {
      page.truncated = true;
      break;
    }
    ASSIGN_OR_RETURN(BucketRecord bucket, DecodeBucketRecord(View(it->value())));
    bucket.name = name;
    page.buckets.push_back(std::move(bucket));
  }
  if (!it->status().ok()) return Error(FromRocks(it->status(), "list buckets"));
  return page;
}

Result<DeleteBucketOutcome> RocksDbMetaStore::DeleteBucket(
    std::string_view name, std::vector<std::string>* released_data) {
  if (!keys::IsEncodable(name)) return DeleteBucketOutcome::kNoSuchBucket;
  // Exclusive: no PutObject into this bucket runs between the emptiness check and the delete.
  std::unique_lock bucket_lock(locks_.ForBucket(name));
  std::string key = keys::BucketKey(name);
  ASSIGN_OR_RETURN(std::optional<std::string> existing, GetRaw(key));
  if (!existing) return DeleteBucketOutcome::kNoSuchBucket;
  std::string objects = keys::ObjectPrefix(name);
  PrefixIterator it(*db_, objects);
  it->Seek(objects);
  if (!it->status().ok()) return Error(FromRocks(it->status(), "scan bucket"));
  if (it->Valid()) return DeleteBucketOutcome::kNotEmpty;
  rocksdb::WriteBatch batch;
  (void)batch.Delete(key);
  // S3 deletes a bucket that holds no objects even with uploads in progress; they go with it.
  ASSIGN_OR_RETURN(ListUploadsPage uploads, ListUploads(name, "", "", "", SIZE_MAX));
  for (const UploadRecord& upload : uploads.uploads) {
    ASSIGN_OR_RETURN(std::vector<PartRecord> parts, AllParts(upload.upload_id));
    DeleteUploadKeys(batch, upload, parts);
    for (const PartRecord& part : parts) {
      if (released_data != nullptr) released_data->push_back(part.data_id);
    }
  }
  // A bucket of the same name created later must not answer retries of these completions.
  std::string completions = keys::CompletionPrefix(name);
  PrefixIterator completed(*db_, completions);
  for (completed->Seek(completions); completed->Valid(); completed->Next()) {
    (void)batch.Delete(completed->key());
  }
  if (!completed->status().ok()) {
    return Error(FromRocks(completed->status(), "scan completions"));
  }
  RETURN_IF_ERROR(Write(batch));
  return DeleteBucketOutcome::kDeleted;
}

Status RocksDbMetaStore::UpdateBucket(std::string_view name,
                                      const std::function<Status(BucketRecord&)>& mutate) {
  if (!keys::IsEncodable(name)) return Status(ErrorCode::kNoSuchBucket);
  std::unique_lock bucket_lock(locks_.ForBucket(name));
  std::string key = keys::BucketKey(name);
  ASSIGN_OR_RETURN(std::optional<std::string> existing, GetRaw(key));
  if (!existing) return Status(ErrorCode::kNoSuchBucket);
  ASSIGN_OR_RETURN(BucketRecord bucket, DecodeBucketRecord(*existing));
  bucket.name = name;
  RETURN_IF_ERROR(mutate(bucket));
  rocksdb::WriteBatch batch;
  (void)batch.Put(key, EncodeBucketRecord(bucket));
  return Write(batch);
}

Result<std::optional<ObjectRecord>> RocksDbMetaStore::GetObject(std::string_view bucket,
                                                                std::string_view key) {
  if (!keys::IsEncodable(bucket) || !keys::IsEncodable(key)) return std::nullopt;
  ASSIGN_OR_RETURN(std::optional<std::string> value, GetRaw(keys::ObjectKey(bucket, key)));
  if (!value) return std::nullopt;
  ASSIGN_OR_RETURN(ObjectRecord object, DecodeObjectRecord(*value));
  object.bucket = bucket;
  object.key = key;
  return object;
}

Result<std::optional<ObjectRecord>> RocksDbMetaStore::AddPut(
    rocksdb::WriteBatch& batch, const ObjectRecord& object, const WritePrecondition& precondition) {
  ASSIGN_OR_RETURN(std::optional<std::string> bucket, GetRaw(keys::BucketKey(object.bucket)));
  if (!bucket) return Error(ErrorCode::kNoSuchBucket);
  ASSIGN_OR_RETURN(std::optional<ObjectRecord> current, GetObject(object.bucket, object.key));
  if (precondition) RETURN_IF_ERROR(precondition(current));
  (void)batch.Put(keys::ObjectKey(object.bucket, object.key), EncodeObjectRecord(object));
  UpdateDataRefs(batch, current ? &*current : nullptr, &object);
  return current;
}

Result<std::optional<ObjectRecord>> RocksDbMetaStore::PutObject(
    const ObjectRecord& object, const WritePrecondition& precondition) {
  RETURN_IF_ERROR(CheckObjectRecord(object));
  // Shared: many puts into one bucket run together; DeleteBucket waits for them.
  std::shared_lock bucket_lock(locks_.ForBucket(object.bucket));
  std::lock_guard object_lock(locks_.ForObject(object.bucket, object.key));
  rocksdb::WriteBatch batch;
  ASSIGN_OR_RETURN(std::optional<ObjectRecord> current, AddPut(batch, object, precondition));
  RETURN_IF_ERROR(Write(batch));
  return current;
}

void RocksDbMetaStore::PutObjectAsync(ObjectRecord object, WritePrecondition precondition,
                                      PutObjectCallback done) {
  if (Status checked = CheckObjectRecord(object); !checked.ok()) {
    done(Error(std::move(checked)));
    return;
  }
  {
    std::lock_guard lock(commit_mu_);
    commit_queue_.push_back({std::move(object), std::move(precondition), std::move(done)});
  }
  commit_cv_.notify_one();
}

void RocksDbMetaStore::CommitLoop() {
  std::deque<PendingPut> pending;  // what the last group left goes first
  for (;;) {
    {
      std::unique_lock lock(commit_mu_);
      commit_cv_.wait(
          lock, [&] { return commit_stopping_ || !commit_queue_.empty() || !pending.empty(); });
      if (pending.empty() && commit_queue_.empty()) return;  // stopping, and all answered
      std::ranges::move(commit_queue_, std::back_inserter(pending));
      commit_queue_.clear();
    }
    pending = CommitGroup(std::move(pending));
  }
}

std::deque<PendingPut> RocksDbMetaStore::CommitGroup(std::deque<PendingPut> pending) {
  GroupLocks locks(locks_);
  rocksdb::WriteBatch batch;
  std::vector<std::pair<PendingPut, std::optional<ObjectRecord>>> batched;
  std::vector<std::pair<PendingPut, Status>> refused;
  std::deque<PendingPut> later;
  for (PendingPut& put : pending) {
    if (batched.size() + refused.size() >= kMaxCommitGroup ||
        !locks.Acquire(put.object.bucket, put.object.key)) {
      later.push_back(std::move(put));
      continue;
    }
    auto replaced = AddPut(batch, put.object, put.precondition);
    if (replaced) {
      batched.emplace_back(std::move(put), *std::move(replaced));
    } else {
      refused.emplace_back(std::move(put), std::move(replaced.error()));
    }
  }
  Status written = batched.empty() ? Status::Ok() : Write(batch);
  locks.ReleaseAll();
  for (auto& [put, replaced] : batched) {
    if (written.ok()) {
      put.done(std::move(replaced));
    } else {
      put.done(Error(written));
    }
  }
  for (auto& [put, error] : refused) put.done(Error(std::move(error)));
  return later;
}

Result<std::optional<ObjectRecord>> RocksDbMetaStore::DeleteObject(std::string_view bucket,
                                                                   std::string_view key) {
  if (!keys::IsEncodable(bucket) || !keys::IsEncodable(key)) return std::nullopt;
  std::shared_lock bucket_lock(locks_.ForBucket(bucket));
  std::lock_guard object_lock(locks_.ForObject(bucket, key));
  ASSIGN_OR_RETURN(std::optional<ObjectRecord> current, GetObject(bucket, key));
  if (!current) return std::nullopt;
  rocksdb::WriteBatch batch;
  (void)batch.Delete(keys::ObjectKey(bucket, key));
  UpdateDataRefs(batch, &*current, nullptr);
  RETURN_IF_ERROR(Write(batch));
  return current;
}

Result<ListObjectsPage> RocksDbMetaStore::ListObjects(std::string_view bucket,
                                                      std::string_view prefix,
                                                      std::string_view start_after, size_t limit) {
  ListObjectsPage page;
  if (!keys::IsEncodable(bucket)) return page;
  std::string lower = keys::ObjectPrefix(bucket, prefix);
  std::string start = lower;
  if (!start_after.empty()) start = std::max(start, keys::ObjectKey(bucket, start_after));
  const size_t key_offset = keys::ObjectPrefix(bucket).size();

  PrefixIterator it(*db_, lower);
  for (it->Seek(start); it->Valid(); it->Next()) {
    std::string_view key = View(it->key()).substr(key_offset);
    if (key <= start_after) continue;  // only the start_after key itself
    if (page.objects.size() == limit) {
      page.truncated = true;
      break;
    }
    ASSIGN_OR_RETURN(ObjectRecord object,
                     DecodeObjectRecord(View(it->value()), {.skip_inline_data = true}));
    object.bucket = bucket;
    object.key = key;
    page.objects.push_back(std::move(object));
  }
  if (!it->status().ok()) return Error(FromRocks(it->status(), "list objects"));
  return page;
}

Result<bool> RocksDbMetaStore::IsDataReferenced(std::string_view data_id) {
  std::string prefix = keys::DataRefPrefix(data_id);
  PrefixIterator it(*db_, prefix);
  it->Seek(prefix);
  if (!it->status().ok()) return Error(FromRocks(it->status(), "data reference lookup"));
  return it->Valid();
}

Status RocksDbMetaStore::CreateUpload(const UploadRecord& upload) {
  if (!keys::IsEncodable(upload.bucket)) return Status(ErrorCode::kNoSuchBucket);
  if (upload.key.empty() || !keys::IsEncodable(upload.key) ||
      !keys::IsValidUploadId(upload.upload_id)) {
    return Status(ErrorCode::kInvalidArgument, "invalid key or upload id");
  }
  std::shared_lock bucket_lock(locks_.ForBucket(upload.bucket));
  ASSIGN_OR_RETURN(std::optional<std::string> bucket, GetRaw(keys::BucketKey(upload.bucket)));
  if (!bucket) return Status(ErrorCode::kNoSuchBucket);
  rocksdb::WriteBatch batch;
  (void)batch.Put(keys::UploadKey(upload.bucket, upload.key, upload.upload_id),
                  EncodeUploadRecord(upload));
  return Write(batch);
}

Result<std::optional<UploadRecord>> RocksDbMetaStore::GetUpload(std::string_view bucket,
                                                                std::string_view key,
                                                                std::string_view upload_id) {
  if (!keys::IsEncodable(bucket) || !keys::IsEncodable(key) || !keys::IsValidUploadId(upload_id)) {
    return std::nullopt;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> value,
                   GetRaw(keys::UploadKey(bucket, key, upload_id)));
  if (!value) return std::nullopt;
  ASSIGN_OR_RETURN(UploadRecord upload, DecodeUploadRecord(*value));
  upload.bucket = bucket;
  upload.key = key;
  upload.upload_id = upload_id;
  return upload;
}

Result<std::optional<PartRecord>> RocksDbMetaStore::PutPart(std::string_view bucket,
                                                            std::string_view key,
                                                            std::string_view upload_id,
                                                            const PartRecord& part) {
  if (part.data_id.empty()) return Error(Status::Internal("part without data id"));
  std::shared_lock bucket_lock(locks_.ForBucket(bucket));
  ASSIGN_OR_RETURN(std::optional<std::string> bucket_record, GetRaw(keys::BucketKey(bucket)));
  if (!bucket_record) return Error(ErrorCode::kNoSuchBucket);
  // The key's lock orders this against CompleteUpload and AbortUpload of the same upload.
  std::lock_guard object_lock(locks_.ForObject(bucket, key));
  ASSIGN_OR_RETURN(std::optional<UploadRecord> upload, GetUpload(bucket, key, upload_id));
  if (!upload) return Error(ErrorCode::kNoSuchUpload);
  std::string part_key = keys::PartKey(upload_id, part.number);
  ASSIGN_OR_RETURN(std::optional<std::string> old_value, GetRaw(part_key));
  std::optional<PartRecord> old;
  if (old_value) {
    ASSIGN_OR_RETURN(old, DecodePartRecord(*old_value));
  }
  rocksdb::WriteBatch batch;
  if (old) (void)batch.Delete(keys::PartDataRefKey(old->data_id, upload_id, old->number));
  (void)batch.Put(part_key, EncodePartRecord(part));
  (void)batch.Put(keys::PartDataRefKey(part.data_id, upload_id, part.number), "");
  RETURN_IF_ERROR(Write(batch));
  return old;
}

Result<ListPartsPage> RocksDbMetaStore::ListParts(std::string_view upload_id, uint32_t after_part,
                                                  size_t limit) {
  ListPartsPage page;
  if (!keys::IsValidUploadId(upload_id)) return page;
  std::string prefix = keys::PartPrefix(upload_id);
  PrefixIterator it(*db_, prefix);
  for (it->Seek(keys::PartKey(upload_id, after_part)); it->Valid(); it->Next()) {
    ASSIGN_OR_RETURN(PartRecord part, DecodePartRecord(View(it->value())));
    if (part.number <= after_part) continue;
    if (page.parts.size() == limit) {
      page.truncated = true;
      break;
    }
    page.parts.push_back(std::move(part));
  }
  if (!it->status().ok()) return Error(FromRocks(it->status(), "list parts"));
  return page;
}

Result<std::vector<PartRecord>> RocksDbMetaStore::AllParts(std::string_view upload_id) {
  ASSIGN_OR_RETURN(ListPartsPage page, ListParts(upload_id, 0, SIZE_MAX));
  return std::move(page.parts);
}

void RocksDbMetaStore::DeleteUploadKeys(rocksdb::WriteBatch& batch, const UploadRecord& upload,
                                        const std::vector<PartRecord>& parts) {
  (void)batch.Delete(keys::UploadKey(upload.bucket, upload.key, upload.upload_id));
  for (const PartRecord& part : parts) {
    (void)batch.Delete(keys::PartKey(upload.upload_id, part.number));
    (void)batch.Delete(keys::PartDataRefKey(part.data_id, upload.upload_id, part.number));
  }
}

Result<CompletedUpload> RocksDbMetaStore::CompleteUpload(std::string_view bucket,
                                                         std::string_view key,
                                                         std::string_view upload_id,
                                                         const CompleteUploadBuilder& build,
                                                         const WritePrecondition& precondition,
                                                         std::string_view parts_digest) {
  std::shared_lock bucket_lock(locks_.ForBucket(bucket));
  ASSIGN_OR_RETURN(std::optional<std::string> bucket_record, GetRaw(keys::BucketKey(bucket)));
  if (!bucket_record) return Error(ErrorCode::kNoSuchBucket);
  std::lock_guard object_lock(locks_.ForObject(bucket, key));
  ASSIGN_OR_RETURN(std::optional<UploadRecord> upload, GetUpload(bucket, key, upload_id));
  if (!upload) return Error(ErrorCode::kNoSuchUpload);
  ASSIGN_OR_RETURN(std::vector<PartRecord> parts, AllParts(upload_id));
  CompletedUpload done;
  ASSIGN_OR_RETURN(done.object, build(*upload, parts));
  done.object.bucket = bucket;
  done.object.key = key;
  ASSIGN_OR_RETURN(done.replaced, GetObject(bucket, key));
  if (precondition) RETURN_IF_ERROR(precondition(done.replaced));

  // One batch: the object appears, the upload disappears, and every data reference moves from
  // the parts to the object, so a crash leaves the old state or the new one.
  rocksdb::WriteBatch batch;
  (void)batch.Put(keys::ObjectKey(bucket, key), EncodeObjectRecord(done.object));
  DeleteUploadKeys(batch, *upload, parts);
  UpdateDataRefs(batch, done.replaced ? &*done.replaced : nullptr, &done.object);
  if (!parts_digest.empty()) {
    CompletionRecord completion{.completed_ns = done.object.modified_ns,
                                .etag = done.object.etag,
                                .parts_digest = std::string(parts_digest),
                                .checksums = done.object.checksums,
                                .checksum_type = done.object.checksum_type};
    (void)batch.Put(keys::CompletionKey(bucket, key, upload_id),
                    EncodeCompletionRecord(completion));
  }
  RETURN_IF_ERROR(Write(batch));
  std::vector<std::string> used = done.object.data.DataIds();
  for (PartRecord& part : parts) {
    if (std::find(used.begin(), used.end(), part.data_id) == used.end()) {
      done.unused_parts.push_back(std::move(part));
    }
  }
  return done;
}

Result<std::optional<CompletionRecord>> RocksDbMetaStore::GetCompletion(
    std::string_view bucket, std::string_view key, std::string_view upload_id) {
  if (!keys::IsEncodable(bucket) || !keys::IsEncodable(key) || !keys::IsValidUploadId(upload_id)) {
    return std::nullopt;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> raw,
                   GetRaw(keys::CompletionKey(bucket, key, upload_id)));
  if (!raw) return std::nullopt;
  return DecodeCompletionRecord(*raw);
}

Result<size_t> RocksDbMetaStore::DeleteCompletionsBefore(int64_t cutoff_ns) {
  // No index by time: the keyspace holds one retry window of completions.
  rocksdb::WriteBatch batch;
  size_t deleted = 0;
  PrefixIterator it(*db_, keys::CompletionPrefix());
  for (it->Seek(keys::CompletionPrefix()); it->Valid(); it->Next()) {
    ASSIGN_OR_RETURN(CompletionRecord completion, DecodeCompletionRecord(View(it->value())));
    if (completion.completed_ns >= cutoff_ns) continue;
    (void)batch.Delete(it->key());
    ++deleted;
  }
  if (!it->status().ok()) return Error(FromRocks(it->status(), "scan completions"));
  if (deleted > 0) RETURN_IF_ERROR(Write(batch));
  return deleted;
}

Result<std::optional<std::vector<PartRecord>>> RocksDbMetaStore::AbortUpload(
    std::string_view bucket, std::string_view key, std::string_view upload_id) {
  std::shared_lock bucket_lock(locks_.ForBucket(bucket));
  ASSIGN_OR_RETURN(std::optional<std::string> bucket_record, GetRaw(keys::BucketKey(bucket)));
  if (!bucket_record) return Error(ErrorCode::kNoSuchBucket);
  std::lock_guard object_lock(locks_.ForObject(bucket, key));
  ASSIGN_OR_RETURN(std::optional<UploadRecord> upload, GetUpload(bucket, key, upload_id));
  if (!upload) return std::nullopt;
  ASSIGN_OR_RETURN(std::vector<PartRecord> parts, AllParts(upload_id));
  rocksdb::WriteBatch batch;
  DeleteUploadKeys(batch, *upload, parts);
  RETURN_IF_ERROR(Write(batch));
  return parts;
}

Result<ListUploadsPage> RocksDbMetaStore::ListUploads(std::string_view bucket,
                                                      std::string_view prefix,
                                                      std::string_view key_marker,
                                                      std::string_view upload_id_marker,
                                                      size_t limit) {
  ListUploadsPage page;
  if (!keys::IsEncodable(bucket) || !keys::IsEncodable(prefix) || !keys::IsEncodable(key_marker)) {
    return page;
  }
  std::string lower = keys::UploadPrefix(bucket, prefix);
  std::string start = lower;
  if (!key_marker.empty()) {
    // Just past the marker: after its upload id, or (\x01 > \0) after every upload of the key.
    std::string after = upload_id_marker.empty()
                            ? keys::UploadPrefix(bucket, key_marker) + '\x01'
                            : keys::UploadKey(bucket, key_marker, upload_id_marker) + '\0';
    start = std::max(start, after);
  }
  const size_t offset = keys::UploadPrefix(bucket).size();
  PrefixIterator it(*db_, lower);
  for (it->Seek(start); it->Valid(); it->Next()) {
    if (page.uploads.size() == limit) {
      page.truncated = true;
      break;
    }
    auto names = keys::SplitUploadKey(View(it->key()).substr(offset));
    if (!names) return Error(Status::Internal("corrupt upload key"));
    ASSIGN_OR_RETURN(UploadRecord upload, DecodeUploadRecord(View(it->value())));
    upload.bucket = bucket;
    upload.key = names->key;
    upload.upload_id = names->upload_id;
    page.uploads.push_back(std::move(upload));
  }
  if (!it->status().ok()) return Error(FromRocks(it->status(), "list uploads"));
  return page;
}

Result<std::vector<UploadRecord>> RocksDbMetaStore::ListUploadsInitiatedBefore(int64_t cutoff_ns) {
  std::vector<UploadRecord> uploads;
  std::string prefix = keys::AllUploadsPrefix();
  PrefixIterator it(*db_, prefix);
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    auto names = keys::ParseUploadKey(View(it->key()));
    if (!names) return Error(Status::Internal("corrupt upload key"));
    ASSIGN_OR_RETURN(UploadRecord upload, DecodeUploadRecord(View(it->value())));
    if (upload.initiated_ns >= cutoff_ns) continue;
    upload.bucket = names->bucket;
    upload.key = names->key;
    upload.upload_id = names->upload_id;
    uploads.push_back(std::move(upload));
  }
  if (!it->status().ok()) return Error(FromRocks(it->status(), "list uploads"));
  return uploads;
}

// A fresh database gets the layout version; an existing one must carry the version we know.
Status CheckLayoutVersion(rocksdb::DB& db) {
  std::string value;
  rocksdb::Status status = db.Get(rocksdb::ReadOptions(), keys::FormatKey(), &value);
  if (status.ok()) {
    if (value.size() == 1 && static_cast<uint8_t>(value[0]) == keys::kLayoutVersion) {
      return Status::Ok();
    }
    return Status::Internal("metadata store has an unknown layout version; refusing to open");
  }
  if (!status.IsNotFound()) return FromRocks(status, "read layout version");
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions()));
  it->SeekToFirst();
  if (!it->status().ok()) return FromRocks(it->status(), "scan");
  if (it->Valid()) return Status::Internal("metadata store has data but no layout version");
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  status = db.Put(write_options, keys::FormatKey(),
                  std::string(1, static_cast<char>(keys::kLayoutVersion)));
  return status.ok() ? Status::Ok() : FromRocks(status, "write layout version");
}

}  // namespace

Result<std::unique_ptr<MetaStore>> OpenRocksDbMetaStore(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error(Status::Internal("create " + dir + ": " + ec.message()));
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(MetaStoreDbOptions(), dir, &raw);
  if (!status.ok()) return Error(FromRocks(status, "open " + dir));
  std::unique_ptr<rocksdb::DB> db(raw);
  RETURN_IF_ERROR(CheckLayoutVersion(*db));
  return std::make_unique<RocksDbMetaStore>(std::move(db));
}

}  // namespace stratus::meta
