#include "meta/rocksdb/rocksdb_meta_store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace stratus::meta {
namespace {

class RocksDbMetaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "meta_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    auto store = OpenRocksDbMetaStore(dir_ + "/meta");
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
  }
  void MakeBucket(const std::string& name) {
    auto created = store_->CreateBucket({.name = name, .region = "us-east-1", .owner = "me"});
    ASSERT_TRUE(created && *created);
  }
  static ObjectRecord Inline(const std::string& bucket, const std::string& key,
                             const std::string& data) {
    ObjectRecord object;
    object.bucket = bucket;
    object.key = key;
    object.size = data.size();
    object.etag = "etag-" + data;
    object.data.inline_data = data;
    return object;
  }
  static ObjectRecord External(const std::string& bucket, const std::string& key,
                               const std::string& data_id) {
    ObjectRecord object;
    object.bucket = bucket;
    object.key = key;
    object.size = 1 << 20;
    object.data.data_id = data_id;
    return object;
  }
  std::optional<ObjectRecord> Put(const ObjectRecord& object) {
    auto replaced = store_->PutObject(object, nullptr);
    EXPECT_TRUE(replaced) << replaced.error().ToString();
    return replaced ? *replaced : std::nullopt;
  }
  // PutObjectAsync's answer, once it comes.
  std::future<Result<std::optional<ObjectRecord>>> PutAsync(ObjectRecord object,
                                                            WritePrecondition precondition) {
    auto answer = std::make_shared<std::promise<Result<std::optional<ObjectRecord>>>>();
    auto future = answer->get_future();
    store_->PutObjectAsync(std::move(object), std::move(precondition),
                           [answer](Result<std::optional<ObjectRecord>> result) {
                             answer->set_value(std::move(result));
                           });
    return future;
  }
  static Status IfAbsent(const std::optional<ObjectRecord>& current) {
    return current ? Status(ErrorCode::kPreconditionFailed) : Status::Ok();
  }
  std::vector<std::string> ListKeys(std::string_view prefix, std::string_view start_after,
                                    size_t limit, bool* truncated = nullptr) {
    auto page = store_->ListObjects("b", prefix, start_after, limit);
    EXPECT_TRUE(page);
    std::vector<std::string> keys;
    for (const auto& object : page->objects) keys.push_back(object.key);
    if (truncated != nullptr) *truncated = page->truncated;
    return keys;
  }

  std::string dir_;
  std::unique_ptr<MetaStore> store_;
};

TEST_F(RocksDbMetaStoreTest, BucketLifecycle) {
  MakeBucket("zeta");
  MakeBucket("alpha");
  auto again = store_->CreateBucket({.name = "alpha", .region = "other", .owner = "x"});
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);

  auto alpha = store_->GetBucket("alpha");
  ASSERT_TRUE(alpha && *alpha);
  EXPECT_EQ((*alpha)->name, "alpha");
  EXPECT_EQ((*alpha)->region, "us-east-1");  // the first creation wins
  EXPECT_EQ((*alpha)->owner, "me");
  auto missing = store_->GetBucket("nope");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);

  auto list = store_->ListBuckets("", "", 100);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->buckets.size(), 2u);
  EXPECT_EQ(list->buckets[0].name, "alpha");
  EXPECT_EQ(list->buckets[1].name, "zeta");
  EXPECT_FALSE(list->truncated);

  EXPECT_EQ(store_->DeleteBucket("alpha"), DeleteBucketOutcome::kDeleted);
  EXPECT_EQ(store_->DeleteBucket("alpha"), DeleteBucketOutcome::kNoSuchBucket);
  list = store_->ListBuckets("", "", 100);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->buckets.size(), 1u);
}

