// The listing state machine ListObjects, ListObjectsV2 and ListMultipartUploads share: records
// come from a scan in key byte order; a record whose key holds the delimiter after the prefix
// is rolled up into one CommonPrefix, and the scan then seeks past everything under that prefix.
// So a page costs about one seek per entry, whatever the bucket holds.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "meta/meta_store.h"

namespace stratus::s3 {

// Appended to a prefix, sorts after every key that starts with it: 0xFF never occurs in UTF-8,
// and keys are valid UTF-8.
inline constexpr std::string_view kAfterPrefix = "\xff";

struct ListingShape {
  std::string prefix;
  std::string delimiter;  // any string; empty rolls nothing up
  size_t max_entries = 1000;
};

// The rolled-up prefix `key` belongs to (through the first delimiter after the prefix), or ""
// when it belongs to none.
std::string CommonPrefixOf(const ListingShape& shape, std::string_view key);

// Where a scan resumes after `marker`: a marker that is itself a rolled-up prefix (a next
// marker we handed out) resumes after all of it.
std::string ResumePoint(const ListingShape& shape, std::string marker);

template <typename Record>
struct ListingEntry {
  std::optional<Record> record;  // a record, or
  std::string common_prefix;     // a rolled-up prefix
};

template <typename Record>
struct Listing {
  std::vector<ListingEntry<Record>> entries;  // at most max_entries, in key order
  bool truncated = false;
};

template <typename Record>
struct ScanBatch {
  std::vector<Record> records;
  bool more = false;
};

// A Scan yields records in key order from its current position: `Next(n)` returns up to n
// records and whether more follow, and moves the position past the last one returned;
// `SkipPast(prefix)` moves the position past every key starting with `prefix`.
template <typename Scan>
Result<Listing<typename Scan::Record>> CollectListing(Scan& scan, const ListingShape& shape) {
  Listing<typename Scan::Record> listing;
  // S3 answers max-keys=0 with an empty page that is not truncated, whatever the bucket
  // holds (a truncated page with no entries would give a paginator no marker to go on from).
  if (shape.max_entries == 0) return listing;
  auto& entries = listing.entries;
  entries.reserve(std::min<size_t>(shape.max_entries + 1, 1001));
  // Records after a roll-up are thrown away, so with a delimiter the scan reads small batches
  // that double while nothing rolls up: a page of rolled-up prefixes reads about one record
  // per prefix, a page of plain keys about log2(max_entries) batches.
  size_t batch_size = shape.delimiter.empty() ? SIZE_MAX : 1;
  // One more than the page needs, to learn whether the listing is truncated.
  while (entries.size() <= shape.max_entries) {
    size_t wanted = shape.max_entries - entries.size() + 1;
    ASSIGN_OR_RETURN(auto batch, scan.Next(std::min(wanted, batch_size)));
    bool rolled_up = false;
    for (auto& record : batch.records) {
      if (entries.size() == shape.max_entries) {
        listing.truncated = true;
        return listing;
      }
      std::string common_prefix = CommonPrefixOf(shape, record.key);
      if (!common_prefix.empty()) {
        scan.SkipPast(common_prefix);
        entries.push_back({std::nullopt, std::move(common_prefix)});
        rolled_up = true;
        break;
      }
      entries.push_back({std::move(record), {}});
    }
    if (!rolled_up && !batch.more) break;
    batch_size = rolled_up ? 1 : std::min(batch_size, SIZE_MAX / 2) * 2;
  }
  if (entries.size() > shape.max_entries) {
    entries.pop_back();
    listing.truncated = true;
  }
  return listing;
}

// A bucket's object records from the MetaStore.
class ObjectScan {
 public:
  using Record = meta::ObjectRecord;
  ObjectScan(meta::MetaStore& meta, std::string bucket, std::string prefix, std::string after)
      : meta_(meta),
        bucket_(std::move(bucket)),
        prefix_(std::move(prefix)),
        after_(std::move(after)) {}
  Result<ScanBatch<Record>> Next(size_t limit);
  void SkipPast(std::string_view prefix);

 private:
  meta::MetaStore& meta_;
  std::string bucket_;
  std::string prefix_;
  std::string after_;  // the scan returns keys after this one
};

// A bucket's multipart upload records from the MetaStore, in key then initiation order.
class UploadScan {
 public:
  using Record = meta::UploadRecord;
  UploadScan(meta::MetaStore& meta, std::string bucket, std::string prefix, std::string key_after,
             std::string upload_id_after)
      : meta_(meta),
        bucket_(std::move(bucket)),
        prefix_(std::move(prefix)),
        key_after_(std::move(key_after)),
        upload_id_after_(std::move(upload_id_after)) {}
  Result<ScanBatch<Record>> Next(size_t limit);
  void SkipPast(std::string_view prefix);

 private:
  meta::MetaStore& meta_;
  std::string bucket_;
  std::string prefix_;
  std::string key_after_;
  std::string upload_id_after_;  // empty: after every upload of key_after_
};

}  // namespace stratus::s3
