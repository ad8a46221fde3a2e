// Expiry of multipart uploads that were never completed nor aborted: after
// ApiConfig::upload_expiry (7 days by default) they are aborted and their parts' data removed,
// as an S3 lifecycle rule with AbortIncompleteMultipartUpload would.
//
// ExpireUploads is one sweep; UploadExpirer runs it on a background thread at start-up and then
// periodically. Thread-safe with respect to concurrent requests: each upload is aborted through
// MetaStore::AbortUpload, atomically with its parts.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "meta/meta_store.h"
#include "storage/object_backend.h"

namespace stratus::s3 {

// Aborts every upload initiated at or before now_ns - max_age; returns how many it aborted.
Result<size_t> ExpireUploads(meta::MetaStore& meta, storage::ObjectBackend& backend, int64_t now_ns,
                             std::chrono::seconds max_age);

// Forgets the completions of uploads completed more than `window` before now_ns, after which
// a retried CompleteMultipartUpload is answered NoSuchUpload; returns how many it forgot.
Result<size_t> ForgetCompletions(meta::MetaStore& meta, int64_t now_ns,
                                 std::chrono::seconds window);

// Runs ExpireUploads and ForgetCompletions now and then every `period` until destroyed.
class UploadExpirer {
 public:
  UploadExpirer(meta::MetaStore& meta, storage::ObjectBackend& backend,
                std::chrono::seconds max_age, std::chrono::seconds retry_window,
                std::chrono::milliseconds period);
  ~UploadExpirer();
  UploadExpirer(const UploadExpirer&) = delete;
  UploadExpirer& operator=(const UploadExpirer&) = delete;

  // A period that notices expiry well within max_age: a quarter of it, between 1 s and 1 h.
  static std::chrono::milliseconds DefaultPeriod(std::chrono::seconds max_age);

 private:
  void Run();

  meta::MetaStore& meta_;
  storage::ObjectBackend& backend_;
  const std::chrono::seconds max_age_;
  const std::chrono::seconds retry_window_;
  const std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace stratus::s3
