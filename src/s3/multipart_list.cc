// ListParts and ListMultipartUploads: range scans over an upload's part records (number
// order) and a bucket's upload records (key order, then initiation order), with S3's markers,
// page sizes and, for uploads, CommonPrefixes rolled up at the delimiter.
#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "common/time.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/multipart_util.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

constexpr size_t kMaxPageCap = 1000;
// Sorts after every key starting with the prefix it follows (0xFF never occurs in UTF-8).
constexpr std::string_view kAfterPrefix = "\xff";

// A non-negative integer query parameter, or `fallback` when absent.
Result<uint64_t> QueryNumber(const http::Request& request, std::string_view name,
                             uint64_t fallback) {
  auto value = request.Query(name);
  if (!value) return fallback;
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (value->empty() || ec != std::errc() || end != value->data() + value->size()) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("Provided {} not an integer or within integer range", name));
  }
  return number;
}

void WriteOwner(XmlWriter& xml, std::string_view element, const std::string& owner) {
  xml.Open(element).Element("ID", owner).Element("DisplayName", owner).Close();
}

struct UploadsRequest {
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string upload_id_marker;
  size_t max_uploads = kMaxPageCap;
  bool url_encode = false;
};

struct UploadsEntry {
  std::optional<meta::UploadRecord> upload;  // an upload, or
  std::string common_prefix;                 // a rolled-up prefix
};

Result<UploadsRequest> ParseUploadsRequest(const http::Request& request) {
  UploadsRequest list;
  list.prefix = request.Query("prefix").value_or("");
  list.delimiter = request.Query("delimiter").value_or("");
  list.key_marker = request.Query("key-marker").value_or("");
  // S3 ignores upload-id-marker without key-marker.
  if (!list.key_marker.empty())
    list.upload_id_marker = request.Query("upload-id-marker").value_or("");
  ASSIGN_OR_RETURN(uint64_t max, QueryNumber(request, "max-uploads", kMaxPageCap));
  list.max_uploads = std::min<uint64_t>(max, kMaxPageCap);
  if (auto encoding = request.Query("encoding-type")) {
    if (*encoding != "url") {
      return Error(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request");
    }
    list.url_encode = true;
  }
  return list;
}

std::string CommonPrefixOf(const UploadsRequest& list, const std::string& key) {
  if (list.delimiter.empty()) return {};
  size_t at = key.find(list.delimiter, list.prefix.size());
  if (at == std::string::npos) return {};
  return key.substr(0, at + list.delimiter.size());
}

// One page of entries (max_uploads of them), and whether more follow.
Result<std::pair<std::vector<UploadsEntry>, bool>> CollectUploads(const Services& services,
                                                                  const std::string& bucket,
                                                                  const UploadsRequest& list) {
  std::vector<UploadsEntry> entries;
  std::string key_marker = list.key_marker;
  std::string id_marker = list.upload_id_marker;
  // A marker that is a rolled-up prefix (a NextKeyMarker we gave) resumes after all of it.
  if (!key_marker.empty() && CommonPrefixOf(list, key_marker) == key_marker) {
    key_marker += kAfterPrefix;
    id_marker.clear();
  }
  while (true) {
    size_t want = list.max_uploads - std::min(entries.size(), list.max_uploads) + 1;
    ASSIGN_OR_RETURN(meta::ListUploadsPage page,
                     services.meta.ListUploads(bucket, list.prefix, key_marker, id_marker, want));
    bool rolled_up = false;
    for (meta::UploadRecord& upload : page.uploads) {
      if (entries.size() == list.max_uploads) return std::pair{std::move(entries), true};
      std::string common = CommonPrefixOf(list, upload.key);
      if (common.empty()) {
        key_marker = upload.key;
        id_marker = upload.upload_id;
        entries.push_back({std::move(upload), {}});
        continue;
      }
      // Skip the whole prefix with one new scan.
      entries.push_back({std::nullopt, common});
      key_marker = common + std::string(kAfterPrefix);
      id_marker.clear();
      rolled_up = true;
      break;
    }
    if (!rolled_up && !page.truncated) return std::pair{std::move(entries), false};
  }
}

}  // namespace

