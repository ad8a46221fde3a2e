// A one-shot result handed from an io thread to a worker thread that waits for it.
//
// A worker posts an operation to a connection's strand and blocks in Wait(); the operation's
// completion handler calls Set() on the io thread. Shared ownership keeps the state alive for
// whichever side finishes last. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace stratus::http {

template <typename T>
class Completion {
 public:
  static std::shared_ptr<Completion> Make() { return std::make_shared<Completion>(); }

  void Set(T value) {
    std::lock_guard lock(mu_);
    value_ = std::move(value);
    cv_.notify_all();  // under the lock: the waiter may free us right after it wakes
  }

  T Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return value_.has_value(); });
    return std::move(*value_);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<T> value_;  // guarded by mu_
};

}  // namespace stratus::http
