#include "meta/record_codec.h"

#include <gtest/gtest.h>

#include "meta/coding.h"

namespace stratus::meta {
namespace {

ObjectRecord SampleObject() {
  ObjectRecord object;
  object.size = 5;
  object.etag = "5d41402abc4b2a76b9719d911017c592";
  object.modified_ns = 1'700'000'000'123'456'789;
  object.system_metadata = {{"Content-Type", "text/plain"}, {"Cache-Control", "no-cache"}};
  object.user_metadata = {{"color", "blue"}, {"empty", ""}, {"color", "again"}};
  object.checksums = {{"CRC64NVME", "AAAAAAAAAAA="}, {"SHA256", "abc="}};
  object.checksum_type = "COMPOSITE";
  object.storage_class = "STANDARD_IA";
  object.data.inline_data = "hello";
  return object;
}

void ExpectSame(const ObjectRecord& a, const ObjectRecord& b) {
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.etag, b.etag);
  EXPECT_EQ(a.modified_ns, b.modified_ns);
  EXPECT_EQ(a.system_metadata, b.system_metadata);
  EXPECT_EQ(a.user_metadata, b.user_metadata);
  EXPECT_EQ(a.checksums, b.checksums);
  EXPECT_EQ(a.checksum_type, b.checksum_type);
  EXPECT_EQ(a.storage_class, b.storage_class);
  EXPECT_EQ(a.data.inline_data, b.data.inline_data);
  EXPECT_EQ(a.data.data_id, b.data.data_id);
}

TEST(RecordCodecTest, ObjectRoundTripInline) {
  ObjectRecord object = SampleObject();
  Result<ObjectRecord> decoded = DecodeObjectRecord(EncodeObjectRecord(object));
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  ExpectSame(object, *decoded);
}

TEST(RecordCodecTest, ObjectRoundTripDataIdAndBinaryValues) {
  ObjectRecord object = SampleObject();
  object.data.inline_data.clear();
  object.data.data_id = "00112233445566778899aabbccddeeff";
  object.size = 10'000'000'000ULL;
  object.user_metadata = {{std::string("a\0b", 3), std::string("\xff\x00\x01", 3)}};
  object.modified_ns = -1;  // before the epoch still round-trips
  Result<ObjectRecord> decoded = DecodeObjectRecord(EncodeObjectRecord(object));
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  ExpectSame(object, *decoded);
}

TEST(RecordCodecTest, ObjectDefaultsRoundTrip) {
  ObjectRecord object;
  Result<ObjectRecord> decoded = DecodeObjectRecord(EncodeObjectRecord(object));
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  ExpectSame(object, *decoded);
}

TEST(RecordCodecTest, SkipInlineData) {
  Result<ObjectRecord> decoded =
      DecodeObjectRecord(EncodeObjectRecord(SampleObject()), {.skip_inline_data = true});
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->data.inline_data.empty());
  EXPECT_TRUE(decoded->data.is_inline());
  EXPECT_EQ(decoded->size, 5u);
}

TEST(RecordCodecTest, BucketRoundTrip) {
  BucketRecord bucket{.name = "ignored", .region = "eu-west-1", .owner = "AKIA", .created_ns = 42};
  Result<BucketRecord> decoded = DecodeBucketRecord(EncodeBucketRecord(bucket));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->name, "");  // the name lives in the database key
  EXPECT_EQ(decoded->region, "eu-west-1");
  EXPECT_EQ(decoded->owner, "AKIA");
  EXPECT_EQ(decoded->created_ns, 42);
}

TEST(RecordCodecTest, BucketConfigsAndObjectTagsRoundTrip) {
  BucketRecord bucket{.name = "b", .region = "r", .owner = "o", .created_ns = 1};
  bucket.configs = {{"tagging", "<Tagging/>"}, {"cors", std::string("a\0b", 3)}};
  Result<BucketRecord> decoded_bucket = DecodeBucketRecord(EncodeBucketRecord(bucket));
  ASSERT_TRUE(decoded_bucket);
  EXPECT_EQ(decoded_bucket->configs, bucket.configs);

  ObjectRecord object = SampleObject();
  object.tags = {{"project", "blue"}, {"empty", ""}};
  Result<ObjectRecord> decoded = DecodeObjectRecord(EncodeObjectRecord(object));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->tags, object.tags);
}

