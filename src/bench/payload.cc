#include "bench/payload.h"

#include <algorithm>
#include <cstring>

namespace stratus::bench {
namespace {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

uint64_t KeyHash(uint64_t seed, std::string_view key) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : key) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  uint64_t state = h ^ seed;
  return SplitMix64(state);
}

Payload::Payload(uint64_t seed, SizeRange sizes)
    : seed_(seed), sizes_(sizes), pattern_(kPeriod + kMaxSlice) {
  uint64_t state = seed;
  for (uint64_t i = 0; i < kPeriod; i += 8) {
    const uint64_t word = SplitMix64(state);
    std::memcpy(pattern_.data() + i, &word, 8);
  }
  std::memcpy(pattern_.data() + kPeriod, pattern_.data(), kMaxSlice);
}

uint64_t Payload::SizeOf(std::string_view key) const {
  if (sizes_.fixed()) return sizes_.min;
  const uint64_t span = sizes_.max - sizes_.min;
  // A second, independent hash so size and offset do not correlate.
  const uint64_t h = KeyHash(seed_ ^ 0x5bd1e9955bd1e995ULL, key);
  return sizes_.min + (span == UINT64_MAX ? h : h % (span + 1));
}

uint64_t Payload::OffsetOf(std::string_view key) const { return KeyHash(seed_, key) % kPeriod; }

std::string_view Payload::Slice(uint64_t offset, uint64_t position, uint64_t len) const {
  const uint64_t start = (offset + position) % kPeriod;
  return {pattern_.data() + start, static_cast<size_t>(std::min(len, kMaxSlice))};
}

PayloadVerifier::PayloadVerifier(const Payload& payload, std::string_view key)
    : payload_(payload), offset_(payload.OffsetOf(key)), size_(payload.SizeOf(key)) {}

void PayloadVerifier::Update(std::string_view chunk) {
  if (!ok_) return;
  if (chunk.size() > size_ - position_) {
    ok_ = false;
    return;
  }
  while (!chunk.empty()) {
    const size_t n = std::min<size_t>(chunk.size(), Payload::kMaxSlice);
    if (std::memcmp(chunk.data(), payload_.Slice(offset_, position_, n).data(), n) != 0) {
      ok_ = false;
      return;
    }
    chunk.remove_prefix(n);
    position_ += n;
  }
}

}  // namespace stratus::bench
