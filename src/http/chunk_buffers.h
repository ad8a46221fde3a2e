// Response chunk buffers (1 MiB) kept for reuse. A fresh buffer is fresh pages: a 1 MiB GET
// paid a page fault and a page clear for every 4 KiB it read into one, and the unmap after
// (6% of the server's CPU at 1 MiB GETs, c16). Up to `keep` idle buffers are kept; beyond that
// they are freed. Thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace stratus::http {

class ChunkBuffers {
 public:
  ChunkBuffers(size_t buffer_size, size_t keep) : size_(buffer_size), keep_(keep) {}

  struct Deleter;
  using Buffer = std::unique_ptr<char[], Deleter>;
  struct Deleter {
    ChunkBuffers* owner;  // null: not one of ours, freed
    void operator()(char* data) const {
      if (owner != nullptr) {
        owner->Give(data);
      } else {
        delete[] data;
      }
    }
  };

  // A buffer of `bytes` (uninitialized): a kept one when it is size(), else a new one of
  // that size, freed when it goes.
  Buffer Take(size_t bytes) {
    if (bytes != size_) {
      return Buffer(std::make_unique_for_overwrite<char[]>(bytes).release(), Deleter{nullptr});
    }
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        char* data = free_.back().release();
        free_.pop_back();
        return Buffer(data, Deleter{this});
      }
    }
    return Buffer(std::make_unique_for_overwrite<char[]>(size_).release(), Deleter{this});
  }

  size_t size() const { return size_; }

 private:
  void Give(char* data) {
    std::unique_ptr<char[]> owned(data);
    std::lock_guard lock(mu_);
    if (free_.size() < keep_) free_.push_back(std::move(owned));
  }

  const size_t size_;
  const size_t keep_;
  std::mutex mu_;
  std::vector<std::unique_ptr<char[]>> free_;  // guarded by mu_
};

}  // namespace stratus::http
