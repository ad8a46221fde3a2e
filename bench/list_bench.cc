// One listing page from the RocksDB MetaStore, through the same CollectListing and ObjectScan
// the ListObjects handlers use, in a bucket of 1,000 keys and one of 1,000,000 keys. The keys
// are "dir<4 digits>/obj<7 digits>", spread over 1,000 directories, so the delimited page rolls
// up 1 key per directory in the small bucket and 1,000 in the large one.
//
// The stores live in $STRATUS_BENCH_DIR (default /dev/shm, where fsync is free, so building the
// million-key store takes seconds rather than an hour of synced writes); what is measured is
// reading, which RocksDB serves from its block cache either way.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "meta/rocksdb/rocksdb_meta_store.h"
#include "s3/listing.h"

namespace stratus::s3 {
namespace {

constexpr int kDirectories = 1000;

std::string KeyOf(int64_t index, int64_t keys) {
  int64_t per_directory = keys / kDirectories;
  return fmt::format("dir{:04}/obj{:07}", index / per_directory, index % per_directory);
}

class Bucket {
 public:
  explicit Bucket(int64_t keys) {
    const char* root = std::getenv("STRATUS_BENCH_DIR");
    dir_ = fmt::format("{}/stratus-list-bench-{}-{}", root ? root : "/dev/shm", keys, getpid());
    std::filesystem::remove_all(dir_);
    auto opened = meta::OpenRocksDbMetaStore(dir_);
    if (!opened) throw std::runtime_error(opened.error().ToString());
    store_ = std::move(*opened);
    Check(store_->CreateBucket({.name = "bench", .region = "us-east-1", .owner = "bench"}));
    meta::ObjectRecord object;
    object.bucket = "bench";
    object.etag = "d41d8cd98f00b204e9800998ecf8427e";
    for (int64_t i = 0; i < keys; ++i) {
      object.key = KeyOf(i, keys);
      Check(store_->PutObject(object, [](const auto&) { return Status(); }));
    }
  }
  ~Bucket() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  meta::MetaStore& store() { return *store_; }

 private:
  template <typename T>
  static void Check(const T& result) {
    if (!result) throw std::runtime_error(result.error().ToString());
  }
  std::string dir_;
  std::unique_ptr<meta::MetaStore> store_;
};

Bucket& BucketOf(int64_t keys) {
  static std::map<int64_t, std::unique_ptr<Bucket>> buckets;
  auto& bucket = buckets[keys];
  if (!bucket) bucket = std::make_unique<Bucket>(keys);
  return *bucket;
}

void ListPage(benchmark::State& state, const ListingShape& shape, const std::string& marker) {
  Bucket& bucket = BucketOf(state.range(0));
  {
    // One untimed page first: glibc raises its mmap threshold on the first free of a page-sized
    // vector, and whichever benchmark ran first would otherwise pay page faults for everyone.
    ObjectScan scan(bucket.store(), "bench", shape.prefix, ResumePoint(shape, marker));
    benchmark::DoNotOptimize(CollectListing(scan, shape));
  }
  size_t entries = 0;
  for (auto _ : state) {
    ObjectScan scan(bucket.store(), "bench", shape.prefix, ResumePoint(shape, marker));
    auto listing = CollectListing(scan, shape);
    if (!listing || listing->entries.size() != shape.max_entries) {
      state.SkipWithError("short page");
      return;
    }
    entries += listing->entries.size();
    benchmark::DoNotOptimize(listing);
  }
  state.SetItemsProcessed(static_cast<int64_t>(entries));
}

// 1,000 keys without a delimiter, from the middle of the bucket when it is large enough.
void BM_ListPageOfKeys(benchmark::State& state) {
  int64_t keys = state.range(0);
  ListPage(state, {.prefix = "", .delimiter = "", .max_entries = 1000},
           keys >= 2000 ? KeyOf(keys / 2, keys) : "");
}

// 1,000 CommonPrefixes, each rolling up 1 key (small bucket) or 1,000 keys (large bucket).
void BM_ListPageOfPrefixes(benchmark::State& state) {
  ListPage(state, {.prefix = "", .delimiter = "/", .max_entries = 1000}, "");
}

BENCHMARK(BM_ListPageOfKeys)->Arg(1000)->Arg(1000000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListPageOfPrefixes)->Arg(1000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace stratus::s3

BENCHMARK_MAIN();
