#include "s3/storage_class.h"

#include <gtest/gtest.h>

namespace stratus::s3 {
namespace {

TEST(StorageClass, AcceptsTheClassesThatReadLikeStandard) {
  for (std::string_view name : AcceptedStorageClasses()) {
    auto parsed = ParseStorageClass(name);
    ASSERT_TRUE(parsed) << name;
    EXPECT_EQ(*parsed, name);
  }
  EXPECT_EQ(AcceptedStorageClasses().front(), "STANDARD");
  EXPECT_TRUE(ParseStorageClass("STANDARD_IA"));
  EXPECT_TRUE(ParseStorageClass("REDUCED_REDUNDANCY"));
}

TEST(StorageClass, RefusesArchivesUnknownAndWrongCase) {
  for (std::string_view name :
       {"GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "SNOW", "EXPRESS_ONEZONE", "standard", "", "GOLD"}) {
    auto parsed = ParseStorageClass(name);
    ASSERT_FALSE(parsed) << name;
    EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidStorageClass) << name;
  }
}

TEST(StorageClass, ARequestWithoutTheHeaderIsStandard) {
  http::Headers none;
  EXPECT_EQ(*RequestedStorageClass(none), "STANDARD");
  http::Headers ia;
  ia.Add("X-Amz-Storage-Class", "ONEZONE_IA");
  EXPECT_EQ(*RequestedStorageClass(ia), "ONEZONE_IA");
  http::Headers glacier;
  glacier.Add("x-amz-storage-class", "GLACIER");
  EXPECT_FALSE(RequestedStorageClass(glacier));
}

}  // namespace
}  // namespace stratus::s3
