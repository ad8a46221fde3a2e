#include "common/status.h"

#include <gtest/gtest.h>

namespace stratus {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Error(ErrorCode::kInvalidArgument, "odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int half, Half(x));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckQuarter(int x) {
  RETURN_IF_ERROR(Quarter(x));
  return Status::Ok();
}

TEST(Status, ErrorTableGivesNameStatusAndMessage) {
  EXPECT_EQ(ErrorName(ErrorCode::kNoSuchKey), "NoSuchKey");
  EXPECT_EQ(ErrorHttpStatus(ErrorCode::kNoSuchKey), 404);
  EXPECT_EQ(ErrorHttpStatus(ErrorCode::kInvalidRange), 416);
  EXPECT_EQ(ErrorHttpStatus(ErrorCode::kSignatureDoesNotMatch), 403);
  EXPECT_EQ(ErrorName(ErrorCode::kXAmzContentSHA256Mismatch), "XAmzContentSHA256Mismatch");
  EXPECT_EQ(Status(ErrorCode::kBucketNotEmpty).message(),
            ErrorDefaultMessage(ErrorCode::kBucketNotEmpty));
  EXPECT_EQ(Status(ErrorCode::kBucketNotEmpty, "custom").message(), "custom");
}

TEST(Status, MacrosPropagateTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(CheckQuarter(8).ok());
  EXPECT_EQ(CheckQuarter(3).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace stratus
