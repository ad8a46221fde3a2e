#include "s3/listing.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <set>

namespace stratus::s3 {
namespace {

struct KeyRecord {
  std::string key;
};

// A bucket as a sorted key set, counting what a listing costs it.
class FakeScan {
 public:
  using Record = KeyRecord;
  FakeScan(const std::set<std::string>& keys, std::string prefix, std::string after)
      : keys_(keys), prefix_(std::move(prefix)), after_(std::move(after)) {}

  Result<ScanBatch<Record>> Next(size_t limit) {
    ++seeks;
    ScanBatch<Record> batch;
    auto it = keys_.upper_bound(after_);
    if (it != keys_.end() && *it < prefix_) it = keys_.lower_bound(prefix_);
    for (; it != keys_.end() && it->starts_with(prefix_); ++it) {
      if (batch.records.size() == limit) {
        batch.more = true;
        break;
      }
      batch.records.push_back({*it});
    }
    records_read += batch.records.size();
    if (!batch.records.empty()) after_ = batch.records.back().key;
    return batch;
  }
  void SkipPast(std::string_view prefix) {
    after_ = std::string(prefix) + std::string(kAfterPrefix);
  }

  size_t seeks = 0;
  size_t records_read = 0;

 private:
  const std::set<std::string>& keys_;
  std::string prefix_;
  std::string after_;
};

// One entry as a string: "k:<key>" or "p:<common prefix>".
std::string Describe(const ListingEntry<KeyRecord>& entry) {
  return entry.record ? "k:" + entry.record->key : "p:" + entry.common_prefix;
}

std::string NextMarkerOf(const Listing<KeyRecord>& listing) {
  const auto& last = listing.entries.back();
  return last.record ? last.record->key : last.common_prefix;
}

struct Pages {
  std::vector<std::vector<std::string>> pages;
  std::vector<std::string> All() const {
    std::vector<std::string> all;
    for (const auto& page : pages) all.insert(all.end(), page.begin(), page.end());
    return all;
  }
};

// Lists every page the way a client follows NextMarker / continuation tokens.
Pages ListAll(const std::set<std::string>& keys, const ListingShape& shape,
              std::string marker = {}) {
  Pages result;
  for (int page = 0; page < 10000; ++page) {
    FakeScan scan(keys, shape.prefix, ResumePoint(shape, marker));
    auto listing = CollectListing(scan, shape);
    EXPECT_TRUE(listing.has_value());
    std::vector<std::string> described;
    for (const auto& entry : listing->entries) described.push_back(Describe(entry));
    EXPECT_LE(described.size(), shape.max_entries);
    result.pages.push_back(described);
    if (!listing->truncated) return result;
    EXPECT_FALSE(listing->entries.empty()) << "a truncated page must make progress";
    if (listing->entries.empty()) return result;
    marker = NextMarkerOf(*listing);
  }
  ADD_FAILURE() << "listing did not end";
  return result;
}

// What S3 defines the whole listing to be, computed the slow and obvious way.
std::vector<std::string> Reference(const std::set<std::string>& keys, const ListingShape& shape,
                                   const std::string& after = {}) {
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    if (!key.starts_with(shape.prefix) || key <= after) continue;
    size_t at = shape.delimiter.empty() ? std::string::npos
                                        : key.find(shape.delimiter, shape.prefix.size());
    std::string entry =
        at == std::string::npos ? "k:" + key : "p:" + key.substr(0, at + shape.delimiter.size());
    if (out.empty() || out.back() != entry) out.push_back(entry);
  }
  return out;
}

const std::set<std::string> kTree = {"a/1", "a/2", "a/x/3", "b", "c/1", "c/2", "d", "e/f/g"};

TEST(ListingTest, WithoutDelimiterPagesThroughEveryKey) {
  ListingShape shape{.prefix = "", .delimiter = "", .max_entries = 3};
  Pages pages = ListAll(kTree, shape);
  EXPECT_EQ(pages.pages.size(), 3u);
  EXPECT_EQ(pages.pages[0], (std::vector<std::string>{"k:a/1", "k:a/2", "k:a/x/3"}));
  EXPECT_EQ(pages.All(), Reference(kTree, shape));
}

TEST(ListingTest, RollsUpAtTheDelimiterAcrossPageBoundaries) {
  ListingShape shape{.prefix = "", .delimiter = "/", .max_entries = 2};
  Pages pages = ListAll(kTree, shape);
  ASSERT_EQ(pages.pages.size(), 3u);
  EXPECT_EQ(pages.pages[0], (std::vector<std::string>{"p:a/", "k:b"}));
  EXPECT_EQ(pages.pages[1], (std::vector<std::string>{"p:c/", "k:d"}));
  EXPECT_EQ(pages.pages[2], (std::vector<std::string>{"p:e/"}));
}

TEST(ListingTest, AMarkerThatIsARolledUpPrefixResumesAfterAllOfIt) {
  ListingShape shape{.prefix = "", .delimiter = "/", .max_entries = 10};
  EXPECT_EQ(ListAll(kTree, shape, "a/").All(),
            (std::vector<std::string>{"k:b", "p:c/", "k:d", "p:e/"}));
  // A key marker inside a prefix that is not itself the prefix resumes inside it.
  EXPECT_EQ(ListAll(kTree, shape, "a/1").All(),
            (std::vector<std::string>{"p:a/", "k:b", "p:c/", "k:d", "p:e/"}));
}

TEST(ListingTest, PrefixAndDelimiterRollUpBelowThePrefix) {
  ListingShape shape{.prefix = "a/", .delimiter = "/", .max_entries = 1000};
  EXPECT_EQ(ListAll(kTree, shape).All(), (std::vector<std::string>{"k:a/1", "k:a/2", "p:a/x/"}));
}

TEST(ListingTest, DelimiterMayBeAnyString) {
  std::set<std::string> keys = {"xabyab", "xabz", "yy", "zab"};
  ListingShape shape{.prefix = "", .delimiter = "ab", .max_entries = 1};
  Pages pages = ListAll(keys, shape);
  EXPECT_EQ(pages.All(), (std::vector<std::string>{"p:xab", "k:yy", "p:zab"}));
  EXPECT_EQ(pages.pages.size(), 3u);
}

TEST(ListingTest, ZeroMaxEntriesIsAnEmptyPageNeverTruncated) {
  ListingShape shape{.prefix = "", .delimiter = "", .max_entries = 0};
  FakeScan scan(kTree, "", "");
  auto listing = CollectListing(scan, shape);
  ASSERT_TRUE(listing);
  EXPECT_TRUE(listing->entries.empty());
  EXPECT_FALSE(listing->truncated);

  std::set<std::string> empty;
  FakeScan empty_scan(empty, "", "");
  auto none = CollectListing(empty_scan, shape);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->truncated);
}

