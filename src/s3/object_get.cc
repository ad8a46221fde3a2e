// GetObject and HeadObject: conditionals, ranges, stored headers, checksums on request, and
// the body streamed from its record or data file.
#include <array>
#include <charconv>

#include "common/checksum.h"
#include "common/time.h"
#include "http/range.h"
#include "s3/conditional.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/object_data.h"
#include "s3/object_metadata.h"

namespace stratus::s3 {
namespace {

// GET's response-* query parameters override the stored headers of the answer.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kResponseOverrides = {{
    {"response-content-type", "Content-Type"},
    {"response-content-language", "Content-Language"},
    {"response-expires", "Expires"},
    {"response-cache-control", "Cache-Control"},
    {"response-content-disposition", "Content-Disposition"},
    {"response-content-encoding", "Content-Encoding"},
}};

Result<meta::ObjectRecord> RequireObject(const Services& services, const Route& route) {
  ASSIGN_OR_RETURN(std::optional<meta::ObjectRecord> object,
                   services.meta.GetObject(route.bucket, route.key));
  if (!object) {
    // S3 tells a missing bucket from a missing key.
    RETURN_IF_ERROR(RequireBucket(services, route.bucket));
    return Error(ErrorCode::kNoSuchKey);
  }
  return *std::move(object);
}

// The object's headers and status for GET or HEAD, after conditionals and the range.
struct ReadPlan {
  meta::ObjectRecord object;
  std::optional<http::ByteRange> range;
  http::Response response;
};

// ?partNumber=N: 1..10000.
Result<std::optional<uint32_t>> ParsePartNumberQuery(const http::Request& request) {
  auto value = request.Query("partNumber");
  if (!value) return std::nullopt;
  uint32_t number = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (ec != std::errc() || end != value->data() + value->size() || number < 1 || number > 10000) {
    return Error(ErrorCode::kInvalidArgument,
                 "Part number must be an integer between 1 and 10000, inclusive");
  }
  return number;
}

// The bytes of part `number` (counted in the object's part list); a single-part object is its
// own part 1. nullopt for an empty part.
Result<std::optional<http::ByteRange>> PartRange(const meta::ObjectRecord& object,
                                                 uint32_t number) {
  uint64_t first = 0;
  uint64_t size = object.size;
  if (object.data.is_multipart()) {
    if (number > object.data.parts.size()) return Error(ErrorCode::kInvalidPartNumber);
    for (uint32_t i = 0; i + 1 < number; ++i) first += object.data.parts[i].size;
    size = object.data.parts[number - 1].size;
  } else if (number != 1) {
    return Error(ErrorCode::kInvalidPartNumber);
  }
  if (size == 0) return std::nullopt;
  return http::ByteRange{first, first + size - 1};
}

Result<ReadPlan> PlanRead(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  if (request.HasQuery("versionId")) return Error(ErrorCode::kNotImplemented);
  ASSIGN_OR_RETURN(std::optional<uint32_t> part_number, ParsePartNumberQuery(request));
  if (part_number && request.Header("Range")) {
    return Error(ErrorCode::kInvalidRequest,
                 "Cannot specify both Range header and partNumber query parameter");
  }
  ReadPlan plan;
  ASSIGN_OR_RETURN(plan.object, RequireObject(services, ctx.route));
  const meta::ObjectRecord& object = plan.object;
  Status condition = EvaluateReadConditions(
      request.headers, ObjectState{.etag = object.etag,
                                   .modified_unix_seconds = object.modified_ns / 1'000'000'000});
  if (condition.code() == ErrorCode::kNotModified) {
    // A 304 still tells the client which version it has.
    plan.response.status = 304;
    plan.response.headers.Set("ETag", "\"" + object.etag + "\"");
    plan.response.headers.Set("Last-Modified", FormatHttpDate(object.modified_ns / 1'000'000'000));
    return plan;
  }
  RETURN_IF_ERROR(condition);

  if (part_number) {
    ASSIGN_OR_RETURN(plan.range, PartRange(object, *part_number));
  } else if (auto range_header = request.Header("Range")) {
    ASSIGN_OR_RETURN(plan.range, http::ParseRange(*range_header, object.size));
  }
  http::Response& response = plan.response;
  AddObjectHeaders(object, response.headers);
  if (object.data.is_multipart() && part_number) {
    response.headers.Set("x-amz-mp-parts-count", std::to_string(object.data.parts.size()));
  }
  if (plan.range || part_number) {
    response.status = 206;
    if (plan.range) response.headers.Set("Content-Range", plan.range->ContentRange(object.size));
    response.content_length = plan.range ? plan.range->length() : 0;
  } else {
    response.content_length = object.size;
    // Checksums describe the whole object, so a range answer carries none.
    if (auto mode = request.Header("x-amz-checksum-mode");
        mode && http::EqualsIgnoreCase(*mode, "ENABLED")) {
      if (auto checksum = ReportedChecksum(object)) {
        auto algorithm = ParseChecksumAlgorithm(checksum->first);
        response.headers.Set(std::string(ChecksumHeaderName(*algorithm)), checksum->second);
        response.headers.Set("x-amz-checksum-type", object.checksum_type);
      }
    }
  }
  for (const auto& [param, header] : kResponseOverrides) {
    if (auto value = request.Query(param))
      response.headers.Set(std::string(header), std::string(*value));
  }
  return plan;
}

Result<std::unique_ptr<http::BodySource>> OpenBody(const Services& services, const ReadPlan& plan) {
  uint64_t offset = plan.range ? plan.range->first : 0;
  uint64_t length = *plan.response.content_length;
  return OpenObjectData(services.backend, plan.object.data, offset, length);
}

}  // namespace

HandlerResult GetObject(const Services& services, RequestContext& ctx) {
  // An overwrite may remove the old data between our lookup and the open. Then the whole read
  // starts again on the new record, so a reader gets the old object or the new one, whole.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(ReadPlan plan, PlanRead(services, ctx));
    if (plan.response.status == 304) return std::move(plan.response);
    if (plan.object.data.is_inline()) {
      // Already in memory: one write of head and body.
      uint64_t offset = plan.range ? plan.range->first : 0;
      plan.response.body =
          plan.object.data.inline_data.substr(offset, *plan.response.content_length);
      return std::move(plan.response);
    }
    auto source = OpenBody(services, plan);
    if (source) {
      plan.response.stream = *std::move(source);
      return std::move(plan.response);
    }
    ASSIGN_OR_RETURN(auto now, services.meta.GetObject(ctx.route.bucket, ctx.route.key));
    bool replaced = !now || now->data.DataIds() != plan.object.data.DataIds();
    if (!replaced || attempt == kAttempts) return Error(source.error());
  }
}

HandlerResult HeadObject(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(ReadPlan plan, PlanRead(services, ctx));
  return std::move(plan.response);
}

}  // namespace stratus::s3
