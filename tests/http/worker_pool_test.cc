#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "http/completion.h"

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

// A parked task frees its thread: on a one-thread pool, a second task runs to its end while
// the first waits for a value that only the second's completion lets the test thread set.
TEST(WorkerPoolTest, AParkedTaskFreesItsThreadAndContinuesOnIt) {
  WorkerPool pool(1, 4);
  auto value = Completion<int>::Make();
  std::promise<std::thread::id> first_before, first_after, second_ran;
  std::promise<int> got;
  ASSERT_TRUE(pool.TrySubmit([&] {
    first_before.set_value(std::this_thread::get_id());
    got.set_value(value->Wait());
    first_after.set_value(std::this_thread::get_id());
  }));
  auto before = first_before.get_future().get();
  ASSERT_TRUE(pool.TrySubmit([&] { second_ran.set_value(std::this_thread::get_id()); }));
  auto second = second_ran.get_future();
  ASSERT_EQ(second.wait_for(std::chrono::seconds(10)), std::future_status::ready)
      << "the parked task held the only thread";
  EXPECT_EQ(second.get(), before);
  value->Set(42);
  EXPECT_EQ(got.get_future().get(), 42);
  EXPECT_EQ(first_after.get_future().get(), before);
  pool.Shutdown();
}

// A value set before the task parks (the io side was quick) resumes it at once.
TEST(WorkerPoolTest, AValueSetBeforeTheWaitDoesNotPark) {
  WorkerPool pool(2, 4);
  auto value = Completion<int>::Make();
  value->Set(7);
  std::promise<int> got;
  ASSERT_TRUE(pool.TrySubmit([&] { got.set_value(value->Wait()); }));
  auto f = got.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(f.get(), 7);
}

// Many tasks park at once on few threads, are resumed from other threads in any order, and
// each sees its own value; Shutdown waits for them all.
TEST(WorkerPoolTest, ManyParkedTasksResumeFromOtherThreads) {
  constexpr int kTasks = 200;
  WorkerPool pool(2, kTasks, kTasks);
  std::vector<std::shared_ptr<Completion<int>>> values;
  for (int i = 0; i < kTasks; ++i) values.push_back(Completion<int>::Make());
  std::atomic<int> parked{0}, correct{0};
  for (int i = 0; i < kTasks; ++i) {
    ASSERT_TRUE(pool.TrySubmit([&, i] {
      ++parked;
      if (values[i]->Wait() == i * 3) ++correct;
    }));
  }
  for (int spins = 0; parked.load() < kTasks && spins < 10000; ++spins)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(parked.load(), kTasks) << "tasks did not all start while others were parked";
  std::vector<std::thread> setters;
  for (int t = 0; t < 4; ++t) {
    setters.emplace_back([&, t] {
      for (int i = kTasks - 1 - t; i >= 0; i -= 4) values[i]->Set(i * 3);
    });
  }
  for (auto& s : setters) s.join();
  pool.Shutdown();
  EXPECT_EQ(correct.load(), kTasks);
}

// Started tasks, parked or running, are bounded by max_in_flight; beyond it and the queue,
// TrySubmit refuses.
TEST(WorkerPoolTest, InFlightTasksAreBounded) {
  WorkerPool pool(2, 1, 3);
  std::mutex mu;
  std::vector<WorkerPool::Resume> resumes;  // guarded by mu; one per parked task
  std::atomic<int> started{0};
  // Counts a task as parked only once its thread is free again (the callback runs after the
  // switch), so the busy-thread bound cannot refuse what follows.
  auto parker = [&] {
    ++started;
    WorkerPool::Park([&](WorkerPool::Resume resume) {
      std::lock_guard lock(mu);
      resumes.push_back(std::move(resume));
    });
  };
  auto parked = [&] {
    std::lock_guard lock(mu);
    return resumes.size();
  };
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(pool.TrySubmit(parker));
  for (int spins = 0; parked() < 3 && spins < 10000; ++spins)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(parked(), 3u);
  EXPECT_TRUE(pool.TrySubmit(parker));   // queued: three are in flight
  EXPECT_FALSE(pool.TrySubmit(parker));  // and the queue holds one
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(started.load(), 3) << "a fourth task started beyond max_in_flight";
  // Resuming the three lets the fourth start; it parks too and is resumed in turn.
  for (int round = 0; round < 2; ++round) {
    std::vector<WorkerPool::Resume> ready;
    {
      std::lock_guard lock(mu);
      ready.swap(resumes);
    }
    for (auto& resume : ready) resume();
    for (int spins = 0; round == 0 && parked() < 1 && spins < 10000; ++spins)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  pool.Shutdown();
  EXPECT_EQ(started.load(), 4);
}

}  // namespace
}  // namespace stratus::http
