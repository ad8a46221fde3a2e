// ListObjects (v1) and ListObjectsV2: range scans over the bucket's keys in byte order,
// rolling keys that share a prefix up to the delimiter into CommonPrefixes. A rolled-up
// prefix is skipped with one seek, so a page costs about the same whatever the bucket holds.
#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "common/crypto.h"
#include "common/time.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

constexpr size_t kMaxKeysCap = 1000;

// Sorts after every key that starts with the prefix it is appended to: 0xFF never occurs in
// UTF-8, and keys are valid UTF-8.
constexpr std::string_view kAfterPrefix = "\xff";

struct ListRequest {
  std::string prefix;
  std::string delimiter;
  std::string marker;  // list keys after this one
  size_t max_keys = kMaxKeysCap;
  bool url_encode = false;
};

struct ListEntry {
  std::optional<meta::ObjectRecord> object;  // a key, or
  std::string common_prefix;                 // a rolled-up prefix
};

struct ListResult {
  std::vector<ListEntry> entries;
  bool truncated = false;
  std::string next_marker;  // where the next page starts (after this)
};

Result<ListRequest> ParseListRequest(const http::Request& request) {
  ListRequest list;
  list.prefix = request.Query("prefix").value_or("");
  list.delimiter = request.Query("delimiter").value_or("");
  if (auto max_keys = request.Query("max-keys")) {
    size_t value = 0;
    auto [end, ec] = std::from_chars(max_keys->data(), max_keys->data() + max_keys->size(), value);
    if (ec != std::errc() || end != max_keys->data() + max_keys->size()) {
      return Error(ErrorCode::kInvalidArgument,
                   "Provided max-keys not an integer or within integer range");
    }
    list.max_keys = std::min(value, kMaxKeysCap);
  }
  if (auto encoding = request.Query("encoding-type")) {
    if (*encoding != "url")
      return Error(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request");
    list.url_encode = true;
  }
  return list;
}

// The rolled-up prefix `key` belongs to, or "" when the delimiter does not occur after prefix.
std::string CommonPrefixOf(const ListRequest& list, const std::string& key) {
  if (list.delimiter.empty()) return {};
  size_t at = key.find(list.delimiter, list.prefix.size());
  if (at == std::string::npos) return {};
  return key.substr(0, at + list.delimiter.size());
}

Result<ListResult> Collect(const Services& services, const std::string& bucket,
                           const ListRequest& list) {
  ListResult result;
  std::string marker = list.marker;
  // A marker that is itself a rolled-up prefix (a NextMarker we gave) resumes after all of it.
  if (!marker.empty() && CommonPrefixOf(list, marker) == marker) marker += kAfterPrefix;
  // Ask for one more than the page needs, to learn whether the listing is truncated.
  while (result.entries.size() <= list.max_keys) {
    size_t want = list.max_keys - result.entries.size() + 1;
    ASSIGN_OR_RETURN(meta::ListObjectsPage page,
                     services.meta.ListObjects(bucket, list.prefix, marker, want));
    bool rolled_up = false;
    for (meta::ObjectRecord& object : page.objects) {
      if (result.entries.size() == list.max_keys) {
        result.truncated = true;
        return result;
      }
      std::string common_prefix = CommonPrefixOf(list, object.key);
      if (!common_prefix.empty()) {
        marker = common_prefix + std::string(kAfterPrefix);
        result.next_marker = marker;
        result.entries.push_back({std::nullopt, std::move(common_prefix)});
        rolled_up = true;  // seek past everything under it
        break;
      }
      marker = object.key;
      result.next_marker = object.key;
      result.entries.push_back({std::move(object), {}});
    }
    if (!rolled_up && !page.truncated) break;
  }
  if (result.entries.size() > list.max_keys) {
    result.entries.pop_back();
    result.truncated = true;
  }
  return result;
}

void WriteEntries(XmlWriter& xml, const ListRequest& list, const ListResult& result,
                  bool with_owner) {
  auto encode = [&](std::string_view text) {
    return list.url_encode ? UrlEncode(text) : std::string(text);
  };
  for (const ListEntry& entry : result.entries) {
    if (!entry.object) continue;
    const meta::ObjectRecord& object = *entry.object;
    xml.Open("Contents")
        .Element("Key", encode(object.key))
        .Element("LastModified", FormatIso8601(object.modified_ns))
        .Element("ETag", "\"" + object.etag + "\"");
    for (const auto& [algorithm, value] : object.checksums) {
      if (algorithm == "CRC64NVME" && object.checksums.size() > 1) continue;  // the default one
      xml.Element("ChecksumAlgorithm", algorithm);
    }
    xml.Element("ChecksumType", object.checksum_type)
        .Element("Size", std::to_string(object.size))
        .Element("StorageClass", object.storage_class);
    if (with_owner) xml.Open("Owner").Element("ID", "").Element("DisplayName", "").Close();
    xml.Close();
  }
  for (const ListEntry& entry : result.entries) {
    if (entry.object) continue;
    xml.Open("CommonPrefixes").Element("Prefix", encode(entry.common_prefix)).Close();
  }
}

void WriteCommon(XmlWriter& xml, const std::string& bucket, const ListRequest& list) {
  auto encode = [&](std::string_view text) {
    return list.url_encode ? UrlEncode(text) : std::string(text);
  };
  xml.Element("Name", bucket).Element("Prefix", encode(list.prefix));
  if (!list.delimiter.empty()) xml.Element("Delimiter", encode(list.delimiter));
  xml.Element("MaxKeys", std::to_string(list.max_keys));
  if (list.url_encode) xml.Element("EncodingType", "url");
}

}  // namespace