TEST_F(RocksDbMetaStoreTest, ListBucketsPagesByPrefixAndStartAfter) {
  for (std::string name : {"a1", "b1", "b2", "b3", "c1"}) {
    ASSERT_TRUE(store_->CreateBucket({.name = name, .region = "r", .owner = "o"}));
  }
  auto names = [](const ListBucketsPage& page) {
    std::vector<std::string> out;
    for (const auto& b : page.buckets) out.push_back(b.name);
    return out;
  };
  auto first = store_->ListBuckets("b", "", 2);
  ASSERT_TRUE(first);
  EXPECT_EQ(names(*first), (std::vector<std::string>{"b1", "b2"}));
  EXPECT_TRUE(first->truncated);
  auto second = store_->ListBuckets("b", "b2", 2);
  ASSERT_TRUE(second);
  EXPECT_EQ(names(*second), (std::vector<std::string>{"b3"}));
  EXPECT_FALSE(second->truncated);
  auto after = store_->ListBuckets("", "b3", 10);
  ASSERT_TRUE(after);
  EXPECT_EQ(names(*after), (std::vector<std::string>{"c1"}));
  auto exact = store_->ListBuckets("", "", 5);
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->buckets.size(), 5u);
  EXPECT_FALSE(exact->truncated);
}

TEST_F(RocksDbMetaStoreTest, UpdateBucketChangesConfigsAtomically) {
  MakeBucket("conf");
  ASSERT_TRUE(store_
                  ->UpdateBucket("conf",
                                 [](BucketRecord& bucket) {
                                   bucket.configs["tagging"] = "<Tagging/>";
                                   return Status::Ok();
                                 })
                  .ok());
  auto bucket = store_->GetBucket("conf");
  ASSERT_TRUE(bucket && *bucket);
  EXPECT_EQ((*bucket)->configs.at("tagging"), "<Tagging/>");
  EXPECT_EQ((*bucket)->owner, "me");

  // A refusing mutation writes nothing.
  Status refused = store_->UpdateBucket("conf", [](BucketRecord& bucket) {
    bucket.configs.clear();
    return Status(ErrorCode::kMalformedXML);
  });
  EXPECT_EQ(refused.code(), ErrorCode::kMalformedXML);
  bucket = store_->GetBucket("conf");
  EXPECT_EQ((*bucket)->configs.size(), 1u);

  Status missing = store_->UpdateBucket("nope", [](BucketRecord&) { return Status::Ok(); });
  EXPECT_EQ(missing.code(), ErrorCode::kNoSuchBucket);
}

TEST_F(RocksDbMetaStoreTest, DeleteBucketRefusesNonEmpty) {
  MakeBucket("b");
  MakeBucket("b2");
  Put(Inline("b", "k", "v"));
  Put(Inline("b2", "k", "v"));  // a neighbour's objects do not count
  EXPECT_EQ(store_->DeleteBucket("b"), DeleteBucketOutcome::kNotEmpty);
  ASSERT_TRUE(store_->DeleteObject("b", "k"));
  EXPECT_EQ(store_->DeleteBucket("b"), DeleteBucketOutcome::kDeleted);
  auto put = store_->PutObject(Inline("b", "k", "v"), nullptr);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code(), ErrorCode::kNoSuchBucket);
}

TEST_F(RocksDbMetaStoreTest, PutGetDeleteObject) {
  MakeBucket("b");
  ObjectRecord object = Inline("b", "dir/key", "hello");
  object.user_metadata = {{"a", "1"}};
  EXPECT_FALSE(Put(object));

  auto got = store_->GetObject("b", "dir/key");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->bucket, "b");
  EXPECT_EQ((*got)->key, "dir/key");
  EXPECT_EQ((*got)->data.inline_data, "hello");
  EXPECT_EQ((*got)->user_metadata, object.user_metadata);

  auto replaced = Put(Inline("b", "dir/key", "world"));
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->data.inline_data, "hello");
  EXPECT_EQ(replaced->key, "dir/key");

  auto deleted = store_->DeleteObject("b", "dir/key");
  ASSERT_TRUE(deleted && *deleted);
  EXPECT_EQ((*deleted)->data.inline_data, "world");
  auto gone = store_->GetObject("b", "dir/key");
  ASSERT_TRUE(gone);
  EXPECT_FALSE(*gone);
  deleted = store_->DeleteObject("b", "dir/key");
  ASSERT_TRUE(deleted);
  EXPECT_FALSE(*deleted);
}

