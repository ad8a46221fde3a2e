// RocksDB tuning for the metadata store of a small server: bounded memory (we aim for well
// under 100 MiB RSS when idle), few background threads, bloom filters for point lookups.
#pragma once

#include <rocksdb/options.h>

namespace stratus::meta {

// Options for opening (creating if missing) the metadata database.
rocksdb::Options MetaStoreDbOptions();

}  // namespace stratus::meta
