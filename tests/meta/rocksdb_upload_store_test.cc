// The RocksDB store's multipart upload records: uploads, parts, completion, abort, listings,
// expiry and the data references the orphan sweep relies on.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "meta/rocksdb/rocksdb_meta_store.h"

namespace stratus::meta {
namespace {

class UploadStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "upload_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Reopen();
    ASSERT_TRUE(*store_->CreateBucket({.name = "b", .region = "us-east-1", .owner = "me"}));
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
  UploadRecord Create(const std::string& key, const std::string& id, int64_t initiated = 1) {
    UploadRecord upload = Upload("b", key, id, initiated);
    Status s = store_->CreateUpload(upload);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return upload;
  }
  static UploadRecord Upload(const std::string& bucket, const std::string& key,
                             const std::string& id, int64_t initiated) {
    UploadRecord upload;
    upload.bucket = bucket;
    upload.key = key;
    upload.upload_id = id;
    upload.initiated_ns = initiated;
    upload.owner = "me";
    return upload;
  }
  static PartRecord Part(uint32_t number, const std::string& data_id, uint64_t size = 10) {
    return PartRecord{.number = number,
                      .size = size,
                      .etag = "e" + std::to_string(number),
                      .modified_ns = 0,
                      .checksums = {},
                      .data_id = data_id};
  }
  std::optional<PartRecord> Put(const std::string& key, const std::string& id,
                                const PartRecord& part) {
    auto replaced = store_->PutPart("b", key, id, part);
    EXPECT_TRUE(replaced) << replaced.error().ToString();
    return replaced ? *replaced : std::nullopt;
  }
  bool Referenced(const std::string& data_id) { return *store_->IsDataReferenced(data_id); }
  // Builds an object from every stored part.
  static ObjectRecord AllParts(const UploadRecord&, const std::vector<PartRecord>& parts) {
    ObjectRecord object;
    object.etag = "x-" + std::to_string(parts.size());
    for (const PartRecord& part : parts) {
      object.size += part.size;
      object.data.parts.push_back(part);
    }
    return object;
  }

  std::string dir_;
  std::unique_ptr<MetaStore> store_;
};

TEST_F(UploadStoreTest, CreateGetAndMissing) {
  Create("k", "00aa");
  auto upload = store_->GetUpload("b", "k", "00aa");
  ASSERT_TRUE(upload && *upload);
  EXPECT_EQ((*upload)->key, "k");
  EXPECT_EQ((*upload)->upload_id, "00aa");
  EXPECT_FALSE(store_->GetUpload("b", "other", "00aa")->has_value());
  EXPECT_FALSE(store_->GetUpload("b", "k", "00ab")->has_value());
  EXPECT_FALSE(store_->GetUpload("b", "k", "../x")->has_value());
  UploadRecord orphan = Upload("nobucket", "k", "01", 1);
  EXPECT_EQ(store_->CreateUpload(orphan).code(), ErrorCode::kNoSuchBucket);
}

TEST_F(UploadStoreTest, PartsReplaceAndReferenceTheirData) {
  Create("k", "00aa");
  EXPECT_FALSE(Put("k", "00aa", Part(2, "d2")));
  EXPECT_FALSE(Put("k", "00aa", Part(1, "d1")));
  EXPECT_TRUE(Referenced("d1"));
  auto replaced = Put("k", "00aa", Part(1, "d1b"));
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->data_id, "d1");
  EXPECT_FALSE(Referenced("d1"));
  EXPECT_TRUE(Referenced("d1b"));
  auto page = store_->ListParts("00aa", 0, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->parts.size(), 2u);
  EXPECT_EQ(page->parts[0].number, 1u);
  EXPECT_EQ(page->parts[1].number, 2u);
  EXPECT_EQ(store_->PutPart("b", "k", "ffff", Part(1, "dx")).error().code(),
            ErrorCode::kNoSuchUpload);
}

TEST_F(UploadStoreTest, ListPartsPaginates) {
  Create("k", "00aa");
  for (uint32_t n : {1, 2, 3, 300, 10000}) Put("k", "00aa", Part(n, "d" + std::to_string(n)));
  auto first = store_->ListParts("00aa", 0, 2);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->parts.size(), 2u);
  EXPECT_TRUE(first->truncated);
  auto rest = store_->ListParts("00aa", 2, 10);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->parts.size(), 3u);
  EXPECT_EQ(rest->parts[1].number, 300u);
  EXPECT_FALSE(rest->truncated);
  auto exact = store_->ListParts("00aa", 3, 2);
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->parts.size(), 2u);
  EXPECT_FALSE(exact->truncated);
}

