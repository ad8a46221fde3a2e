// Object and bucket tags: the two forms a client sends them in (the x-amz-tagging header, a
// URL query string; the <Tagging> XML document), S3's limits on them, and the XML answer.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace stratus::s3 {

// Tags in the order given: (key, value).
using TagSet = std::vector<std::pair<std::string, std::string>>;

// S3's limits (User Guide, "Categorizing your storage using tags"; "Using cost allocation S3
// bucket tags").
inline constexpr size_t kMaxObjectTags = 10;
inline constexpr size_t kMaxBucketTags = 50;
inline constexpr size_t kMaxTagKeyChars = 128;
inline constexpr size_t kMaxTagValueChars = 256;

// "k1=v1&k2=v2", percent-encoded ('+' is a space, as in any query string). An empty value
// is no tags. A malformed escape is InvalidArgument; tags breaking S3's limits, InvalidTag.
Result<TagSet> ParseTaggingHeader(std::string_view value, size_t max_tags = kMaxObjectTags);

// <Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag>...</TagSet></Tagging>. Not that
// shape: MalformedXML; tags breaking S3's limits: InvalidTag.
Result<TagSet> ParseTaggingXml(std::string_view body, size_t max_tags);

// At most `max_tags`; keys of 1..128 and values of 0..256 Unicode characters of valid UTF-8;
// no key twice; no key starting with "aws:". Else InvalidTag.
Status ValidateTags(const TagSet& tags, size_t max_tags);

// The <Tagging> document GetObjectTagging and GetBucketTagging answer with.
std::string TaggingXml(const TagSet& tags);

}  // namespace stratus::s3