TEST_F(RocksDbMetaStoreTest, PutIntoMissingBucketFails) {
  auto put = store_->PutObject(Inline("none", "k", "v"), nullptr);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code(), ErrorCode::kNoSuchBucket);
}

TEST_F(RocksDbMetaStoreTest, RejectsUnencodableNames) {
  MakeBucket("b");
  auto put = store_->PutObject(Inline("b", std::string("a\0b", 3), "v"), nullptr);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code(), ErrorCode::kInvalidArgument);
  auto bucket = store_->CreateBucket({.name = std::string("x\0y", 3), .region = "", .owner = ""});
  ASSERT_FALSE(bucket);
  EXPECT_EQ(bucket.error().code(), ErrorCode::kInvalidBucketName);
}

TEST_F(RocksDbMetaStoreTest, Preconditions) {
  MakeBucket("b");
  auto if_none_match = [](const std::optional<ObjectRecord>& current) {
    return current ? Status(ErrorCode::kPreconditionFailed) : Status::Ok();
  };
  ASSERT_TRUE(store_->PutObject(Inline("b", "k", "first"), if_none_match));
  auto second = store_->PutObject(Inline("b", "k", "second"), if_none_match);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kPreconditionFailed);
  auto got = store_->GetObject("b", "k");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->data.inline_data, "first");

  auto if_match = [](const std::optional<ObjectRecord>& current) {
    return current && current->etag == "etag-first" ? Status::Ok()
                                                    : Status(ErrorCode::kPreconditionFailed);
  };
  EXPECT_TRUE(store_->PutObject(Inline("b", "k", "third"), if_match));
  EXPECT_FALSE(store_->PutObject(Inline("b", "k", "fourth"), if_match));
}

TEST_F(RocksDbMetaStoreTest, ConcurrentIfNoneMatchHasOneWinner) {
  MakeBucket("b");
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto put =
          store_->PutObject(Inline("b", "contended", std::to_string(t)), [](const auto& current) {
            return current ? Status(ErrorCode::kPreconditionFailed) : Status::Ok();
          });
      if (put) ++wins;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wins, 1);
}

TEST_F(RocksDbMetaStoreTest, DataReferences) {
  MakeBucket("b");
  Put(External("b", "k", "id1"));
  EXPECT_EQ(store_->IsDataReferenced("id1"), true);
  EXPECT_EQ(store_->IsDataReferenced("id"), false);  // no prefix confusion
  EXPECT_EQ(store_->IsDataReferenced("id10"), false);

  auto replaced = Put(External("b", "k", "id2"));
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->data.data_id, "id1");
  EXPECT_EQ(store_->IsDataReferenced("id1"), false);
  EXPECT_EQ(store_->IsDataReferenced("id2"), true);

  // Same data id kept by a metadata-only rewrite.
  Put(External("b", "k", "id2"));
  EXPECT_EQ(store_->IsDataReferenced("id2"), true);

  Put(Inline("b", "k", "small"));
  EXPECT_EQ(store_->IsDataReferenced("id2"), false);
  Put(External("b", "k", "id3"));
  ASSERT_TRUE(store_->DeleteObject("b", "k"));
  EXPECT_EQ(store_->IsDataReferenced("id3"), false);
}

