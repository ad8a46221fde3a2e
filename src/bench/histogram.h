// A latency histogram in the manner of HdrHistogram: log-linear buckets over nanoseconds with
// fixed memory (about 60 KiB) and a relative error below 1% (1/128) for every value. Each
// worker records into its own; the report merges them. Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace stratus::bench {

class Histogram {
 public:
  // Values below 2^kSubBucketBits are exact; above, each power of two is cut into
  // 2^(kSubBucketBits-1) equal buckets.
  static constexpr int kSubBucketBits = 8;
  static constexpr uint64_t kSubBucketCount = uint64_t{1} << kSubBucketBits;  // 256
  static constexpr uint64_t kHalf = kSubBucketCount / 2;                      // 128
  static constexpr std::size_t kBucketCount = kSubBucketCount + (64 - kSubBucketBits) * kHalf;

  void Record(uint64_t value);
  void Merge(const Histogram& other);

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / count_ : 0.0; }

  // The smallest recorded value v such that a fraction q (0..1) of the values are <= v, as the
  // middle of its bucket (clamped to [min, max]). 0 when empty.
  uint64_t Percentile(double q) const;

  // The bucket a value falls in, and the lowest and highest values of a bucket (exposed for tests).
  static std::size_t BucketOf(uint64_t value);
  static uint64_t BucketLow(std::size_t bucket);
  static uint64_t BucketHigh(std::size_t bucket);

 private:
  std::array<uint64_t, kBucketCount> counts_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace stratus::bench