TEST(RecordCodecTest, RejectsEveryTruncation) {
  std::string bytes = EncodeObjectRecord(SampleObject());
  // Cutting inside a field is always caught; cutting between fields drops the inline data,
  // the data id or leaves the size mismatched, which the decoder also refuses.
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeObjectRecord(bytes.substr(0, n))) << "length " << n;
  }
  std::string bucket =
      EncodeBucketRecord({.name = "", .region = "r", .owner = "o", .created_ns = 300});
  EXPECT_FALSE(DecodeBucketRecord(""));
  for (size_t n = 2; n < bucket.size(); ++n) {
    // A prefix that ends on a field boundary is a valid record with fewer fields.
    std::string_view prefix = std::string_view(bucket).substr(0, n);
    if (n == 4 || n == 7) continue;
    EXPECT_FALSE(DecodeBucketRecord(prefix)) << "length " << n;
  }
}

TEST(RecordCodecTest, RejectsUnknownVersion) {
  std::string bytes = EncodeObjectRecord(SampleObject());
  bytes[0] = 2;
  Result<ObjectRecord> decoded = DecodeObjectRecord(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code(), ErrorCode::kInternalError);
  EXPECT_NE(decoded.error().message().find("version"), std::string_view::npos);
  bytes[0] = 0;
  EXPECT_FALSE(DecodeObjectRecord(bytes));
}

TEST(RecordCodecTest, RejectsUnknownTagAndRepeatedScalar) {
  std::string bytes = EncodeObjectRecord(SampleObject());
  std::string unknown = bytes;
  PutVarint(unknown, 99);
  PutLengthPrefixed(unknown, "x");
  EXPECT_FALSE(DecodeObjectRecord(unknown));

  std::string repeated = bytes;
  PutVarint(repeated, 2);  // etag again
  PutLengthPrefixed(repeated, "x");
  EXPECT_FALSE(DecodeObjectRecord(repeated));
}

TEST(RecordCodecTest, RejectsGarbage) {
  EXPECT_FALSE(DecodeObjectRecord(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11)));
  EXPECT_FALSE(DecodeObjectRecord(std::string("\x01\x01\x05\x01", 4)));          // length past end
  EXPECT_FALSE(DecodeObjectRecord(std::string("\x01\x01\x02\x81\x01\x01", 6)));  // int too long
  // A well-formed record with both inline data and a data id.
  std::string both = EncodeObjectRecord(SampleObject());
  PutVarint(both, 10);
  PutLengthPrefixed(both, "id");
  EXPECT_FALSE(DecodeObjectRecord(both));
  // Deterministic pseudo-random inputs must never crash.
  uint64_t state = 12345;
  for (int i = 0; i < 20000; ++i) {
    std::string input(1 + i % 40, '\0');
    for (char& c : input) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      c = static_cast<char>(state >> 56);
    }
    input[0] = 1;
    (void)DecodeObjectRecord(input);
    (void)DecodeBucketRecord(input);
  }
}

TEST(CodingTest, VarintBounds) {
  for (uint64_t value : {0ULL, 1ULL, 127ULL, 128ULL, 300ULL, ~0ULL}) {
    std::string out;
    PutVarint(out, value);
    std::string_view in = out;
    EXPECT_EQ(GetVarint(in), value);
    EXPECT_TRUE(in.empty());
  }
  std::string_view overflow("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 10);
  EXPECT_FALSE(GetVarint(overflow));
  std::string_view eleven("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11);
  EXPECT_FALSE(GetVarint(eleven));
}

}  // namespace
}  // namespace stratus::meta
