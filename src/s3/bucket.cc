// Bucket handlers: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation.
#include <charconv>
#include <pugixml.hpp>

#include "common/crypto.h"
#include "common/time.h"
#include "s3/body.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/names.h"
#include "s3/object_data.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

constexpr size_t kMaxConfigurationBytes = 64 * 1024;

// The LocationConstraint of an optional CreateBucketConfiguration body ("" when absent).
Result<std::string> ParseLocationConstraint(const std::string& body) {
  if (body.empty()) return std::string();
  pugi::xml_document doc;
  RETURN_IF_ERROR(LoadRequestXml(doc, body));
  pugi::xml_node root = doc.child("CreateBucketConfiguration");
  if (!root) return Error(ErrorCode::kMalformedXML);
  return std::string(root.child_value("LocationConstraint"));
}

constexpr size_t kMaxBucketsPage = 10000;

// ListBuckets' page: max-buckets (1..10000), continuation-token, prefix and bucket-region.
// Without max-buckets S3 answers up to 10,000 buckets, and a ContinuationToken past them.
struct BucketPageRequest {
  std::string prefix;
  std::string start_after;
  size_t limit = kMaxBucketsPage;
  std::optional<std::string> region;
};

Result<BucketPageRequest> ParseBucketPageRequest(const http::Request& request) {
  BucketPageRequest page;
  page.prefix = request.Query("prefix").value_or("");
  if (auto max = request.Query("max-buckets")) {
    size_t value = 0;
    auto [end, ec] = std::from_chars(max->data(), max->data() + max->size(), value);
    if (ec != std::errc() || end != max->data() + max->size() || value < 1 ||
        value > kMaxBucketsPage) {
      return Error(ErrorCode::kInvalidArgument,
                   "Argument max-buckets must be an integer between 1 and 10000");
    }
    page.limit = value;
  }
  if (auto token = request.Query("continuation-token")) {
    auto decoded = Base64Decode(*token);
    if (!decoded || decoded->empty()) {
      return Error(ErrorCode::kInvalidArgument, "The continuation token provided is incorrect");
    }
    page.start_after = *std::move(decoded);
  }
  if (auto region = request.Query("bucket-region")) page.region = std::string(*region);
  return page;
}

}  // namespace

HandlerResult ListBuckets(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(BucketPageRequest asked, ParseBucketPageRequest(ctx.request));
  meta::ListBucketsPage page;
  // Every bucket of this endpoint is in its one region.
  if (!asked.region || *asked.region == services.config.region) {
    ASSIGN_OR_RETURN(page, services.meta.ListBuckets(asked.prefix, asked.start_after, asked.limit));
  }
  XmlWriter xml("ListAllMyBucketsResult");
  xml.Open("Owner")
      .Element("ID", ctx.verified.access_key)
      .Element("DisplayName", ctx.verified.user)
      .Close();
  xml.Open("Buckets");
  for (const meta::BucketRecord& bucket : page.buckets) {
    xml.Open("Bucket")
        .Element("Name", bucket.name)
        .Element("CreationDate", FormatIso8601(bucket.created_ns))
        .Element("BucketRegion", bucket.region)
        .Close();
  }
  xml.Close();
  if (page.truncated) xml.Element("ContinuationToken", Base64Encode(page.buckets.back().name));
  if (ctx.request.Query("prefix")) xml.Element("Prefix", asked.prefix);
  return XmlResponse(xml.Finish());
}

HandlerResult CreateBucket(const Services& services, RequestContext& ctx) {
  RETURN_IF_ERROR(ValidateBucketName(ctx.route.bucket));
  ASSIGN_OR_RETURN(SmallBody body, ReadSmallBody(*ctx.verified.payload, kMaxConfigurationBytes,
                                                 services.parsed_bodies));
  ASSIGN_OR_RETURN(std::string location, ParseLocationConstraint(body.text));
  // S3 serves one region per endpoint; a bucket asked for elsewhere belongs to another one.
  if (!location.empty() && location != services.config.region) {
    return Error(ErrorCode::kInvalidLocationConstraint,
                 "The specified location-constraint is not valid for this endpoint.");
  }
  meta::BucketRecord record{.name = ctx.route.bucket,
                            .region = services.config.region,
                            .owner = ctx.verified.access_key,
                            .created_ns = NowUnixNanos()};
  ASSIGN_OR_RETURN(bool created, services.meta.CreateBucket(record));
  if (!created) {
    ASSIGN_OR_RETURN(std::optional<meta::BucketRecord> existing,
                     services.meta.GetBucket(ctx.route.bucket));
    bool ours = existing && existing->owner == ctx.verified.access_key;
    if (!ours) return Error(ErrorCode::kBucketAlreadyExists);
    // S3's legacy us-east-1 rule, which clients rely on: re-creating a bucket you own there
    // answers 200 and changes nothing; every other region answers BucketAlreadyOwnedByYou.
    if (services.config.region != "us-east-1") return Error(ErrorCode::kBucketAlreadyOwnedByYou);
  }
  http::Response response;
  response.headers.Set("Location", "/" + ctx.route.bucket);
  return response;
}

HandlerResult HeadBucket(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(meta::BucketRecord bucket, RequireBucket(services, ctx.route.bucket));
  http::Response response;
  response.headers.Set("x-amz-bucket-region", bucket.region);
  return response;
}

HandlerResult DeleteBucket(const Services& services, RequestContext& ctx) {
  std::vector<std::string> released;  // parts of uploads in progress, deleted with the bucket
  ASSIGN_OR_RETURN(meta::DeleteBucketOutcome outcome,
                   services.meta.DeleteBucket(ctx.route.bucket, &released));
  RemoveData(services.backend, released);
  switch (outcome) {
    case meta::DeleteBucketOutcome::kNoSuchBucket:
      return Error(ErrorCode::kNoSuchBucket);
    case meta::DeleteBucketOutcome::kNotEmpty:
      return Error(ErrorCode::kBucketNotEmpty);
    case meta::DeleteBucketOutcome::kDeleted:
      break;
  }
  http::Response response;
  response.status = 204;
  return response;
}

HandlerResult GetBucketLocation(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(meta::BucketRecord bucket, RequireBucket(services, ctx.route.bucket));
  // S3 answers an empty LocationConstraint for us-east-1, for historical reasons.
  std::string body = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  body += "\n<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  if (bucket.region != "us-east-1") body += XmlEscape(bucket.region);
  body += "</LocationConstraint>";
  return XmlResponse(std::move(body));
}

}  // namespace stratus::s3
