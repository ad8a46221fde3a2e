// A server-wide allowance of bytes that requests may hold at once (bodies read before dispatch,
// XML bodies parsed in memory), so that many clients together cannot make the server allocate
// without bound: past it, a request is refused or takes a path that needs no such memory.
// Thread-safe; lock-free.
#pragma once

#include <atomic>
#include <cstddef>
#include <utility>

namespace stratus {

class MemoryBudget {
 public:
  explicit MemoryBudget(size_t bytes) : capacity_(bytes) {}

  // Takes `bytes` if that many are left; false (and nothing taken) otherwise.
  bool TryTake(size_t bytes) {
    if (spent_.fetch_add(bytes) + bytes <= capacity_) return true;
    spent_.fetch_sub(bytes);
    return false;
  }
  void Give(size_t bytes) { spent_.fetch_sub(bytes); }

  size_t spent() const { return spent_.load(); }
  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  std::atomic<size_t> spent_{0};
};

// What one request holds of a budget, given back when the lease goes. Movable, not copyable.
class BudgetLease {
 public:
  BudgetLease() = default;
  explicit BudgetLease(MemoryBudget* budget) : budget_(budget) {}
  ~BudgetLease() { Release(); }
  BudgetLease(BudgetLease&& other) noexcept
      : budget_(std::exchange(other.budget_, nullptr)), held_(std::exchange(other.held_, 0)) {}
  BudgetLease& operator=(BudgetLease&& other) noexcept {
    if (this != &other) {
      Release();
      budget_ = std::exchange(other.budget_, nullptr);
      held_ = std::exchange(other.held_, 0);
    }
    return *this;
  }
  BudgetLease(const BudgetLease&) = delete;
  BudgetLease& operator=(const BudgetLease&) = delete;

  // Holds `total` bytes in all (taking only the difference); false if the budget cannot give
  // it, and the lease then holds what it held. Without a budget, always true.
  bool GrowTo(size_t total) {
    if (budget_ == nullptr || total <= held_) return true;
    if (!budget_->TryTake(total - held_)) return false;
    held_ = total;
    return true;
  }
  size_t held() const { return held_; }

 private:
  void Release() {
    if (budget_ != nullptr && held_ > 0) budget_->Give(held_);
    held_ = 0;
  }

  MemoryBudget* budget_ = nullptr;
  size_t held_ = 0;
};

}  // namespace stratus
