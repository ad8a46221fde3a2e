#include "http/worker_pool.h"

#include <exception>

#include <spdlog/spdlog.h>

namespace stratus::http {

WorkerPool::WorkerPool(size_t threads, size_t max_pending) : max_pending_(max_pending) {
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::TrySubmit(Task task) {
  {
    std::lock_guard lock(mu_);
    if (shutdown_) return false;
    // Idle workers take queued tasks first; beyond them, at most max_pending_ may wait.
    if (queue_.size() >= idle_ + max_pending_) return false;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (shutdown_ && threads_.empty()) return;
    shutdown_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkerPool::WorkerLoop() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mu_);
      ++idle_;
      cv_.wait(lock, [this] { return shutdown_ || !queue_.empty(); });
      --idle_;
      if (queue_.empty()) return;  // shut down and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    // Tasks catch their own failures; this is the last line so a worker never dies.
    try {
      task();
    } catch (const std::exception& e) {
      spdlog::error("http worker: task threw: {}", e.what());
    } catch (...) {
      spdlog::error("http worker: task threw a non-std exception");
    }
  }
}

}  // namespace stratus::http