TEST_F(RocksDbMetaStoreTest, ListObjects) {
  MakeBucket("b");
  MakeBucket("b0");
  MakeBucket("a");
  for (const char* key : {"a", "a!", "a/1", "a/2", "ab", "b", "photos/2024/x.jpg", "zz"}) {
    Put(Inline("b", key, "data"));
  }
  Put(Inline("b0", "a", "x"));  // other buckets with a shared name prefix stay out
  Put(Inline("a", "zzz", "x"));

  using Keys = std::vector<std::string>;
  bool truncated = true;
  EXPECT_EQ(ListKeys("", "", 100, &truncated),
            (Keys{"a", "a!", "a/1", "a/2", "ab", "b", "photos/2024/x.jpg", "zz"}));
  EXPECT_FALSE(truncated);
  EXPECT_EQ(ListKeys("a", "", 100), (Keys{"a", "a!", "a/1", "a/2", "ab"}));
  EXPECT_EQ(ListKeys("a/", "", 100), (Keys{"a/1", "a/2"}));
  EXPECT_EQ(ListKeys("", "a/1", 100), (Keys{"a/2", "ab", "b", "photos/2024/x.jpg", "zz"}));
  EXPECT_EQ(ListKeys("", "a/0", 100), (Keys{"a/1", "a/2", "ab", "b", "photos/2024/x.jpg", "zz"}));
  EXPECT_EQ(ListKeys("a", "0", 100), (Keys{"a", "a!", "a/1", "a/2", "ab"}));  // before prefix
  EXPECT_EQ(ListKeys("a", "zz", 100), Keys{});                                // after prefix
  EXPECT_EQ(ListKeys("", "", 3, &truncated), (Keys{"a", "a!", "a/1"}));
  EXPECT_TRUE(truncated);
  EXPECT_EQ(ListKeys("", "a/1", 2, &truncated), (Keys{"a/2", "ab"}));
  EXPECT_TRUE(truncated);
  EXPECT_EQ(ListKeys("", "photos", 2, &truncated), (Keys{"photos/2024/x.jpg", "zz"}));
  EXPECT_FALSE(truncated);
  EXPECT_EQ(ListKeys("nothing", "", 10, &truncated), Keys{});
  EXPECT_FALSE(truncated);
  // Skipping a whole "directory" for delimiter listings: start after prefix + 0xff.
  EXPECT_EQ(ListKeys("", "a/\xff", 100), (Keys{"ab", "b", "photos/2024/x.jpg", "zz"}));

  auto page = store_->ListObjects("b", "", "", 100);
  ASSERT_TRUE(page);
  for (const auto& object : page->objects) {
    EXPECT_EQ(object.bucket, "b");
    EXPECT_TRUE(object.data.inline_data.empty());  // listings never carry object bytes
    EXPECT_EQ(object.size, 4u);
  }
}

TEST_F(RocksDbMetaStoreTest, ConcurrentPutsAllReadable) {
  MakeBucket("b");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string key = "t" + std::to_string(t) + "/k" + std::to_string(i);
        if (!store_->PutObject(Inline("b", key, key), nullptr)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      std::string key = "t" + std::to_string(t) + "/k" + std::to_string(i);
      auto got = store_->GetObject("b", key);
      ASSERT_TRUE(got && *got) << key;
      EXPECT_EQ((*got)->data.inline_data, key);
    }
  }
  auto page = store_->ListObjects("b", "", "", 10000);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->objects.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST_F(RocksDbMetaStoreTest, DeleteBucketRacesPuts) {
  // Whatever the interleaving, a bucket is never deleted while holding an object.
  for (int round = 0; round < 20; ++round) {
    MakeBucket("race");
    std::atomic<bool> put_ok{false};
    std::thread putter(
        [&] { put_ok = store_->PutObject(Inline("race", "k", "v"), nullptr).has_value(); });
    auto outcome = store_->DeleteBucket("race");
    putter.join();
    ASSERT_TRUE(outcome);
    if (*outcome == DeleteBucketOutcome::kDeleted) {
      EXPECT_FALSE(put_ok);
      auto page = store_->ListObjects("race", "", "", 10);
      ASSERT_TRUE(page);
      EXPECT_TRUE(page->objects.empty());
    } else {
      EXPECT_EQ(*outcome, DeleteBucketOutcome::kNotEmpty);
      EXPECT_TRUE(put_ok);
      ASSERT_TRUE(store_->DeleteObject("race", "k"));
      EXPECT_EQ(store_->DeleteBucket("race"), DeleteBucketOutcome::kDeleted);
    }
  }
}

