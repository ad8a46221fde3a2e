#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace stratus::http {
namespace {

TEST(WorkerPoolTest, RunsTasksAndRefusesBeyondMaxPending) {
  WorkerPool pool(2, 1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0}, finished{0};
  auto blocker = [&] {
    ++started;
    released.wait();
    ++finished;
  };
  ASSERT_TRUE(pool.TrySubmit(blocker));
  ASSERT_TRUE(pool.TrySubmit(blocker));
  while (started.load() < 2) std::this_thread::yield();
  EXPECT_TRUE(pool.TrySubmit(blocker));   // one may wait
  EXPECT_FALSE(pool.TrySubmit(blocker));  // the second may not
  release.set_value();
  pool.Shutdown();  // runs what is queued
  EXPECT_EQ(finished.load(), 3);
  EXPECT_FALSE(pool.TrySubmit([] {}));
}

TEST(WorkerPoolTest, AThrowingTaskDoesNotKillTheWorker) {
  WorkerPool pool(1, 4);
  std::promise<void> done;
  ASSERT_TRUE(pool.TrySubmit([] { throw std::runtime_error("x"); }));
  ASSERT_TRUE(pool.TrySubmit([&] { done.set_value(); }));
  EXPECT_EQ(done.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

}  // namespace
}  // namespace stratus::http