HandlerResult ListObjectsV2(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  if (request.Query("list-type") != "2")
    return Error(ErrorCode::kInvalidArgument, "Invalid List Type specified in Request");
  ASSIGN_OR_RETURN(ListRequest list, ParseListRequest(request));
  auto start_after = request.Query("start-after");
  auto token = request.Query("continuation-token");
  if (token) {
    auto decoded = Base64Decode(*token);
    if (!decoded)
      return Error(ErrorCode::kInvalidArgument, "The continuation token provided is incorrect");
    list.marker = *decoded;
  } else if (start_after) {
    list.marker = *start_after;
  }
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  ASSIGN_OR_RETURN(ListResult result, Collect(services, ctx.route.bucket, list));

  XmlWriter xml("ListBucketResult");
  WriteCommon(xml, ctx.route.bucket, list);
  xml.Element("KeyCount", std::to_string(result.entries.size()))
      .Element("IsTruncated", result.truncated ? "true" : "false");
  if (token) xml.Element("ContinuationToken", *token);
  if (result.truncated) xml.Element("NextContinuationToken", Base64Encode(result.next_marker));
  if (start_after)
    xml.Element("StartAfter",
                list.url_encode ? UrlEncode(*start_after) : std::string(*start_after));
  bool fetch_owner = request.Query("fetch-owner") == "true";
  WriteEntries(xml, list, result, fetch_owner);
  return XmlResponse(xml.Finish());
}

HandlerResult ListObjects(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(ListRequest list, ParseListRequest(ctx.request));
  list.marker = ctx.request.Query("marker").value_or("");
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  ASSIGN_OR_RETURN(ListResult result, Collect(services, ctx.route.bucket, list));

  XmlWriter xml("ListBucketResult");
  WriteCommon(xml, ctx.route.bucket, list);
  xml.Element("Marker", list.url_encode ? UrlEncode(list.marker) : list.marker)
      .Element("IsTruncated", result.truncated ? "true" : "false");
  // S3 gives NextMarker only with a delimiter; without one the last key serves.
  if (result.truncated && !list.delimiter.empty()) {
    std::string next = result.next_marker;
    if (next.ends_with(kAfterPrefix)) next.pop_back();
    xml.Element("NextMarker", list.url_encode ? UrlEncode(next) : next);
  }
  WriteEntries(xml, list, result, /*with_owner=*/true);
  return XmlResponse(xml.Finish());
}

}  // namespace stratus::s3
