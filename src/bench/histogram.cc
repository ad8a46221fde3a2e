#include "bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace stratus::bench {

// Bucket layout: [0, 256) one bucket per value; then for each power of two 2^e (e >= 8), the
// range [2^e, 2^(e+1)) in 128 buckets of width 2^(e-7). A value's bucket is its top 8
// significant bits plus its exponent, so the width is at most 1/128 of the value.
size_t Histogram::BucketOf(uint64_t value) {
  if (value < kSubBucketCount) return static_cast<size_t>(value);
  const int msb = 63 - std::countl_zero(value);
  const int shift = msb - kSubBucketBits + 1;  // >= 1
  const uint64_t mantissa = value >> shift;    // in [128, 256)
  return static_cast<size_t>(kSubBucketCount + static_cast<uint64_t>(shift - 1) * kHalf +
                             (mantissa - kHalf));
}

uint64_t Histogram::BucketLow(size_t bucket) {
  if (bucket < kSubBucketCount) return bucket;
  const uint64_t shift = (bucket - kSubBucketCount) / kHalf + 1;
  const uint64_t mantissa = (bucket - kSubBucketCount) % kHalf + kHalf;
  return mantissa << shift;
}

uint64_t Histogram::BucketHigh(size_t bucket) {
  if (bucket < kSubBucketCount) return bucket;
  const uint64_t shift = (bucket - kSubBucketCount) / kHalf + 1;
  return BucketLow(bucket) + ((uint64_t{1} << shift) - 1);
}

void Histogram::Record(uint64_t value) {
  ++counts_[BucketOf(value)];
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::Merge(const Histogram& other) {
  for (size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

uint64_t Histogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const auto rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * count_)));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const uint64_t low = BucketLow(i);
      const uint64_t mid = low + (BucketHigh(i) - low) / 2;
      return std::clamp(mid, min(), max_);
    }
  }
  return max_;
}

}  // namespace stratus::bench
