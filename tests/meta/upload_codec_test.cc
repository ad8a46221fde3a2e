#include "meta/upload_codec.h"

#include <gtest/gtest.h>

#include "meta/record_codec.h"
#include "meta/upload_keys.h"

namespace stratus::meta {
namespace {

using namespace std::string_literals;

PartRecord SamplePart(uint32_t number) {
  return PartRecord{.number = number,
                    .size = 5 * 1024 * 1024,
                    .etag = "0123456789abcdef0123456789abcdef",
                    .modified_ns = 1700000000123456789,
                    .checksums = {{"CRC64NVME", "AAAAAAAAAAA="}, {"CRC32", "AAAAAA=="}},
                    .data_id = "00112233445566778899aabbccddeeff"};
}

TEST(UploadCodecTest, UploadRecordRoundTrips) {
  UploadRecord upload;
  upload.initiated_ns = -5;
  upload.owner = "me";
  upload.system_metadata = {{"Content-Type", "text/plain"}};
  upload.user_metadata = {{"a", "1"}, {"a", "2"}};
  upload.tagging = "k=v&x=y";
  upload.checksum_algorithm = "CRC32";
  upload.checksum_type = "COMPOSITE";
  upload.storage_class = "STANDARD_IA";
  auto decoded = DecodeUploadRecord(EncodeUploadRecord(upload));
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  EXPECT_EQ(decoded->initiated_ns, -5);
  EXPECT_EQ(decoded->owner, "me");
  EXPECT_EQ(decoded->system_metadata, upload.system_metadata);
  EXPECT_EQ(decoded->user_metadata, upload.user_metadata);
  EXPECT_EQ(decoded->tagging, "k=v&x=y");
  EXPECT_EQ(decoded->checksum_algorithm, "CRC32");
  EXPECT_EQ(decoded->checksum_type, "COMPOSITE");
  EXPECT_EQ(decoded->storage_class, "STANDARD_IA");
}

TEST(UploadCodecTest, PartRecordRoundTrips) {
  PartRecord part = SamplePart(42);
  auto decoded = DecodePartRecord(EncodePartRecord(part));
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  EXPECT_EQ(decoded->number, 42u);
  EXPECT_EQ(decoded->size, part.size);
  EXPECT_EQ(decoded->etag, part.etag);
  EXPECT_EQ(decoded->modified_ns, part.modified_ns);
  EXPECT_EQ(decoded->checksums, part.checksums);
  EXPECT_EQ(decoded->data_id, part.data_id);
}

TEST(UploadCodecTest, MultipartObjectRecordKeepsItsParts) {
  ObjectRecord object;
  object.size = 10;
  object.etag = "abc-2";
  object.checksum_type = "COMPOSITE";
  object.data.parts = {SamplePart(1), SamplePart(3)};
  auto decoded = DecodeObjectRecord(EncodeObjectRecord(object));
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  ASSERT_EQ(decoded->data.parts.size(), 2u);
  EXPECT_TRUE(decoded->data.is_multipart());
  EXPECT_FALSE(decoded->data.is_inline());
  EXPECT_EQ(decoded->data.parts[1].number, 3u);
  EXPECT_EQ(decoded->data.DataIds().size(), 2u);
  EXPECT_EQ(decoded->checksum_type, "COMPOSITE");
}

TEST(UploadCodecTest, SinglePartAndInlineRecordsStayAsTheyWere) {
  ObjectRecord inline_object;
  inline_object.size = 3;
  inline_object.data.inline_data = "abc";
  auto a = DecodeObjectRecord(EncodeObjectRecord(inline_object));
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->data.is_inline());
  EXPECT_TRUE(a->data.DataIds().empty());
  ObjectRecord file_object;
  file_object.size = 1 << 20;
  file_object.data.data_id = "00112233445566778899aabbccddeeff";
  auto b = DecodeObjectRecord(EncodeObjectRecord(file_object));
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->data.is_multipart());
  EXPECT_EQ(b->data.DataIds(), std::vector<std::string>{file_object.data.data_id});
}

