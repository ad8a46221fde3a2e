#include "s3/multipart_expiry.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace stratus::s3 {
namespace {

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<size_t> ExpireUploads(meta::MetaStore& meta, storage::ObjectBackend& backend, int64_t now_ns,
                             std::chrono::seconds max_age) {
  int64_t cutoff = now_ns - std::chrono::duration_cast<std::chrono::nanoseconds>(max_age).count();
  ASSIGN_OR_RETURN(std::vector<meta::UploadRecord> expired,
                   meta.ListUploadsInitiatedBefore(cutoff + 1));
  size_t aborted = 0;
  for (const meta::UploadRecord& upload : expired) {
    auto parts = meta.AbortUpload(upload.bucket, upload.key, upload.upload_id);
    if (!parts) {
      // A bucket deleted meanwhile took the upload with it; anything else is worth a retry.
      if (parts.error().code() == ErrorCode::kNoSuchBucket) continue;
      return Error(parts.error());
    }
    if (!*parts) continue;  // completed or aborted meanwhile
    for (const meta::PartRecord& part : **parts) (void)backend.Remove(part.data_id);
    ++aborted;
  }
  if (aborted > 0) spdlog::info("expired {} incomplete multipart uploads", aborted);
  return aborted;
}

Result<size_t> ForgetCompletions(meta::MetaStore& meta, int64_t now_ns,
                                 std::chrono::seconds window) {
  int64_t cutoff = now_ns - std::chrono::duration_cast<std::chrono::nanoseconds>(window).count();
  return meta.DeleteCompletionsBefore(cutoff);
}

UploadExpirer::UploadExpirer(meta::MetaStore& meta, storage::ObjectBackend& backend,
                             std::chrono::seconds max_age, std::chrono::seconds retry_window,
                             std::chrono::milliseconds period)
    : meta_(meta),
      backend_(backend),
      max_age_(max_age),
      retry_window_(retry_window),
      period_(period) {
  thread_ = std::thread([this] { Run(); });
}

UploadExpirer::~UploadExpirer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::chrono::milliseconds UploadExpirer::DefaultPeriod(std::chrono::seconds max_age) {
  auto quarter = std::chrono::duration_cast<std::chrono::milliseconds>(max_age) / 4;
  return std::clamp<std::chrono::milliseconds>(quarter, std::chrono::seconds(1),
                                               std::chrono::hours(1));
}

void UploadExpirer::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    auto expired = ExpireUploads(meta_, backend_, NowNanos(), max_age_);
    if (!expired) spdlog::warn("upload expiry: {}", expired.error().ToString());
    auto forgotten = ForgetCompletions(meta_, NowNanos(), retry_window_);
    if (!forgotten) spdlog::warn("completed-upload expiry: {}", forgotten.error().ToString());
    lock.lock();
    wake_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

}  // namespace stratus::s3
