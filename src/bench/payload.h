// Object contents that are a pure function of (seed, key), so reads can be verified with no
// memory per object, and writers send slices of one shared buffer with no per-request
// allocation or copy.
//
// One pattern of kPeriod pseudo-random bytes is generated from the seed at start (plus a tail
// of kMaxSlice bytes repeating its head, so any slice up to kMaxSlice long starting anywhere in
// the period is contiguous). An object of key K is the pattern read cyclically from an offset
// derived from a hash of K; with a size range, its size is derived from K too. Every write of K
// therefore sends the same bytes, which keeps concurrent overwrites and reads consistent.
//
// Payload is immutable after construction and shared by all workers; PayloadVerifier is one
// per read.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "bench/parse.h"

namespace stratus::bench {

class Payload {
 public:
  static constexpr uint64_t kPeriod = uint64_t{4} << 20;    // 4 MiB of distinct bytes
  static constexpr uint64_t kMaxSlice = uint64_t{1} << 18;  // 256 KiB per Slice()

  Payload(uint64_t seed, SizeRange sizes);

  uint64_t seed() const { return seed_; }
  // The object's size: sizes.min when fixed, else uniform in [min, max] by key.
  uint64_t SizeOf(std::string_view key) const;
  // Where the object's bytes start in the pattern.
  uint64_t OffsetOf(std::string_view key) const;
  // Bytes [position, position + len) of the object starting at `offset` in the pattern;
  // len <= kMaxSlice.
  std::string_view Slice(uint64_t offset, uint64_t position, uint64_t len) const;

 private:
  uint64_t seed_;
  SizeRange sizes_;
  std::vector<char> pattern_;  // kPeriod + kMaxSlice bytes
};

// Checks one object's bytes as they arrive, in chunks of any size.
class PayloadVerifier {
 public:
  PayloadVerifier(const Payload& payload, std::string_view key);

  void Update(std::string_view chunk);
  // True when every byte matched and exactly the object's size arrived.
  bool Finish() const { return ok_ && position_ == size_; }
  uint64_t expected_size() const { return size_; }

 private:
  const Payload& payload_;
  uint64_t offset_;
  uint64_t size_;
  uint64_t position_ = 0;
  bool ok_ = true;
};

// 64-bit FNV-1a of the key mixed with the seed through SplitMix64's finalizer (exposed for tests).
uint64_t KeyHash(uint64_t seed, std::string_view key);

}  // namespace stratus::bench
