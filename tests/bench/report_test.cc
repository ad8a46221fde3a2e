#include "bench/report.h"

#include <gtest/gtest.h>

namespace stratus::bench {
namespace {

Summary SampleSummary() {
  Summary s;
  s.endpoint = "http://127.0.0.1:9000";
  s.bucket = "stratus-bench-0a1b2c3d";
  s.operation = "mixed";
  s.mix = {{Op::kGetObject, 3}, {Op::kPutObject, 1}};
  s.sizes = {4096, 4096};
  s.part_size = 5 << 20;
  s.concurrency = 4;
  s.objects = 10;
  s.seconds = 2.0;
  OpStats& get = s.stats(Op::kGetObject);
  for (int i = 0; i < 300; ++i) get.latency.Record(2'000'000);  // 2 ms
  get.count = 300;
  get.bytes = 300 * 4096;
  get.verified = 30;
  OpStats& put = s.stats(Op::kPutObject);
  for (int i = 0; i < 100; ++i) put.latency.Record(8'000'000);
  put.count = 100;
  put.bytes = 100 * 4096;
  put.errors = 2;
  s.errors["PutObject: 503 SlowDown"] = 2;
  return s;
}

TEST(ReportTest, JsonShape) {
  const nlohmann::json j = ToJson(SampleSummary());
  for (const char* field :
       {"endpoint", "bucket", "operation", "mix", "size", "part_size", "concurrency", "objects",
        "prefixes", "duration_seconds", "operations", "total", "errors"}) {
    EXPECT_TRUE(j.contains(field)) << field;
  }
  EXPECT_EQ(j["operation"], "mixed");
  EXPECT_EQ(j["size"]["min"], 4096);
  EXPECT_EQ(j["mix"][0]["operation"], "GetObject");
  EXPECT_EQ(j["mix"][0]["weight"], 3);
  ASSERT_EQ(j["operations"].size(), 2u);  // only what the mix issued
  const nlohmann::json& get = j["operations"]["GetObject"];
  EXPECT_EQ(get["count"], 300);
  EXPECT_EQ(get["errors"], 0);
  EXPECT_DOUBLE_EQ(get["ops_per_second"].get<double>(), 150.0);
  EXPECT_DOUBLE_EQ(get["mib_per_second"].get<double>(), 0.586);
  EXPECT_DOUBLE_EQ(get["latency_ms"]["p50"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(get["latency_ms"]["p99"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(get["latency_ms"]["max"].get<double>(), 2.0);
  EXPECT_TRUE(get["latency_ms"].contains("p90"));
  EXPECT_TRUE(get["latency_ms"].contains("mean"));
  EXPECT_EQ(get["verified"], 30);
  EXPECT_EQ(get["verify_failures"], 0);
  EXPECT_EQ(j["operations"]["PutObject"]["errors"], 2);
  EXPECT_EQ(j["total"]["count"], 400);
  EXPECT_EQ(j["total"]["errors"], 2);
  EXPECT_DOUBLE_EQ(j["total"]["ops_per_second"].get<double>(), 200.0);
  EXPECT_EQ(j["errors"]["PutObject: 503 SlowDown"], 2);
}

TEST(ReportTest, TableNamesEveryOperationAndError) {
  const std::string table = FormatTable(SampleSummary());
  EXPECT_NE(table.find("mixed, objects of 4KiB, concurrency 4"), std::string::npos) << table;
  EXPECT_NE(table.find("GetObject"), std::string::npos);
  EXPECT_NE(table.find("PutObject"), std::string::npos);
  EXPECT_NE(table.find("total"), std::string::npos);
  EXPECT_NE(table.find("p99 ms"), std::string::npos);
  EXPECT_NE(table.find("GetObject: 30 objects verified, 0 mismatches"), std::string::npos);
  EXPECT_NE(table.find("PutObject: 503 SlowDown"), std::string::npos);
  EXPECT_EQ(table.find("HeadObject"), std::string::npos);
}

TEST(ReportTest, ZeroSecondsGivesZeroRates) {
  Summary s = SampleSummary();
  s.seconds = 0;
  const nlohmann::json j = ToJson(s);
  EXPECT_EQ(j["total"]["ops_per_second"], 0.0);
}

}  // namespace
}  // namespace stratus::bench
