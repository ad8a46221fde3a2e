// GetObject and HeadObject: conditionals, ranges, stored headers, checksums on request, and
// the body streamed from its record or data file.
#include <array>

#include "common/checksum.h"
#include "common/time.h"
#include "http/range.h"
#include "s3/conditional.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/object_metadata.h"

namespace stratus::s3 {
namespace {

// A body source over bytes already in memory (an inline object).
class StringSource : public http::BodySource {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<size_t> Read(std::span<char> buffer) override {
    size_t n = std::min(buffer.size(), bytes_.size() - offset_);
    std::copy_n(bytes_.data() + offset_, n, buffer.data());
    offset_ += n;
    return n;
  }

 private:
  std::string bytes_;
  size_t offset_ = 0;
};

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

Result<ReadPlan> PlanRead(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  if (request.HasQuery("partNumber") || request.HasQuery("versionId")) {
    return Error(ErrorCode::kNotImplemented);
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

  if (auto range_header = request.Header("Range")) {
    ASSIGN_OR_RETURN(plan.range, http::ParseRange(*range_header, object.size));
  }
  http::Response& response = plan.response;
  AddObjectHeaders(object, response.headers);
  if (plan.range) {
    response.status = 206;
    response.headers.Set("Content-Range", plan.range->ContentRange(object.size));
    response.content_length = plan.range->length();
  } else {
    response.content_length = object.size;
    // Checksums describe the whole object, so a range answer carries none.
    if (auto mode = request.Header("x-amz-checksum-mode");
        mode && http::EqualsIgnoreCase(*mode, "ENABLED")) {
      for (const auto& [algorithm, value] : object.checksums) {
        auto parsed = ParseChecksumAlgorithm(algorithm);
        if (parsed) response.headers.Set(std::string(ChecksumHeaderName(*parsed)), value);
      }
      response.headers.Set("x-amz-checksum-type", object.checksum_type);
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
  const meta::ObjectRecord& object = plan.object;
  if (object.data.is_inline()) {
    return std::make_unique<StringSource>(object.data.inline_data.substr(offset, length));
  }
  return services.backend.Open(object.data.data_id, offset, length);
}

}  // namespace

HandlerResult GetObject(const Services& services, RequestContext& ctx) {
  // An overwrite may remove the old data between our lookup and the open. Then the whole read
  // starts again on the new record, so a reader gets the old object or the new one, whole.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(ReadPlan plan, PlanRead(services, ctx));
    if (plan.response.status == 304) return std::move(plan.response);
    auto source = OpenBody(services, plan);
    if (source) {
      plan.response.stream = *std::move(source);
      return std::move(plan.response);
    }
    ASSIGN_OR_RETURN(auto now, services.meta.GetObject(ctx.route.bucket, ctx.route.key));
    bool replaced = !now || now->data.data_id != plan.object.data.data_id;
    if (!replaced || attempt == kAttempts) return Error(source.error());
  }
}

HandlerResult HeadObject(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(ReadPlan plan, PlanRead(services, ctx));
  return std::move(plan.response);
}

}  // namespace stratus::s3
