#include "bench/plan.h"

#include <gtest/gtest.h>

#include "bench/s3_ops.h"

namespace stratus::bench {
namespace {

BenchOptions Options() {
  BenchOptions o;
  o.access_key = "ak";
  o.secret_key = "sk";
  return o;
}

TEST(PlanTest, DefaultsToPutFor30Seconds) {
  Plan plan = MakePlan(Options(), "0a1b2c3d", 99).value();
  EXPECT_EQ(plan.operation, "put");
  ASSERT_EQ(plan.mix.size(), 1u);
  EXPECT_EQ(plan.mix[0].op, Op::kPutObject);
  EXPECT_EQ(plan.duration, std::chrono::seconds(30));
  EXPECT_EQ(plan.objects, 0u);  // nothing reads: no prepare phase
  EXPECT_EQ(plan.bucket, "stratus-bench-0a1b2c3d");
  EXPECT_TRUE(plan.generated_bucket);
  EXPECT_EQ(plan.seed, 99u);
  EXPECT_EQ(plan.endpoint.host, "127.0.0.1");
  EXPECT_EQ(plan.endpoint.port, "9000");
  EXPECT_EQ(plan.sizes.min, 1u << 20);
}

TEST(PlanTest, CountAloneMeansNoTimeLimit) {
  BenchOptions o = Options();
  o.count = 500;
  Plan plan = MakePlan(o, "x", 1).value();
  EXPECT_EQ(plan.duration.count(), 0);
  EXPECT_EQ(plan.count, 500u);
}

TEST(PlanTest, ReadsPrepareObjects) {
  BenchOptions o = Options();
  o.op = "stat";
  o.objects = 50;
  o.bucket = "mine";
  Plan plan = MakePlan(o, "x", 1).value();
  EXPECT_EQ(plan.mix[0].op, Op::kHeadObject);
  EXPECT_EQ(plan.objects, 50u);
  EXPECT_FALSE(plan.generated_bucket);
  EXPECT_EQ(plan.bucket, "mine");
}

TEST(PlanTest, MixedDefaultsAndMixFlag) {
  BenchOptions o = Options();
  o.op = "mixed";
  Plan plan = MakePlan(o, "x", 1).value();
  EXPECT_EQ(plan.mix.size(), 4u);
  EXPECT_GT(plan.objects, 0u);
  o.op.clear();
  o.mix = "get=1,put=1";
  EXPECT_EQ(MakePlan(o, "x", 1).value().operation, "mixed");
  o.op = "get";
  EXPECT_FALSE(MakePlan(o, "x", 1).has_value());  // --mix with another --op
}

TEST(PlanTest, RejectsBadOptions) {
  BenchOptions o = Options();
  o.secret_key.clear();
  EXPECT_FALSE(MakePlan(o, "x", 1).has_value());
  o = Options();
  o.op = "copy";
  EXPECT_FALSE(MakePlan(o, "x", 1).has_value());
  o = Options();
  o.mix = "get=1,delete=1";  // deletes in a mix remove what the run wrote
  EXPECT_FALSE(MakePlan(o, "x", 1).has_value());
  o = Options();
  o.concurrency = 0;
  EXPECT_FALSE(MakePlan(o, "x", 1).has_value());
  o = Options();
  o.endpoint = "127.0.0.1:9000";
  EXPECT_FALSE(MakePlan(o, "x", 1).has_value());
  o = Options();
  o.op = "get";
  o.objects = 0;
  EXPECT_FALSE(MakePlan(o, "x", 1).has_value());
  o = Options();
  o.duration = "0s";
  EXPECT_FALSE(MakePlan(o, "x", 1).has_value());
}

TEST(PlanTest, PlainNeedsNoCredentialsAndSignsNothing) {
  BenchOptions o;
  o.plain = true;
  o.op = "get";
  Plan plan = MakePlan(o, "x", 1).value();
  EXPECT_TRUE(plan.plain);
  EXPECT_FALSE(plan.credentials.has_value());
  EXPECT_EQ(plan.objects, 1000u);
  o.access_key = "ak";  // credentials from the environment are ignored
  o.secret_key = "sk";
  EXPECT_FALSE(MakePlan(o, "x", 1).value().credentials.has_value());
  EXPECT_TRUE(MakePlan(Options(), "x", 1).value().credentials.has_value());
}

TEST(PlanTest, PlainAllowsObjectOperationsOnly) {
  BenchOptions o;
  o.plain = true;
  for (const char* op : {"put", "get", "head", "stat", "delete", "mixed"}) {
    o.op = op;
    EXPECT_TRUE(MakePlan(o, "x", 1).has_value()) << op;
  }
  o.op.clear();
  o.mix = "get=5,put=3,head=1,delete=1";
  EXPECT_TRUE(MakePlan(o, "x", 1).has_value());
  o.mix.clear();
  for (const char* op : {"list", "multipart"}) {
    o.op = op;
    Result<Plan> plan = MakePlan(o, "x", 1);
    ASSERT_FALSE(plan.has_value()) << op;
    EXPECT_NE(plan.error().message().find("--plain"), std::string::npos);
  }
  o.op.clear();
  o.mix = "get=1,list=1";
  Result<Plan> mixed = MakePlan(o, "x", 1);
  ASSERT_FALSE(mixed.has_value());
  EXPECT_NE(mixed.error().message().find("ListObjectsV2"), std::string::npos);
}

TEST(PlanTest, KeysSpreadOverPrefixes) {
  BenchOptions o = Options();
  Plan one = MakePlan(o, "ab", 1).value();
  EXPECT_EQ(ObjectKey(one, 7), "bench-ab/0000000007");
  EXPECT_EQ(ListPrefix(one, 0), "bench-ab/");
  o.prefixes = 4;
  Plan four = MakePlan(o, "ab", 1).value();
  EXPECT_EQ(ObjectKey(four, 7), "bench-ab/p3/0000000007");
  EXPECT_EQ(ListPrefix(four, 3), "bench-ab/p3/");
}

TEST(EndpointTest, Forms) {
  Endpoint plain = ParseEndpoint("http://127.0.0.1:9200").value();
  EXPECT_FALSE(plain.tls);
  EXPECT_EQ(plain.host, "127.0.0.1");
  EXPECT_EQ(plain.port, "9200");
  EXPECT_EQ(plain.host_header, "127.0.0.1:9200");
  Endpoint tls = ParseEndpoint("https://s3.example.com/").value();
  EXPECT_TRUE(tls.tls);
  EXPECT_EQ(tls.port, "443");
  EXPECT_EQ(tls.host_header, "s3.example.com");
  Endpoint v6 = ParseEndpoint("http://[::1]:9000").value();
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, "9000");
  for (const char* bad : {"ftp://x", "http://", "http://h:p", "http://h:9000/path"}) {
    EXPECT_FALSE(ParseEndpoint(bad).has_value()) << bad;
  }
}

TEST(XmlValuesTest, ListAnswer) {
  const std::string xml =
      "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a&amp;b</Key></Contents>"
      "<Contents><Key>c</Key></Contents><NextContinuationToken>t&lt;1</NextContinuationToken>"
      "</ListBucketResult>";
  EXPECT_EQ(XmlValues(xml, "Key"), (std::vector<std::string>{"a&b", "c"}));
  EXPECT_EQ(XmlValues(xml, "NextContinuationToken"), (std::vector<std::string>{"t<1"}));
  EXPECT_TRUE(XmlValues(xml, "UploadId").empty());
}

TEST(DescribeErrorTest, StatusAndCode) {
  Response r;
  r.status = 404;
  r.body = "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>x</Message></Error>";
  EXPECT_EQ(DescribeError(r), "404 NoSuchKey");
  r.body.clear();
  r.status = 502;
  EXPECT_EQ(DescribeError(r), "502");
}

}  // namespace
}  // namespace stratus::bench
