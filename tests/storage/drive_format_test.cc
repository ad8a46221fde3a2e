#include "storage/local/drive_format.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "storage/local/local_backend.h"

namespace stratus::storage {
namespace {

namespace fs = std::filesystem;

TEST(DriveFormatTest, RoundTrip) {
  DriveFormat format{.deployment_id = std::string(32, 'a'),
                     .drive_id = std::string(32, '0'),
                     .data_file_version = 1};
  auto parsed = ParseDriveFormat(EncodeDriveFormat(format));
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  EXPECT_EQ(parsed->deployment_id, format.deployment_id);
  EXPECT_EQ(parsed->drive_id, format.drive_id);
}

TEST(DriveFormatTest, RefusesUnknownOrMalformed) {
  const std::string ids = R"("deployment_id": ")" + std::string(32, 'a') + R"(", "drive_id": ")" +
                          std::string(32, 'b') + R"(")";
  EXPECT_TRUE(ParseDriveFormat(R"({"format": "stratus-drive", "version": 1, )" + ids +
                               R"(, "data_file_version": 1})"));
  for (const std::string& bad : std::vector<std::string>{
           R"({"format": "stratus-drive", "version": 2, )" + ids + R"(, "data_file_version": 1})",
           R"({"format": "other", "version": 1, )" + ids + R"(, "data_file_version": 1})",
           R"({"format": "stratus-drive", "version": 1, )" + ids + R"(, "data_file_version": 9})",
           R"({"format": "stratus-drive", "version": "1", )" + ids + "}",
           std::string(R"({"format": "stratus-drive", "version": 1, "data_file_version": 1})"),
           std::string("{not json"),
           std::string("[]"),
           std::string(""),
       }) {
    EXPECT_FALSE(ParseDriveFormat(bad)) << bad;
  }
}

TEST(DriveFormatTest, OpenRefusesDriveWithUnknownFormat) {
  std::string pattern = (fs::temp_directory_path() / "drive_format.XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  ASSERT_TRUE(OpenLocalBackend(pattern));
  {
    std::ofstream out(pattern + "/format.json", std::ios::trunc);
    out << R"({"format": "stratus-drive", "version": 7})";
  }
  auto refused = OpenLocalBackend(pattern);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("version"), std::string_view::npos);
  // A drive that lost its format file but holds data is not silently reformatted.
  fs::remove(pattern + "/format.json");
  EXPECT_FALSE(OpenLocalBackend(pattern));
  fs::remove_all(pattern);
}

}  // namespace
}  // namespace stratus::storage
