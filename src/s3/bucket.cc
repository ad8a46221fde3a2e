// Bucket handlers: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation.
#include <pugixml.hpp>

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

}  // namespace

HandlerResult ListBuckets(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<meta::BucketRecord> buckets, services.meta.ListBuckets());
  XmlWriter xml("ListAllMyBucketsResult");
  xml.Open("Owner")
      .Element("ID", ctx.verified.access_key)
      .Element("DisplayName", ctx.verified.user)
      .Close();
  xml.Open("Buckets");
  for (const meta::BucketRecord& bucket : buckets) {
    xml.Open("Bucket")
        .Element("Name", bucket.name)
        .Element("CreationDate", FormatIso8601(bucket.created_ns))
        .Element("BucketRegion", bucket.region)
        .Close();
  }
  xml.Close();
  return XmlResponse(xml.Finish());
}

HandlerResult CreateBucket(const Services& services, RequestContext& ctx) {
  RETURN_IF_ERROR(ValidateBucketName(ctx.route.bucket));
  ASSIGN_OR_RETURN(std::string body, ReadSmallBody(*ctx.verified.payload, kMaxConfigurationBytes));
  ASSIGN_OR_RETURN(std::string location, ParseLocationConstraint(body));
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
