// MetaStore on an embedded RocksDB database in one directory. Key layout and record encoding:
// docs/formats/metadata.md (see meta/keys.h and meta/record_codec.h).
//
// Thread-safe. Every mutation is one WriteBatch written with sync=true; RocksDB groups
// concurrent synced writers into one WAL fsync, so the store takes no global lock around a
// write. Atomicity of read-check-write sequences comes from striped locks instead:
//   - a per-bucket shared_mutex stripe: PutObject/DeleteObject hold it shared, CreateBucket and
//     DeleteBucket exclusive, so "bucket exists" and "bucket is empty" cannot go stale;
//   - a per-(bucket, key) mutex stripe, held by PutObject (precondition + write) and
//     DeleteObject. Lock order: bucket stripe, then key stripe.
// PutObjectAsync hands its put to one committer thread, which writes all the puts waiting
// for it as one synced batch, holding their stripes (it waits for a stripe only while it
// holds none), and then calls each put's callback. So a thread that must not block can
// have its write grouped with others without a thread of its own waiting for the fsync.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "meta/meta_store.h"

namespace stratus::meta {

// Opens (creating if needed) the store in `dir`. Refuses a directory written with an unknown
// layout version.
Result<std::unique_ptr<MetaStore>> OpenRocksDbMetaStore(const std::string& dir);

}  // namespace stratus::meta