TEST(ListingTest, KeysEndingInTheDelimiterRollUpIntoThemselves) {
  std::set<std::string> keys = {"dir/", "dir/file", "file"};
  ListingShape shape{.prefix = "", .delimiter = "/", .max_entries = 1};
  EXPECT_EQ(ListAll(keys, shape).All(), (std::vector<std::string>{"p:dir/", "k:file"}));
}

TEST(ListingTest, APageCostsTheSameWhateverThePrefixesHold) {
  // 50 prefixes; in the big bucket each holds 2,000 keys, in the small one a single key.
  auto bucket = [](int keys_per_prefix) {
    std::set<std::string> keys;
    for (int p = 0; p < 50; ++p) {
      for (int k = 0; k < keys_per_prefix; ++k) keys.insert(fmt::format("p{:03}/k{:05}", p, k));
    }
    return keys;
  };
  std::set<std::string> small = bucket(1);
  std::set<std::string> big = bucket(2000);
  ListingShape shape{.prefix = "", .delimiter = "/", .max_entries = 20};
  FakeScan small_scan(small, "", "");
  FakeScan big_scan(big, "", "");
  auto small_page = CollectListing(small_scan, shape);
  auto big_page = CollectListing(big_scan, shape);
  ASSERT_TRUE(small_page && big_page);
  ASSERT_EQ(big_page->entries.size(), 20u);
  EXPECT_EQ(big_scan.seeks, small_scan.seeks);
  // Each seek may read ahead up to the rest of the page, and no further.
  EXPECT_LE(big_scan.records_read, big_scan.seeks * (shape.max_entries + 1));
}

TEST(ListingTest, AgreesWithTheReferenceOnRandomBuckets) {
  std::mt19937 random(20261129);
  const std::vector<std::string> delimiters = {"", "/", "-", "ab", "b"};
  for (int round = 0; round < 300; ++round) {
    std::set<std::string> keys;
    int count = std::uniform_int_distribution<int>(0, 60)(random);
    for (int i = 0; i < count; ++i) {
      std::string key;
      int length = std::uniform_int_distribution<int>(1, 7)(random);
      for (int c = 0; c < length; ++c) key += "ab/-c"[random() % 5];
      keys.insert(key);
    }
    ListingShape shape;
    shape.delimiter = delimiters[random() % delimiters.size()];
    shape.prefix = std::string("ab/-"[random() % 4], random() % 2);
    shape.max_entries = 1 + random() % 7;
    SCOPED_TRACE(fmt::format("round {} prefix '{}' delimiter '{}' max {}", round, shape.prefix,
                             shape.delimiter, shape.max_entries));
    EXPECT_EQ(ListAll(keys, shape).All(), Reference(keys, shape));
  }
}

}  // namespace
}  // namespace stratus::s3
