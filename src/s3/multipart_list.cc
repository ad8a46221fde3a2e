// ListParts and ListMultipartUploads: range scans over an upload's part records (number
// order) and a bucket's upload records (key order, then initiation order), with S3's markers,
// page sizes and, for uploads, CommonPrefixes rolled up at the delimiter.
#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "common/time.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/listing.h"
#include "s3/multipart_util.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

constexpr size_t kMaxPageCap = 1000;

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
  ListingShape shape;
  std::string key_marker;
  std::string upload_id_marker;
  bool url_encode = false;
};

Result<UploadsRequest> ParseUploadsRequest(const http::Request& request) {
  UploadsRequest list;
  list.shape.prefix = request.Query("prefix").value_or("");
  list.shape.delimiter = request.Query("delimiter").value_or("");
  list.key_marker = request.Query("key-marker").value_or("");
  // S3 ignores upload-id-marker without key-marker.
  if (!list.key_marker.empty())
    list.upload_id_marker = request.Query("upload-id-marker").value_or("");
  ASSIGN_OR_RETURN(uint64_t max, QueryNumber(request, "max-uploads", kMaxPageCap));
  list.shape.max_entries = std::min<uint64_t>(max, kMaxPageCap);
  if (auto encoding = request.Query("encoding-type")) {
    if (*encoding != "url") {
      return Error(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request");
    }
    list.url_encode = true;
  }
  return list;
}

Result<Listing<meta::UploadRecord>> CollectUploads(const Services& services,
                                                   const std::string& bucket,
                                                   const UploadsRequest& list) {
  std::string key_marker = ResumePoint(list.shape, list.key_marker);
  // A rolled-up key marker resumes after every upload under it.
  std::string id_marker = key_marker == list.key_marker ? list.upload_id_marker : "";
  UploadScan scan(services.meta, bucket, list.shape.prefix, std::move(key_marker),
                  std::move(id_marker));
  return CollectListing(scan, list.shape);
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
  ASSIGN_OR_RETURN(auto listing, CollectUploads(services, ctx.route.bucket, list));
  const auto& [entries, truncated] = listing;
  auto text = [&](std::string_view value) {
    return list.url_encode ? UrlEncode(value) : std::string(value);
  };

  XmlWriter xml("ListMultipartUploadsResult");
  xml.Element("Bucket", ctx.route.bucket)
      .Element("KeyMarker", text(list.key_marker))
      .Element("UploadIdMarker", list.upload_id_marker);
  if (truncated && !entries.empty()) {
    const auto& last = entries.back();
    xml.Element("NextKeyMarker", text(last.record ? last.record->key : last.common_prefix))
        .Element("NextUploadIdMarker", last.record ? last.record->upload_id : "");
  }
  if (!list.shape.delimiter.empty()) xml.Element("Delimiter", text(list.shape.delimiter));
  xml.Element("Prefix", text(list.shape.prefix))
      .Element("MaxUploads", std::to_string(list.shape.max_entries))
      .Element("IsTruncated", truncated ? "true" : "false");
  for (const auto& entry : entries) {
    if (!entry.record) continue;
    const meta::UploadRecord& upload = *entry.record;
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
  for (const auto& entry : entries) {
    if (entry.record) continue;
    xml.Open("CommonPrefixes").Element("Prefix", text(entry.common_prefix)).Close();
  }
  if (list.url_encode) xml.Element("EncodingType", "url");
  return XmlResponse(xml.Finish());
}

}  // namespace stratus::s3
