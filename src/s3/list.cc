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
#include "s3/listing.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

constexpr size_t kMaxKeysCap = 1000;

struct ListRequest {
  ListingShape shape;
  std::string marker;  // list keys after this one
  bool url_encode = false;
};

using ObjectListing = Listing<meta::ObjectRecord>;

Result<ListRequest> ParseListRequest(const http::Request& request) {
  ListRequest list;
  list.shape.prefix = request.Query("prefix").value_or("");
  list.shape.delimiter = request.Query("delimiter").value_or("");
  if (auto max_keys = request.Query("max-keys")) {
    size_t value = 0;
    auto [end, ec] = std::from_chars(max_keys->data(), max_keys->data() + max_keys->size(), value);
    if (ec != std::errc() || end != max_keys->data() + max_keys->size()) {
      return Error(ErrorCode::kInvalidArgument,
                   "Provided max-keys not an integer or within integer range");
    }
    list.shape.max_entries = std::min(value, kMaxKeysCap);
  }
  if (auto encoding = request.Query("encoding-type")) {
    if (*encoding != "url")
      return Error(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request");
    list.url_encode = true;
  }
  return list;
}

Result<ObjectListing> Collect(const Services& services, const std::string& bucket,
                              const ListRequest& list) {
  ObjectScan scan(services.meta, bucket, list.shape.prefix, ResumePoint(list.shape, list.marker));
  return CollectListing(scan, list.shape);
}

// Where the next page starts: the last key, or the last rolled-up prefix (which ResumePoint
// knows to skip whole).
std::string NextMarker(const ObjectListing& listing) {
  if (listing.entries.empty()) return {};
  const auto& last = listing.entries.back();
  return last.record ? last.record->key : last.common_prefix;
}

void WriteEntries(XmlWriter& xml, const ListRequest& list, const ObjectListing& result,
                  bool with_owner) {
  auto encode = [&](std::string_view text) {
    return list.url_encode ? UrlEncode(text) : std::string(text);
  };
  for (const auto& entry : result.entries) {
    if (!entry.record) continue;
    const meta::ObjectRecord& object = *entry.record;
    xml.Open("Contents")
        .Element("Key", encode(object.key))
        .Element("LastModified", FormatIso8601(object.modified_ns))
        .Element("ETag", "\"" + object.etag + "\"");
    if (auto checksum = ReportedChecksum(object)) xml.Element("ChecksumAlgorithm", checksum->first);
    xml.Element("ChecksumType", object.checksum_type)
        .Element("Size", std::to_string(object.size))
        .Element("StorageClass", object.storage_class);
    if (with_owner) xml.Open("Owner").Element("ID", "").Element("DisplayName", "").Close();
    xml.Close();
  }
  for (const auto& entry : result.entries) {
    if (entry.record) continue;
    xml.Open("CommonPrefixes").Element("Prefix", encode(entry.common_prefix)).Close();
  }
}

void WriteCommon(XmlWriter& xml, const std::string& bucket, const ListRequest& list) {
  auto encode = [&](std::string_view text) {
    return list.url_encode ? UrlEncode(text) : std::string(text);
  };
  xml.Element("Name", bucket).Element("Prefix", encode(list.shape.prefix));
  if (!list.shape.delimiter.empty()) xml.Element("Delimiter", encode(list.shape.delimiter));
  xml.Element("MaxKeys", std::to_string(list.shape.max_entries));
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
  ASSIGN_OR_RETURN(ObjectListing result, Collect(services, ctx.route.bucket, list));

  XmlWriter xml("ListBucketResult");
  WriteCommon(xml, ctx.route.bucket, list);
  xml.Element("KeyCount", std::to_string(result.entries.size()))
      .Element("IsTruncated", result.truncated ? "true" : "false");
  if (token) xml.Element("ContinuationToken", *token);
  if (result.truncated) xml.Element("NextContinuationToken", Base64Encode(NextMarker(result)));
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
  ASSIGN_OR_RETURN(ObjectListing result, Collect(services, ctx.route.bucket, list));

  XmlWriter xml("ListBucketResult");
  WriteCommon(xml, ctx.route.bucket, list);
  xml.Element("Marker", list.url_encode ? UrlEncode(list.marker) : list.marker)
      .Element("IsTruncated", result.truncated ? "true" : "false");
  // S3 gives NextMarker only with a delimiter; without one the last key serves.
  if (result.truncated && !list.shape.delimiter.empty()) {
    std::string next = NextMarker(result);
    xml.Element("NextMarker", list.url_encode ? UrlEncode(next) : next);
  }
  WriteEntries(xml, list, result, /*with_owner=*/true);
  return XmlResponse(xml.Finish());
}

}  // namespace stratus::s3