HandlerResult ListParts(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  ASSIGN_OR_RETURN(meta::UploadRecord upload, RequireUpload(services, ctx));
  ASSIGN_OR_RETURN(uint64_t max_parts, QueryNumber(request, "max-parts", kMaxPageCap));
  max_parts = std::min<uint64_t>(max_parts, kMaxPageCap);
  ASSIGN_OR_RETURN(uint64_t marker, QueryNumber(request, "part-number-marker", 0));
  marker = std::min<uint64_t>(marker, kMaxPartNumber);
  ASSIGN_OR_RETURN(
      meta::ListPartsPage page,
      services.meta.ListParts(upload.upload_id, static_cast<uint32_t>(marker), max_parts));

  XmlWriter xml("ListPartsResult");
  xml.Element("Bucket", upload.bucket)
      .Element("Key", upload.key)
      .Element("UploadId", upload.upload_id)
      .Element("PartNumberMarker", std::to_string(marker))
      .Element("NextPartNumberMarker",
               std::to_string(page.parts.empty() ? 0 : page.parts.back().number))
      .Element("MaxParts", std::to_string(max_parts))
      .Element("IsTruncated", page.truncated ? "true" : "false");
  for (const meta::PartRecord& part : page.parts) {
    xml.Open("Part")
        .Element("PartNumber", std::to_string(part.number))
        .Element("LastModified", FormatIso8601(part.modified_ns))
        .Element("ETag", "\"" + part.etag + "\"")
        .Element("Size", std::to_string(part.size));
    if (!upload.checksum_algorithm.empty()) {
      auto it = part.checksums.find(upload.checksum_algorithm);
      if (it != part.checksums.end()) {
        xml.Element("Checksum" + upload.checksum_algorithm, it->second);
      }
    }
    xml.Close();
  }
  WriteOwner(xml, "Initiator", upload.owner);
  WriteOwner(xml, "Owner", upload.owner);
  xml.Element("StorageClass", upload.storage_class);
  if (!upload.checksum_algorithm.empty()) {
    xml.Element("ChecksumAlgorithm", upload.checksum_algorithm)
        .Element("ChecksumType", upload.checksum_type);
  }
  return XmlResponse(xml.Finish());
}

HandlerResult ListMultipartUploads(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(UploadsRequest list, ParseUploadsRequest(ctx.request));
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  ASSIGN_OR_RETURN(auto collected, CollectUploads(services, ctx.route.bucket, list));
  const auto& [entries, truncated] = collected;
  auto text = [&](std::string_view value) {
    return list.url_encode ? UrlEncode(value) : std::string(value);
  };

  XmlWriter xml("ListMultipartUploadsResult");
  xml.Element("Bucket", ctx.route.bucket)
      .Element("KeyMarker", text(list.key_marker))
      .Element("UploadIdMarker", list.upload_id_marker);
  if (truncated && !entries.empty()) {
    const UploadsEntry& last = entries.back();
    xml.Element("NextKeyMarker", text(last.upload ? last.upload->key : last.common_prefix))
        .Element("NextUploadIdMarker", last.upload ? last.upload->upload_id : "");
  }
  if (!list.delimiter.empty()) xml.Element("Delimiter", text(list.delimiter));
  xml.Element("Prefix", text(list.prefix))
      .Element("MaxUploads", std::to_string(list.max_uploads))
      .Element("IsTruncated", truncated ? "true" : "false");
  for (const UploadsEntry& entry : entries) {
    if (!entry.upload) continue;
    const meta::UploadRecord& upload = *entry.upload;
    xml.Open("Upload").Element("Key", text(upload.key)).Element("UploadId", upload.upload_id);
    WriteOwner(xml, "Initiator", upload.owner);
    WriteOwner(xml, "Owner", upload.owner);
    xml.Element("StorageClass", upload.storage_class)
        .Element("Initiated", FormatIso8601(upload.initiated_ns));
    if (!upload.checksum_algorithm.empty()) {
      xml.Element("ChecksumAlgorithm", upload.checksum_algorithm)
          .Element("ChecksumType", upload.checksum_type);
    }
    xml.Close();
  }
  for (const UploadsEntry& entry : entries) {
    if (entry.upload) continue;
    xml.Open("CommonPrefixes").Element("Prefix", text(entry.common_prefix)).Close();
  }
  if (list.url_encode) xml.Element("EncodingType", "url");
  return XmlResponse(xml.Finish());
}

}  // namespace stratus::s3
