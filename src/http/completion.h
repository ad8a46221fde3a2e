// A one-shot result handed from an io thread to a worker task that waits for it.
//
// A worker task posts an operation to a connection's strand and waits in Wait(); the
// operation's completion handler calls Set() on the io thread. Inside a WorkerPool task, Wait
// parks the task, so its thread serves others meanwhile; elsewhere it blocks the thread.
// Shared ownership keeps the state alive for whichever side finishes last. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include "http/worker_pool.h"

namespace stratus::http {

template <typename T>
class Completion {
 public:
  static std::shared_ptr<Completion> Make() { return std::make_shared<Completion>(); }

  void Set(T value) {
    WorkerPool::Resume resume;
    {
      std::lock_guard lock(mu_);
      value_ = std::move(value);
      resume = std::move(waiter_);
      cv_.notify_all();  // under the lock: the waiter may free us right after it wakes
    }
    if (resume) resume();
  }

  T Wait() {
    {
      std::lock_guard lock(mu_);
      if (value_) return std::move(*value_);  // already there: no fiber switch
    }
    bool parked = WorkerPool::Park([this](WorkerPool::Resume resume) {
      std::unique_lock lock(mu_);
      if (value_) {
        lock.unlock();
        resume();
      } else {
        waiter_ = std::move(resume);
      }
    });
    std::unique_lock lock(mu_);
    if (!parked) cv_.wait(lock, [this] { return value_.has_value(); });
    return std::move(*value_);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<T> value_;     // guarded by mu_
  WorkerPool::Resume waiter_;  // guarded by mu_; the parked task, until Set
};

}  // namespace stratus::http
