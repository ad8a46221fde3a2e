// Fixed arrays of mutexes picked by hash: per-bucket and per-object locking without a map
// that grows with the keyspace. Two names may share a stripe; that only costs concurrency.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string_view>

namespace stratus::meta {

class LockStripes {
 public:
  std::shared_mutex& ForBucket(std::string_view bucket) {
    return bucket_locks_[Hash(bucket) % bucket_locks_.size()];
  }
  std::mutex& ForObject(std::string_view bucket, std::string_view key) {
    size_t h = Hash(bucket);
    h ^= Hash(key) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return object_locks_[h % object_locks_.size()];
  }

 private:
  static size_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

  std::array<std::shared_mutex, 64> bucket_locks_;
  std::array<std::mutex, 512> object_locks_;
};

}  // namespace stratus::meta
