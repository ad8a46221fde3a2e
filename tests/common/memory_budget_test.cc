#include "common/memory_budget.h"

#include <gtest/gtest.h>

#include <utility>

namespace stratus {
namespace {

TEST(MemoryBudgetTest, TakesWhatIsLeftAndNoMore) {
  MemoryBudget budget(100);
  EXPECT_TRUE(budget.TryTake(60));
  EXPECT_FALSE(budget.TryTake(41));  // refused whole, nothing taken
  EXPECT_EQ(budget.spent(), 60u);
  EXPECT_TRUE(budget.TryTake(40));
  budget.Give(100);
  EXPECT_EQ(budget.spent(), 0u);
}

TEST(MemoryBudgetTest, ALeaseGrowsByTheDifferenceAndGivesAllBackWhenItGoes) {
  MemoryBudget budget(100);
  {
    BudgetLease lease(&budget);
    EXPECT_TRUE(lease.GrowTo(30));
    EXPECT_TRUE(lease.GrowTo(80));
    EXPECT_EQ(budget.spent(), 80u);
    EXPECT_FALSE(lease.GrowTo(101));
    EXPECT_EQ(lease.held(), 80u);  // a refused growth keeps what it held
    BudgetLease moved = std::move(lease);
    EXPECT_EQ(moved.held(), 80u);
    EXPECT_EQ(budget.spent(), 80u);  // moving does not give back twice
  }
  EXPECT_EQ(budget.spent(), 0u);
}

TEST(MemoryBudgetTest, ALeaseWithoutABudgetAlwaysGrows) {
  BudgetLease lease;
  EXPECT_TRUE(lease.GrowTo(size_t{1} << 40));
}

}  // namespace
}  // namespace stratus