TEST_F(RocksDbMetaStoreTest, AsyncPutAnswersWithTheReplacedRecord) {
  MakeBucket("b");
  auto first = PutAsync(Inline("b", "k", "one"), nullptr).get();
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_FALSE(*first);
  auto second = PutAsync(Inline("b", "k", "two"), nullptr).get();
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->data.inline_data, "one");
  auto got = store_->GetObject("b", "k");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->data.inline_data, "two");
}

TEST_F(RocksDbMetaStoreTest, AsyncPutRefusals) {
  MakeBucket("b");
  auto missing = PutAsync(Inline("nobucket", "k", "v"), nullptr).get();
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNoSuchBucket);
  auto bad_key = PutAsync(Inline("b", std::string("a\0b", 3), "v"), nullptr).get();
  ASSERT_FALSE(bad_key);
  EXPECT_EQ(bad_key.error().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(PutAsync(Inline("b", "k", "v"), nullptr).get());
  auto refused = PutAsync(Inline("b", "k", "w"), IfAbsent).get();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kPreconditionFailed);
  EXPECT_EQ((*store_->GetObject("b", "k"))->data.inline_data, "v");
}

// Puts queued together may share a group; each must still see the one before it.
TEST_F(RocksDbMetaStoreTest, AsyncPutsOfOneKeyApplyInOrder) {
  MakeBucket("b");
  constexpr int kPuts = 50;
  std::vector<std::future<Result<std::optional<ObjectRecord>>>> answers;
  answers.push_back(PutAsync(Inline("b", "k", "v0"), IfAbsent));
  for (int i = 1; i < kPuts; ++i) {
    std::string previous = "etag-v" + std::to_string(i - 1);
    answers.push_back(PutAsync(Inline("b", "k", "v" + std::to_string(i)),
                               [previous](const std::optional<ObjectRecord>& current) {
                                 return current && current->etag == previous
                                            ? Status::Ok()
                                            : Status(ErrorCode::kPreconditionFailed);
                               }));
  }
  // And a second key, whose puts must not wait for the first key's.
  auto other = PutAsync(Inline("b", "other", "x"), IfAbsent);
  for (auto& answer : answers) {
    auto result = answer.get();
    EXPECT_TRUE(result) << result.error().ToString();
  }
  EXPECT_TRUE(other.get());
  EXPECT_EQ((*store_->GetObject("b", "k"))->data.inline_data, "v" + std::to_string(kPuts - 1));
}

TEST_F(RocksDbMetaStoreTest, ConcurrentAsyncAndSyncIfNoneMatchHaveOneWinner) {
  MakeBucket("b");
  for (int round = 0; round < 20; ++round) {
    std::string key = "contended" + std::to_string(round);
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        if (store_->PutObject(Inline("b", key, "sync" + std::to_string(t)), IfAbsent)) ++wins;
      });
    }
    std::vector<std::future<Result<std::optional<ObjectRecord>>>> answers;
    for (int t = 0; t < 4; ++t) answers.push_back(PutAsync(Inline("b", key, "async"), IfAbsent));
    for (auto& thread : threads) thread.join();
    for (auto& answer : answers) {
      if (answer.get()) ++wins;
    }
    EXPECT_EQ(wins, 1) << key;
  }
}

