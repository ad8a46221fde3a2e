#include "s3/body.h"

#include <gtest/gtest.h>

#include <string>

#include "../auth/auth_test_util.h"

namespace stratus::s3 {
namespace {

using auth::testing::StringStream;

TEST(SmallBodyTest, IsChargedToTheBudgetUntilItGoes) {
  MemoryBudget budget(1 << 20);
  {
    StringStream stream(std::string(1000, 'x'), {100});
    auto body = ReadSmallBody(stream, 4096, budget);
    ASSERT_TRUE(body) << body.error().ToString();
    EXPECT_EQ(body->text.size(), 1000u);
    EXPECT_EQ(budget.spent(), 1000 * kParsedBodyCharge);
  }
  EXPECT_EQ(budget.spent(), 0u);
}

TEST(SmallBodyTest, ASpentBudgetIsSlowDownAndHoldsNothing) {
  MemoryBudget budget(3000);
  BudgetLease other(&budget);
  ASSERT_TRUE(other.GrowTo(2000));  // another request holds most of it
  StringStream stream(std::string(1000, 'x'), {100});
  auto body = ReadSmallBody(stream, 4096, budget);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code(), ErrorCode::kSlowDown);
  EXPECT_EQ(budget.spent(), 2000u);
}

TEST(SmallBodyTest, OverTheLimitIsTheCallersError) {
  MemoryBudget budget(1 << 20);
  StringStream stream(std::string(5000, 'x'));
  auto body = ReadSmallBody(stream, 4096, budget, ErrorCode::kMalformedXML);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code(), ErrorCode::kMalformedXML);
  EXPECT_EQ(budget.spent(), 0u);
}

}  // namespace
}  // namespace stratus::s3
