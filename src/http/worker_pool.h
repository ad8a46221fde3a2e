// A fixed set of threads that run request handlers, each task on its own fiber, with a bounded
// queue in front.
//
// A task may block its thread (the disk, a commit), and it may park: Park() hands the thread
// to other tasks until the io side calls the resume it was given (a body's bytes arrived, a
// slow reader's window opened), so a slow client holds a fiber, not a thread
// (docs/decisions/0002-parked-handlers.md). A parked task continues on the thread it started
// on: thread-locals (errno, OpenSSL's error queue) stay the task's own.
//
// TrySubmit never blocks. It refuses when every thread is busy and max_pending tasks already
// wait, or when max_in_flight tasks are started and not finished (running or parked) and
// max_pending wait; the caller answers SlowDown instead of queueing without bound.
// Thread-safe. Shutdown() runs what is queued and waits for parked tasks, then joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace stratus::http {

class FiberStackCache;  // worker_pool.cc

class WorkerPool {
 public:
  using Task = std::function<void()>;
  using Resume = std::function<void()>;  // callable once, from any thread

  static constexpr size_t kDefaultMaxInFlight = 1024;

  WorkerPool(size_t threads, size_t max_pending, size_t max_in_flight = kDefaultMaxInFlight);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task; false when the pool is full or shut down.
  bool TrySubmit(Task task);
  void Shutdown();

  size_t threads() const { return threads_.size(); }

  // Inside a task: parks it and, once it is parked, calls `parked(resume)` on the thread it
  // left; the task continues (Park returns true) after `resume` is called. Outside a task it
  // returns false at once and calls nothing: the caller blocks its thread instead.
  static bool Park(const std::function<void(Resume)>& parked);

 private:
  struct Fiber;
  struct Worker;

  void WorkerLoop(size_t index);
  void Run(Fiber* fiber, Worker& worker);
  void Wake(size_t index);  // mu_ held
  void ResumeFiber(Fiber* fiber);

  const size_t busy_capacity_;  // threads + max_pending: busy threads plus queued tasks
  const size_t live_capacity_;  // max_in_flight + max_pending: started plus queued tasks
  const size_t max_in_flight_;
  std::unique_ptr<FiberStackCache> stacks_;
  std::mutex mu_;
  std::deque<Task> queue_;                        // guarded by mu_; not started yet
  std::vector<std::unique_ptr<Worker>> workers_;  // guarded by mu_ (their contents)
  std::vector<size_t> idle_;                      // guarded by mu_; workers waiting for work
  size_t busy_ = 0;                               // guarded by mu_; threads inside a task
  size_t live_ = 0;                               // guarded by mu_; started, not finished
  bool shutdown_ = false;                         // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace stratus::http