TEST_F(RocksDbMetaStoreTest, DeleteBucketRacesAsyncPuts) {
  // The committer takes bucket stripes while a deleter holds one exclusively: no deadlock,
  // and a bucket never goes while it holds an object.
  for (int round = 0; round < 20; ++round) {
    MakeBucket("race");
    MakeBucket("other");
    std::vector<std::future<Result<std::optional<ObjectRecord>>>> answers;
    for (int i = 0; i < 8; ++i) {
      answers.push_back(
          PutAsync(Inline(i % 2 ? "race" : "other", "k" + std::to_string(i), "v"), nullptr));
    }
    auto outcome = store_->DeleteBucket("race");
    int race_puts = 0;
    for (int i = 0; i < 8; ++i) {
      auto result = answers[i].get();
      if (i % 2 == 0) {
        EXPECT_TRUE(result) << result.error().ToString();
      } else if (result) {
        ++race_puts;
      } else {
        EXPECT_EQ(result.error().code(), ErrorCode::kNoSuchBucket);
      }
    }
    ASSERT_TRUE(outcome);
    if (*outcome == DeleteBucketOutcome::kDeleted) {
      EXPECT_EQ(race_puts, 0);
    } else {
      EXPECT_GT(race_puts, 0);
      for (int i = 1; i < 8; i += 2) (void)store_->DeleteObject("race", "k" + std::to_string(i));
      ASSERT_EQ(store_->DeleteBucket("race"), DeleteBucketOutcome::kDeleted);
    }
    for (int i = 0; i < 8; i += 2)
      ASSERT_TRUE(store_->DeleteObject("other", "k" + std::to_string(i)));
    ASSERT_EQ(store_->DeleteBucket("other"), DeleteBucketOutcome::kDeleted);
  }
}

TEST_F(RocksDbMetaStoreTest, ClosingAnswersQueuedAsyncPutsDurably) {
  MakeBucket("b");
  constexpr int kPuts = 200;
  std::atomic<int> stored{0};
  std::atomic<int> answered{0};
  for (int i = 0; i < kPuts; ++i) {
    store_->PutObjectAsync(Inline("b", "k" + std::to_string(i), "v"), nullptr,
                           [&](Result<std::optional<ObjectRecord>> result) {
                             if (result) ++stored;
                             ++answered;
                           });
  }
  Reopen();  // closes the store at once, with puts still queued
  EXPECT_EQ(answered, kPuts);
  EXPECT_EQ(stored, kPuts);
  auto page = store_->ListObjects("b", "", "", 1000);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->objects.size(), static_cast<size_t>(kPuts));
}

TEST_F(RocksDbMetaStoreTest, ReopenKeepsEverything) {
  MakeBucket("b");
  Put(Inline("b", "small", "bytes"));
  Put(External("b", "large", "id9"));
  Reopen();
  auto bucket = store_->GetBucket("b");
  ASSERT_TRUE(bucket && *bucket);
  EXPECT_EQ((*bucket)->owner, "me");
  auto small = store_->GetObject("b", "small");
  ASSERT_TRUE(small && *small);
  EXPECT_EQ((*small)->data.inline_data, "bytes");
  auto large = store_->GetObject("b", "large");
  ASSERT_TRUE(large && *large);
  EXPECT_EQ((*large)->data.data_id, "id9");
  EXPECT_EQ(store_->IsDataReferenced("id9"), true);
}

}  // namespace
}  // namespace stratus::meta

namespace stratus::meta {
namespace {

TEST_F(RocksDbMetaStoreTest, RefusesUnknownLayoutVersion) {
  MakeBucket("b");
  store_.reset();
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir_ + "/meta", &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "Mformat", std::string(1, '\x02')).ok());
  }
  auto refused = OpenRocksDbMetaStore(dir_ + "/meta");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("layout version"), std::string_view::npos);
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir_ + "/meta", &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), "Mformat").ok());
  }
  EXPECT_FALSE(OpenRocksDbMetaStore(dir_ + "/meta"));  // data present, version missing
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir_ + "/meta", &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "Mformat", std::string(1, '\x01')).ok());
  }
  Reopen();
  auto bucket = store_->GetBucket("b");
  ASSERT_TRUE(bucket);
  EXPECT_TRUE(*bucket);
}

TEST_F(RocksDbMetaStoreTest, CorruptRecordIsAnErrorNotAnObject) {
  MakeBucket("b");
  Put(Inline("b", "k", "v"));
  store_.reset();
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir_ + "/meta", &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), std::string("Ob\0k", 4), "\x01\x01").ok());
  }
  Reopen();
  auto got = store_->GetObject("b", "k");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code(), ErrorCode::kInternalError);
  EXPECT_FALSE(store_->ListObjects("b", "", "", 10));
}

}  // namespace
}  // namespace stratus::meta
