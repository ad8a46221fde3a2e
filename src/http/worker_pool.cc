#include "http/worker_pool.h"

#include <algorithm>
#include <exception>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace stratus::http {
namespace {

namespace ctx = boost::context;

// Virtual size; only the pages a handler touches are ever resident. Handlers call RocksDB,
// OpenSSL and pugixml, whose deepest paths stay far below this (ASan frames included); a
// guard page below turns an overflow into a crash, not a corruption.
constexpr size_t kStackBytes = 1 << 20;

// AddressSanitizer must be told of every stack switch, or it takes a fiber's frames for a
// corrupt thread stack. Debian's Boost.Context is built with fcontext only (its ucontext
// variant, which annotates for itself, is not in the library), so the pool annotates its own
// switches: StartSwitch before each resume with the destination stack, FinishSwitch first
// thing after it. `save` is null for a fiber that is ending (its fake stack goes with it).
struct StackBounds {
  const void* bottom = nullptr;
  size_t size = 0;
};
#if defined(__SANITIZE_ADDRESS__)
void StartSwitch(void** save, const StackBounds& to) {
  __sanitizer_start_switch_fiber(save, to.bottom, to.size);
}
void FinishSwitch(void* save, StackBounds* from) {
  __sanitizer_finish_switch_fiber(save, from ? &from->bottom : nullptr,
                                  from ? &from->size : nullptr);
}
#else
void StartSwitch(void**, const StackBounds&) {}
void FinishSwitch(void*, StackBounds*) {}
#endif

}  // namespace

// Stacks are mmap'd with a guard page; finished tasks' stacks are kept for the next ones, up
// to a bound, so a request costs no mmap/mprotect/munmap.
class FiberStackCache {
 public:
  explicit FiberStackCache(size_t keep) : keep_(keep) {}
  ~FiberStackCache() {
    for (auto& stack : free_) allocator_.deallocate(stack);
  }

  ctx::stack_context Allocate() {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        ctx::stack_context stack = free_.back();
        free_.pop_back();
        return stack;
      }
    }
    return allocator_.allocate();
  }

  void Deallocate(ctx::stack_context& stack) {
#if defined(__SANITIZE_ADDRESS__)
    // The finished task's frames may leave poisoned shadow behind; the next task starts clean.
    __asan_unpoison_memory_region(static_cast<char*>(stack.sp) - stack.size, stack.size);
#endif
    {
      std::lock_guard lock(mu_);
      if (free_.size() < keep_) {
        free_.push_back(stack);
        return;
      }
    }
    allocator_.deallocate(stack);
  }

 private:
  const size_t keep_;
  ctx::protected_fixedsize_stack allocator_{kStackBytes};
  std::mutex mu_;
  std::vector<ctx::stack_context> free_;  // guarded by mu_
};

namespace {

// Boost.Context's StackAllocator concept, over the pool's cache (copied into each fiber);
// it notes where the fiber's stack lies, for the sanitizer.
struct CachedStack {
  FiberStackCache* cache;
  StackBounds* bounds;
  ctx::stack_context allocate() {
    ctx::stack_context stack = cache->Allocate();
    *bounds = {static_cast<char*>(stack.sp) - stack.size, stack.size};
    return stack;
  }
  void deallocate(ctx::stack_context& stack) { cache->Deallocate(stack); }
};

}  // namespace

struct WorkerPool::Fiber {
  ctx::fiber context;  // the task, while it is parked or not yet started
  ctx::fiber back;     // inside the task: the worker loop it returns to when it parks
  size_t worker = 0;   // the thread it started on and always continues on
  Task task;
  std::function<void()> after_park;  // run by the worker once the task is parked
  StackBounds stack;                 // its own stack
  void* sanitizer_save = nullptr;    // the sanitizer's state for it while it is parked
};

struct WorkerPool::Worker {
  std::condition_variable cv;
  std::deque<Fiber*> resumes;  // parked tasks ready to continue here
  size_t parked = 0;           // tasks parked on this thread
  bool idle = false;           // listed in idle_
  StackBounds thread_stack;    // learnt on the first switch into a fiber (sanitizer only)
  void* sanitizer_save = nullptr;
};

namespace {

thread_local WorkerPool* current_pool = nullptr;
thread_local void* current_fiber = nullptr;  // WorkerPool::Fiber*, set while a task runs

}  // namespace