TEST(UploadCodecTest, RejectsCorruptRecords) {
  std::string valid = EncodePartRecord(SamplePart(1));
  EXPECT_FALSE(DecodePartRecord(""));
  EXPECT_FALSE(DecodePartRecord(std::string(1, '\x02') + valid.substr(1)));  // unknown version
  for (size_t cut = 1; cut < valid.size(); ++cut) {
    // A cut on a field boundary is a shorter record; it must still have number and data id.
    auto decoded = DecodePartRecord(valid.substr(0, cut));
    if (decoded) {
      EXPECT_NE(decoded->number, 0u);
      EXPECT_FALSE(decoded->data_id.empty());
    }
  }
  PartRecord no_data = SamplePart(1);
  no_data.data_id.clear();
  EXPECT_FALSE(DecodePartRecord(EncodePartRecord(no_data)));
  PartRecord zero = SamplePart(1);
  zero.number = 0;
  EXPECT_FALSE(DecodePartRecord(EncodePartRecord(zero)));
  // The same field twice.
  std::string twice = valid + EncodePartFields(SamplePart(2)).substr(0, 3);
  EXPECT_FALSE(DecodePartRecord(twice));
  // An object record with both parts and a data id.
  ObjectRecord both;
  both.data.parts = {SamplePart(1)};
  std::string encoded = EncodeObjectRecord(both);
  ObjectRecord file;
  file.data.data_id = "00112233445566778899aabbccddeeff";
  std::string with_id = EncodeObjectRecord(file);
  // Append the data id field of `file` (its last field) to the multipart record.
  std::string id_field = with_id.substr(with_id.size() - 2 - file.data.data_id.size());
  EXPECT_FALSE(DecodeObjectRecord(encoded + id_field));
}

TEST(UploadCodecTest, CompletionRecordRoundTripsAndRejectsCorruption) {
  CompletionRecord completion{.completed_ns = 1700000000123456789,
                              .etag = "0123456789abcdef0123456789abcdef-3",
                              .parts_digest = std::string(32, '\x7f'),
                              .checksums = {{"CRC32", "AAAAAA=="}},
                              .checksum_type = "COMPOSITE"};
  std::string bytes = EncodeCompletionRecord(completion);
  auto decoded = DecodeCompletionRecord(bytes);
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  EXPECT_EQ(decoded->completed_ns, completion.completed_ns);
  EXPECT_EQ(decoded->etag, completion.etag);
  EXPECT_EQ(decoded->parts_digest, completion.parts_digest);
  EXPECT_EQ(decoded->checksums, completion.checksums);
  EXPECT_EQ(decoded->checksum_type, "COMPOSITE");
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(DecodeCompletionRecord(bytes.substr(0, cut))) << cut;
  }
  completion.parts_digest = "short";
  EXPECT_FALSE(DecodeCompletionRecord(EncodeCompletionRecord(completion)));
  EXPECT_FALSE(DecodeCompletionRecord(bytes + "\x06\x01x"));  // an unknown tag
}

TEST(UploadKeysTest, CompletionKeysShareTheUploadKeysComponents) {
  std::string key = keys::CompletionKey("b", "k", "00aa");
  EXPECT_EQ(key, "Fb\0k\0"s + "00aa");
  EXPECT_TRUE(key.starts_with(keys::CompletionPrefix("b")));
  EXPECT_FALSE(key.starts_with(keys::CompletionPrefix("bb")));
  EXPECT_TRUE(key.starts_with(keys::CompletionPrefix()));
}

TEST(UploadKeysTest, LayoutSortsAndSplits) {
  EXPECT_LT(keys::UploadKey("b", "a", "1"), keys::UploadKey("b", "a!", "0"));
  EXPECT_LT(keys::UploadKey("b", "a", "1"), keys::UploadKey("b", "a", "2"));
  EXPECT_LT(keys::PartKey("u", 2), keys::PartKey("u", 10));
  EXPECT_LT(keys::PartKey("u", 255), keys::PartKey("u", 256));
  std::string key = keys::UploadKey("bucket", "dir/key", "00ff");
  auto parsed = keys::ParseUploadKey(key);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->bucket, "bucket");
  EXPECT_EQ(parsed->key, "dir/key");
  EXPECT_EQ(parsed->upload_id, "00ff");
  EXPECT_TRUE(keys::PartDataRefKey("abcd", "00ff", 1).starts_with("Dabcd\0\x01"s));
  EXPECT_TRUE(keys::IsValidUploadId("0123abcdef"));
  EXPECT_FALSE(keys::IsValidUploadId(""));
  EXPECT_FALSE(keys::IsValidUploadId("ABC"));
  EXPECT_FALSE(keys::IsValidUploadId("a/b"));
}

}  // namespace
}  // namespace stratus::meta