TEST_F(UploadStoreTest, CompleteMovesReferencesAndRemovesTheUpload) {
  Create("k", "00aa");
  Put("k", "00aa", Part(1, "d1"));
  Put("k", "00aa", Part(2, "d2"));
  Put("k", "00aa", Part(3, "d3"));
  // Use parts 1 and 3 only.
  auto done = store_->CompleteUpload(
      "b", "k", "00aa",
      [](const UploadRecord&, const std::vector<PartRecord>& parts) -> Result<ObjectRecord> {
        ObjectRecord object;
        object.data.parts = {parts[0], parts[2]};
        object.size = 20;
        return object;
      },
      nullptr);
  ASSERT_TRUE(done) << done.error().ToString();
  EXPECT_FALSE(done->replaced);
  ASSERT_EQ(done->unused_parts.size(), 1u);
  EXPECT_EQ(done->unused_parts[0].data_id, "d2");
  EXPECT_TRUE(Referenced("d1"));
  EXPECT_FALSE(Referenced("d2"));
  EXPECT_TRUE(Referenced("d3"));
  EXPECT_FALSE(store_->GetUpload("b", "k", "00aa")->has_value());
  EXPECT_TRUE(store_->ListParts("00aa", 0, 10)->parts.empty());
  Reopen();
  auto object = store_->GetObject("b", "k");
  ASSERT_TRUE(object && *object);
  ASSERT_EQ((*object)->data.parts.size(), 2u);
  EXPECT_EQ((*object)->data.parts[1].data_id, "d3");
  // Completing again: the upload is gone.
  EXPECT_EQ(store_->CompleteUpload("b", "k", "00aa", AllParts, nullptr).error().code(),
            ErrorCode::kNoSuchUpload);
  // Deleting the object drops every part reference.
  ASSERT_TRUE(store_->DeleteObject("b", "k"));
  EXPECT_FALSE(Referenced("d1"));
  EXPECT_FALSE(Referenced("d3"));
}