WorkerPool::WorkerPool(size_t threads, size_t max_pending, size_t max_in_flight)
    : busy_capacity_(threads + max_pending),
      live_capacity_(std::max(max_in_flight, threads) + max_pending),
      max_in_flight_(std::max(max_in_flight, threads)),
      stacks_(std::make_unique<FiberStackCache>(2 * threads)) {
  workers_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>());
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this, i] { WorkerLoop(i); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::TrySubmit(Task task) {
  std::lock_guard lock(mu_);
  if (shutdown_) return false;
  // Busy threads, not idle ones: a worker that has not reached its wait yet is still free.
  if (queue_.size() + busy_ >= busy_capacity_) return false;
  if (queue_.size() + live_ >= live_capacity_) return false;
  queue_.push_back(std::move(task));
  if (!idle_.empty()) Wake(idle_.back());
  return true;
}

void WorkerPool::Wake(size_t index) {
  Worker& worker = *workers_[index];
  if (worker.idle) {
    worker.idle = false;
    idle_.erase(std::find(idle_.begin(), idle_.end(), index));
  }
  worker.cv.notify_one();
}

void WorkerPool::ResumeFiber(Fiber* fiber) {
  std::lock_guard lock(mu_);
  workers_[fiber->worker]->resumes.push_back(fiber);
  Wake(fiber->worker);
}

void WorkerPool::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (shutdown_ && threads_.empty()) return;
    shutdown_ = true;
    for (auto& worker : workers_) worker->cv.notify_all();
  }
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

bool WorkerPool::Park(const std::function<void(Resume)>& parked) {
  auto* fiber = static_cast<Fiber*>(current_fiber);
  if (fiber == nullptr) return false;
  WorkerPool* pool = current_pool;
  // Runs on the worker after the switch: a resume that comes at once finds the task parked.
  fiber->after_park = [pool, fiber, &parked] {
    parked([pool, fiber] { pool->ResumeFiber(fiber); });
  };
  Worker& worker = *pool->workers_[fiber->worker];
  StartSwitch(&fiber->sanitizer_save, worker.thread_stack);
  fiber->back = std::move(fiber->back).resume();
  FinishSwitch(fiber->sanitizer_save, &worker.thread_stack);
  return true;
}

void WorkerPool::WorkerLoop(size_t index) {
  Worker& worker = *workers_[index];
  current_pool = this;
  for (;;) {
    Fiber* fiber = nullptr;
    Task task;
    {
      std::unique_lock lock(mu_);
      for (;;) {
        // Started requests first: they hold connections and memory.
        if (!worker.resumes.empty()) {
          fiber = worker.resumes.front();
          worker.resumes.pop_front();
          --worker.parked;
          break;
        }
        if (!queue_.empty() && live_ < max_in_flight_) {
          task = std::move(queue_.front());
          queue_.pop_front();
          ++live_;
          break;
        }
        if (shutdown_ && queue_.empty() && worker.parked == 0) return;
        if (!worker.idle) {
          worker.idle = true;
          idle_.push_back(index);
        }
        worker.cv.wait(lock);
      }
      ++busy_;
    }
    if (task) {
      fiber = new Fiber();
      fiber->worker = index;
      fiber->task = std::move(task);
      fiber->context = ctx::fiber(std::allocator_arg, CachedStack{stacks_.get(), &fiber->stack},
                                  [this, fiber](ctx::fiber&& back) {
                                    Worker& worker = *workers_[fiber->worker];
                                    FinishSwitch(nullptr, &worker.thread_stack);
                                    fiber->back = std::move(back);
                                    // Tasks catch their own failures; this is the last line.
                                    try {
                                      fiber->task();
                                    } catch (const std::exception& e) {
                                      spdlog::error("http worker: task threw: {}", e.what());
                                    } catch (...) {
                                      spdlog::error("http worker: task threw a non-std exception");
                                    }
                                    fiber->task = nullptr;  // release what it captured
                                    StartSwitch(nullptr, worker.thread_stack);
                                    return std::move(fiber->back);
                                  });
    }
    Run(fiber, worker);
  }
}

void WorkerPool::Run(Fiber* fiber, Worker& worker) {
  current_fiber = fiber;
  StartSwitch(&worker.sanitizer_save, fiber->stack);
  fiber->context = std::move(fiber->context).resume();
  FinishSwitch(worker.sanitizer_save, nullptr);
  current_fiber = nullptr;
  if (!fiber->context) {  // finished; its stack is back in the cache
    delete fiber;
    std::lock_guard lock(mu_);
    --busy_;
    --live_;
    return;
  }
  {
    std::lock_guard lock(mu_);
    --busy_;
    ++worker.parked;
  }
  auto after_park = std::move(fiber->after_park);
  fiber->after_park = nullptr;
  after_park();
}

}  // namespace stratus::http
