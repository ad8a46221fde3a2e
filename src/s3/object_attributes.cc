// GetObjectAttributes (GET /bucket/key?attributes): what x-amz-object-attributes asks for of
// ETag, Checksum, ObjectParts, StorageClass and ObjectSize, without the object's bytes.
#include <fmt/format.h>

#include <charconv>

#include "common/checksum.h"
#include "common/time.h"
#include "s3/conditional.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/names.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

struct Attributes {
  bool etag = false;
  bool checksum = false;
  bool object_parts = false;
  bool storage_class = false;
  bool object_size = false;
};

// "ETag,Checksum, ObjectSize" (one header, or several). Unknown names: InvalidArgument; none:
// InvalidRequest, as S3 answers.
Result<Attributes> ParseAttributes(const http::Headers& headers) {
  Attributes attributes;
  bool any = false;
  for (const auto& [name, value] : headers.fields()) {
    if (!http::EqualsIgnoreCase(name, "x-amz-object-attributes")) continue;
    std::string_view list = value;
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view item = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (item.empty()) continue;
      bool* flag = item == "ETag"           ? &attributes.etag
                   : item == "Checksum"     ? &attributes.checksum
                   : item == "ObjectParts"  ? &attributes.object_parts
                   : item == "StorageClass" ? &attributes.storage_class
                   : item == "ObjectSize"   ? &attributes.object_size
                                            : nullptr;
      if (!flag) return Error(ErrorCode::kInvalidArgument, "Invalid attribute name specified.");
      *flag = any = true;
    }
  }
  if (!any) {
    return Error(ErrorCode::kInvalidRequest,
                 "The x-amz-object-attributes header specifying the attributes to be retrieved "
                 "is either missing or empty");
  }
  return attributes;
}

// x-amz-max-parts / x-amz-part-number-marker: a non-negative integer, else InvalidArgument.
Result<uint64_t> ParseCountHeader(const http::Headers& headers, std::string_view name,
                                  uint64_t fallback) {
  auto value = headers.Get(name);
  if (!value) return fallback;
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (value->empty() || ec != std::errc() || end != value->data() + value->size()) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("Invalid {} value.", name));
  }
  return number;
}

void AddChecksums(XmlWriter& xml, const std::map<std::string, std::string>& checksums) {
  for (const auto& [name, value] : checksums) {
    if (ParseChecksumAlgorithm(name)) xml.Element("Checksum" + name, value);
  }
}

// The parts of a multipart object after `marker`, at most `max_parts` of them.
Status AddObjectParts(XmlWriter& xml, const meta::ObjectRecord& object,
                      const http::Headers& headers) {
  ASSIGN_OR_RETURN(uint64_t max_parts, ParseCountHeader(headers, "x-amz-max-parts", 1000));
  ASSIGN_OR_RETURN(uint64_t marker, ParseCountHeader(headers, "x-amz-part-number-marker", 0));
  const auto& parts = object.data.parts;
  // The wire name of TotalPartsCount.
  xml.Open("ObjectParts").Element("PartsCount", std::to_string(parts.size()));
  xml.Element("PartNumberMarker", std::to_string(marker));
  uint64_t listed = 0;
  uint32_t last = 0;
  bool truncated = false;
  for (const meta::PartRecord& part : parts) {
    if (part.number <= marker) continue;
    if (listed == max_parts) {
      truncated = true;
      break;
    }
    ++listed;
    last = part.number;
  }
  xml.Element("NextPartNumberMarker", std::to_string(last))
      .Element("MaxParts", std::to_string(max_parts))
      .Element("IsTruncated", truncated ? "true" : "false");
  for (const meta::PartRecord& part : parts) {
    if (part.number <= marker || part.number > last) continue;
    xml.Open("Part")
        .Element("PartNumber", std::to_string(part.number))
        .Element("Size", std::to_string(part.size));
    AddChecksums(xml, part.checksums);
    xml.Close();
  }
  xml.Close();
  return Status::Ok();
}

}  // namespace

HandlerResult GetObjectAttributes(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  ASSIGN_OR_RETURN(Attributes wanted, ParseAttributes(request.headers));
  ASSIGN_OR_RETURN(meta::ObjectRecord object,
                   RequireObject(services, ctx.route.bucket, ctx.route.key));
  // S3 evaluates If-Match and friends here as on GetObject; a 304 has no body.
  Status condition = EvaluateReadConditions(
      request.headers, ObjectState{.etag = object.etag,
                                   .modified_unix_seconds = object.modified_ns / 1'000'000'000});
  RETURN_IF_ERROR(condition);

  XmlWriter xml("GetObjectAttributesResponse");
  if (wanted.etag) xml.Element("ETag", object.etag);
  if (auto checksum = ReportedChecksum(object); wanted.checksum && checksum) {
    xml.Open("Checksum")
        .Element("Checksum" + checksum->first, checksum->second)
        .Element("ChecksumType", object.checksum_type)
        .Close();
  }
  if (wanted.object_parts && object.data.is_multipart()) {
    RETURN_IF_ERROR(AddObjectParts(xml, object, request.headers));
  }
  if (wanted.storage_class) xml.Element("StorageClass", object.storage_class);
  if (wanted.object_size) xml.Element("ObjectSize", std::to_string(object.size));
  http::Response response = XmlResponse(xml.Finish());
  response.headers.Set("Last-Modified", FormatHttpDate(object.modified_ns / 1'000'000'000));
  return response;
}

}  // namespace stratus::s3
