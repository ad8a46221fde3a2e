// Fuzzes ParseTaggingXml, the PutObjectTagging / PutBucketTagging body (s3/tag_set.h), and
// through what it accepts, TaggingXml and ParseTaggingHeader.
#include "fuzz_check.h"
#include "s3/tag_set.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

void FuzzTagging(std::string_view body) {
  auto equal = [](const TagSet& a, const TagSet& b) { return a == b; };
  Result<TagSet> tags = ParseTaggingXml(body, kMaxBucketTags);
  FUZZ_CHECK(fuzz::SameResult(tags, ParseTaggingXml(body, kMaxBucketTags), equal));
  // The object limit is the tighter one: what it accepts, the bucket limit accepts alike.
  Result<TagSet> object_tags = ParseTaggingXml(body, kMaxObjectTags);
  if (object_tags) FUZZ_CHECK(tags && *tags == *object_tags);
  if (!tags) {
    FUZZ_CHECK(fuzz::FailsWithOneOf(tags, {ErrorCode::kMalformedXML, ErrorCode::kInvalidTag}));
    return;
  }
  FUZZ_CHECK(tags->size() <= kMaxBucketTags);
  for (const auto& [key, value] : *tags) {
    // At most 4 bytes a character in UTF-8.
    FUZZ_CHECK(!key.empty() && key.size() <= 4 * kMaxTagKeyChars);
    FUZZ_CHECK(value.size() <= 4 * kMaxTagValueChars);
    FUZZ_CHECK(!key.starts_with("aws:"));
  }

  // What GetObjectTagging answers reads back as the same tags ...
  Result<TagSet> answered = ParseTaggingXml(TaggingXml(*tags), kMaxBucketTags);
  FUZZ_CHECK(answered && *answered == *tags);
  // ... and so does the x-amz-tagging header carrying them.
  std::string header;
  for (const auto& [key, value] : *tags) {
    if (!header.empty()) header += '&';
    header += UrlEncode(key) + "=" + UrlEncode(value);
  }
  Result<TagSet> from_header = ParseTaggingHeader(header, kMaxBucketTags);
  FUZZ_CHECK(from_header && *from_header == *tags);
}

}  // namespace
}  // namespace stratus::s3

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  stratus::s3::FuzzTagging(stratus::fuzz::AsText(data, size));
  return 0;
}
