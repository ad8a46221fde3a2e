#include "bench/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace stratus::bench {
namespace {

TEST(HistogramTest, EmptyIsZero) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(0.5), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
}

TEST(HistogramTest, BucketsCoverEveryValueWithinOnePercent) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256}, uint64_t{257},
                     uint64_t{1000}, uint64_t{123456789}, uint64_t{1} << 40, UINT64_MAX}) {
    const size_t b = Histogram::BucketOf(v);
    ASSERT_LT(b, Histogram::kBucketCount) << v;
    EXPECT_LE(Histogram::BucketLow(b), v) << v;
    EXPECT_GE(Histogram::BucketHigh(b), v) << v;
    const double width = static_cast<double>(Histogram::BucketHigh(b) - Histogram::BucketLow(b));
    EXPECT_LE(width, static_cast<double>(v) / 128.0 + 1e-9) << v;
  }
  // Consecutive buckets tile the value range with no gap or overlap.
  for (size_t b = 0; b + 1 < Histogram::kBucketCount; ++b) {
    ASSERT_EQ(Histogram::BucketHigh(b) + 1, Histogram::BucketLow(b + 1)) << b;
  }
  EXPECT_EQ(Histogram::BucketHigh(Histogram::kBucketCount - 1), UINT64_MAX);
}

TEST(HistogramTest, SingleValueIsExactAtEveryPercentile) {
  Histogram h;
  h.Record(5'000'000);
  EXPECT_EQ(h.Percentile(0.0), 5'000'000u);
  EXPECT_EQ(h.Percentile(0.5), 5'000'000u);
  EXPECT_EQ(h.Percentile(1.0), 5'000'000u);
  EXPECT_EQ(h.max(), 5'000'000u);
}

TEST(HistogramTest, UniformPercentilesWithinOnePercent) {
  Histogram h;
  for (uint64_t v = 1; v <= 100'000; ++v) h.Record(v * 1000);  // 1 us .. 100 ms
  EXPECT_EQ(h.count(), 100'000u);
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double expected = q * 100'000 * 1000;
    EXPECT_NEAR(static_cast<double>(h.Percentile(q)), expected, expected * 0.01) << q;
  }
  EXPECT_EQ(h.max(), 100'000'000u);
  EXPECT_EQ(h.min(), 1000u);
  EXPECT_NEAR(h.mean(), 50'000.5 * 1000, 1);
}

TEST(HistogramTest, MergeEqualsRecordingEverything) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> latency(15.0, 1.0);  // around 3 ms
  Histogram all, a, b;
  for (int i = 0; i < 50'000; ++i) {
    const auto v = static_cast<uint64_t>(latency(rng));
    all.Record(v);
    (i % 3 == 0 ? a : b).Record(v);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_EQ(a.min(), all.min());
  for (double q : {0.5, 0.9, 0.99}) EXPECT_EQ(a.Percentile(q), all.Percentile(q));
}

TEST(HistogramTest, TailPercentileSeesOutliers) {
  Histogram h;
  for (int i = 0; i < 989; ++i) h.Record(1'000'000);
  for (int i = 0; i < 11; ++i) h.Record(500'000'000);
  EXPECT_NEAR(static_cast<double>(h.Percentile(0.98)), 1e6, 1e6 * 0.01);
  EXPECT_NEAR(static_cast<double>(h.Percentile(0.99)), 5e8, 5e8 * 0.01);
  EXPECT_EQ(h.max(), 500'000'000u);
}

}  // namespace
}  // namespace stratus::bench
