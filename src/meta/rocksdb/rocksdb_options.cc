#include "meta/rocksdb/rocksdb_options.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

namespace stratus::meta {
namespace {

// Memory budget: the block cache (index and filter blocks included, so it is the real bound
// on read memory) plus at most two memtables.
constexpr size_t kBlockCacheBytes = 32 << 20;
constexpr size_t kWriteBufferBytes = 8 << 20;

}  // namespace

rocksdb::Options MetaStoreDbOptions() {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_background_jobs = 2;
  options.write_buffer_size = kWriteBufferBytes;
  options.max_write_buffer_number = 2;
  options.max_open_files = 512;
  options.level_compaction_dynamic_level_bytes = true;
  options.bytes_per_sync = 1 << 20;
  options.keep_log_file_num = 4;
  options.max_log_file_size = 8 << 20;
  options.max_manifest_file_size = 64 << 20;
  // Synced writers are grouped into one WAL write + fsync; that is where many small PUTs
  // per fsync come from. Our batches are a few hundred bytes, so the group's leader inserts
  // them all into the memtable itself and wakes each follower once: pipelining and parallel
  // memtable inserts each cost followers another sleep and wake-up, and a waiting writer's
  // adaptive sched_yield loop takes the CPU from the threads it waits for when workers
  // outnumber cores. Measured on 2 cores, 4 KiB PUT c16 (docs/performance.md): 4600 ops/s
  // pipelined, 4861 without, 5768 without and without the yield loop.
  options.enable_pipelined_write = false;
  options.allow_concurrent_memtable_write = false;
  options.enable_write_thread_adaptive_yield = false;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.format_version = 5;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

}  // namespace stratus::meta