TEST_F(UploadStoreTest, FailedBuildOrPreconditionChangesNothing) {
  Create("k", "00aa");
  Put("k", "00aa", Part(1, "d1"));
  auto failed = store_->CompleteUpload(
      "b", "k", "00aa",
      [](const UploadRecord&, const std::vector<PartRecord>&) -> Result<ObjectRecord> {
        return Error(ErrorCode::kInvalidPart);
      },
      nullptr);
  EXPECT_EQ(failed.error().code(), ErrorCode::kInvalidPart);
  auto refused = store_->CompleteUpload(
      "b", "k", "00aa", AllParts,
      [](const std::optional<ObjectRecord>&) { return Status(ErrorCode::kPreconditionFailed); });
  EXPECT_EQ(refused.error().code(), ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(store_->GetUpload("b", "k", "00aa")->has_value());
  EXPECT_TRUE(Referenced("d1"));
  EXPECT_FALSE(store_->GetObject("b", "k")->has_value());
}

TEST_F(UploadStoreTest, CompleteReplacesAnObjectAndReturnsIt) {
  ObjectRecord old;
  old.bucket = "b";
  old.key = "k";
  old.size = 1;
  old.data.data_id = "old";
  ASSERT_TRUE(store_->PutObject(old, nullptr));
  Create("k", "00aa");
  Put("k", "00aa", Part(1, "d1"));
  auto done = store_->CompleteUpload("b", "k", "00aa", AllParts, nullptr);
  ASSERT_TRUE(done);
  ASSERT_TRUE(done->replaced);
  EXPECT_EQ(done->replaced->data.data_id, "old");
  EXPECT_FALSE(Referenced("old"));
  EXPECT_TRUE(Referenced("d1"));
}

TEST_F(UploadStoreTest, AbortReturnsPartsAndDropsReferences) {
  Create("k", "00aa");
  Put("k", "00aa", Part(1, "d1"));
  Put("k", "00aa", Part(2, "d2"));
  auto parts = store_->AbortUpload("b", "k", "00aa");
  ASSERT_TRUE(parts && *parts);
  EXPECT_EQ((*parts)->size(), 2u);
  EXPECT_FALSE(Referenced("d1"));
  EXPECT_FALSE(Referenced("d2"));
  auto again = store_->AbortUpload("b", "k", "00aa");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
}

TEST_F(UploadStoreTest, ListUploadsInKeyThenInitiationOrderWithMarkers) {
  Create("a", "01");
  Create("a", "02");
  Create("a!", "01");
  Create("dir/x", "05");
  Create("z", "03");
  auto names = [](const ListUploadsPage& page) {
    std::vector<std::string> out;
    for (const auto& u : page.uploads) out.push_back(u.key + "#" + u.upload_id);
    return out;
  };
  auto all = store_->ListUploads("b", "", "", "", 100);
  ASSERT_TRUE(all);
  EXPECT_EQ(names(*all), (std::vector<std::string>{"a#01", "a#02", "a!#01", "dir/x#05", "z#03"}));
  auto page = store_->ListUploads("b", "", "", "", 2);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(names(*page), (std::vector<std::string>{"a#01", "a#02"}));
  EXPECT_EQ(names(*store_->ListUploads("b", "", "a", "01", 2)),
            (std::vector<std::string>{"a#02", "a!#01"}));
  EXPECT_EQ(names(*store_->ListUploads("b", "", "a", "", 10)),
            (std::vector<std::string>{"a!#01", "dir/x#05", "z#03"}));
  EXPECT_EQ(names(*store_->ListUploads("b", "dir/", "", "", 10)),
            (std::vector<std::string>{"dir/x#05"}));
}

TEST_F(UploadStoreTest, ExpiryListsOldUploadsOfEveryBucket) {
  ASSERT_TRUE(*store_->CreateBucket({.name = "c", .region = "us-east-1", .owner = "me"}));
  Create("old", "01", 100);
  Create("new", "02", 500);
  UploadRecord other = Upload("c", "k", "03", 50);
  ASSERT_TRUE(store_->CreateUpload(other).ok());
  auto old = store_->ListUploadsInitiatedBefore(200);
  ASSERT_TRUE(old);
  ASSERT_EQ(old->size(), 2u);
  EXPECT_EQ((*old)[0].key, "old");
  EXPECT_EQ((*old)[1].bucket, "c");
}

TEST_F(UploadStoreTest, DeleteBucketTakesUploadsAlongButNotObjects) {
  Create("k", "00aa");
  Put("k", "00aa", Part(1, "d1"));
  ObjectRecord object;
  object.bucket = "b";
  object.key = "obj";
  object.data.inline_data = "";
  ASSERT_TRUE(store_->PutObject(object, nullptr));
  std::vector<std::string> released;
  EXPECT_EQ(*store_->DeleteBucket("b", &released), DeleteBucketOutcome::kNotEmpty);
  EXPECT_TRUE(released.empty());
  ASSERT_TRUE(store_->DeleteObject("b", "obj"));
  EXPECT_EQ(*store_->DeleteBucket("b", &released), DeleteBucketOutcome::kDeleted);
  EXPECT_EQ(released, std::vector<std::string>{"d1"});
  EXPECT_FALSE(Referenced("d1"));
  ASSERT_TRUE(*store_->CreateBucket({.name = "b", .region = "us-east-1", .owner = "me"}));
  EXPECT_FALSE(store_->GetUpload("b", "k", "00aa")->has_value());
}

TEST_F(UploadStoreTest, CompletionIsRememberedDurablyAndForgottenByAgeOrBucket) {
  const std::string digest(32, 'd');
  Create("k", "00aa");
  Put("k", "00aa", Part(1, "d1"));
  EXPECT_FALSE(*store_->GetCompletion("b", "k", "00aa"));
  auto done = store_->CompleteUpload("b", "k", "00aa", AllParts, nullptr, digest);
  ASSERT_TRUE(done) << done.error().ToString();
  Reopen();  // written in the completion's one synced batch
  auto completion = store_->GetCompletion("b", "k", "00aa");
  ASSERT_TRUE(completion && *completion);
  EXPECT_EQ((*completion)->etag, "x-1");
  EXPECT_EQ((*completion)->parts_digest, digest);
  EXPECT_EQ((*completion)->completed_ns, done->object.modified_ns);
  EXPECT_FALSE(*store_->GetCompletion("b", "k", "00ab"));
  EXPECT_FALSE(*store_->GetCompletion("b", "other", "00aa"));
  // Without a digest nothing is remembered.
  Create("k2", "00bb");
  Put("k2", "00bb", Part(1, "d2"));
  ASSERT_TRUE(store_->CompleteUpload("b", "k2", "00bb", AllParts, nullptr));
  EXPECT_FALSE(*store_->GetCompletion("b", "k2", "00bb"));
  // Forgotten once older than the cutoff, not before.
  EXPECT_EQ(*store_->DeleteCompletionsBefore(done->object.modified_ns), 0u);
  EXPECT_EQ(*store_->DeleteCompletionsBefore(done->object.modified_ns + 1), 1u);
  EXPECT_FALSE(*store_->GetCompletion("b", "k", "00aa"));
  // And with its bucket.
  Create("k3", "00cc");
  Put("k3", "00cc", Part(1, "d3"));
  ASSERT_TRUE(store_->CompleteUpload("b", "k3", "00cc", AllParts, nullptr, digest));
  ASSERT_TRUE(store_->DeleteObject("b", "k"));
  ASSERT_TRUE(store_->DeleteObject("b", "k2"));
  ASSERT_TRUE(store_->DeleteObject("b", "k3"));
  EXPECT_EQ(*store_->DeleteBucket("b", nullptr), DeleteBucketOutcome::kDeleted);
  ASSERT_TRUE(*store_->CreateBucket({.name = "b", .region = "us-east-1", .owner = "me"}));
  EXPECT_FALSE(*store_->GetCompletion("b", "k3", "00cc"));
}

}  // namespace
}  // namespace stratus::meta
