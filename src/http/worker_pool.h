// A fixed set of threads that run blocking request handlers, with a bounded queue in front.
//
// TrySubmit never blocks: when every worker is busy and max_pending tasks already wait, it
// refuses, and the caller answers SlowDown instead of queueing without bound.
// Thread-safe. Shutdown() runs what is queued, then joins the threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace stratus::http {

class WorkerPool {
 public:
  using Task = std::function<void()>;

  WorkerPool(size_t threads, size_t max_pending);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task; false when the pool is full or shut down.
  bool TrySubmit(Task task);
  void Shutdown();

  size_t threads() const { return threads_.size(); }

 private:
  void WorkerLoop();

  const size_t capacity_;  // threads + max_pending: running plus queued tasks
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;  // guarded by mu_
  size_t running_ = 0;      // guarded by mu_
  bool shutdown_ = false;   // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace stratus::http
