#include "http/worker_pool.h"

#include <exception>

#include <spdlog/spdlog.h>

namespace stratus::http {

WorkerPool::WorkerPool(size_t threads, size_t max_pending) : capacity_(threads + max_pending) {
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::TrySubmit(Task task) {
  {
    std::lock_guard lock(mu_);
    if (shutdown_) return false;
    // Counted against running tasks, not idle threads: a worker that has not reached its wait
    // yet (start-up, between tasks) is still free.
    if (queue_.size() + running_ >= capacity_) return false;
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
      cv_.wait(lock, [this] { return shutdown_ || !queue_.empty(); });
      if (queue_.empty()) return;  // shut down and drained
      task = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    // Tasks catch their own failures; this is the last line so a worker never dies.
    try {
      task();
    } catch (const std::exception& e) {
      spdlog::error("http worker: task threw: {}", e.what());
    } catch (...) {
      spdlog::error("http worker: task threw a non-std exception");
    }
    task = nullptr;  // release what it captured (a connection) before counting it done
    std::lock_guard lock(mu_);
    --running_;
  }
}

}  // namespace stratus::http
