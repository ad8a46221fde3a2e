// Object tagging (Put/Get/DeleteObjectTagging) and bucket tagging (Put/Get/DeleteBucketTagging).
// Object tags live in the object's record, so changing them rewrites the record and never
// touches the bytes; bucket tags are the bucket's "tagging" configuration.
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/names.h"
#include "s3/tag_set.h"
#include "s3/verified_body.h"

namespace stratus::s3 {
namespace {

constexpr size_t kMaxTaggingXmlBytes = 64 * 1024;
constexpr std::string_view kBucketTaggingConfig = "tagging";

Result<TagSet> ReadTaggingBody(const Services& services, RequestContext& ctx, size_t max_tags) {
  ASSIGN_OR_RETURN(SmallBody body, ReadVerifiedBody(services, ctx, kMaxTaggingXmlBytes, false));
  return ParseTaggingXml(body.text, max_tags);
}

bool SameObject(const meta::ObjectRecord& a, const meta::ObjectRecord& b) {
  return a.etag == b.etag && a.modified_ns == b.modified_ns && a.data.DataIds() == b.data.DataIds();
}

// Replaces the tags of the object at the route's key and nothing else. The record is rewritten
// under the key's lock only if the object read is still the one there; an overwrite in between
// makes the read start again, so tags never land on (or resurrect) another object.
Status ReplaceObjectTags(const Services& services, const Route& route, const TagSet& tags) {
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(meta::ObjectRecord object, RequireObject(services, route.bucket, route.key));
    const meta::ObjectRecord read = object;
    object.tags = tags;
    auto replaced =
        services.meta.PutObject(object, [&](const std::optional<meta::ObjectRecord>& now) {
          if (!now) return Status(ErrorCode::kNoSuchKey);
          if (!SameObject(*now, read)) return Status(ErrorCode::kSlowDown);
          return Status::Ok();
        });
    if (replaced) return Status::Ok();
    if (replaced.error().code() != ErrorCode::kSlowDown || attempt == kAttempts) {
      return replaced.error();
    }
  }
}

}  // namespace

HandlerResult PutObjectTagging(const Services& services, RequestContext& ctx) {
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  ASSIGN_OR_RETURN(TagSet tags, ReadTaggingBody(services, ctx, kMaxObjectTags));
  RETURN_IF_ERROR(ReplaceObjectTags(services, ctx.route, tags));
  return http::Response{};
}

HandlerResult GetObjectTagging(const Services& services, RequestContext& ctx) {
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  ASSIGN_OR_RETURN(meta::ObjectRecord object,
                   RequireObject(services, ctx.route.bucket, ctx.route.key));
  return XmlResponse(TaggingXml(object.tags));
}

HandlerResult DeleteObjectTagging(const Services& services, RequestContext& ctx) {
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  RETURN_IF_ERROR(ReplaceObjectTags(services, ctx.route, {}));
  http::Response response;
  response.status = 204;
  return response;
}

HandlerResult PutBucketTagging(const Services& services, RequestContext& ctx) {
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  ASSIGN_OR_RETURN(TagSet tags, ReadTaggingBody(services, ctx, kMaxBucketTags));
  // Stored as the document GetBucketTagging answers with (already validated and normalized).
  std::string document = TaggingXml(tags);
  RETURN_IF_ERROR(services.meta.UpdateBucket(ctx.route.bucket, [&](meta::BucketRecord& bucket) {
    bucket.configs[std::string(kBucketTaggingConfig)] = document;
    return Status::Ok();
  }));
  http::Response response;
  response.status = 204;
  return response;
}

HandlerResult GetBucketTagging(const Services& services, RequestContext& ctx) {
  ASSIGN_OR_RETURN(meta::BucketRecord bucket, RequireBucket(services, ctx.route.bucket));
  auto config = bucket.configs.find(std::string(kBucketTaggingConfig));
  // S3 answers NoSuchTagSet for a bucket that was never tagged (or no longer is).
  if (config == bucket.configs.end()) return Error(ErrorCode::kNoSuchTagSet);
  return XmlResponse(config->second);
}

HandlerResult DeleteBucketTagging(const Services& services, RequestContext& ctx) {
  RETURN_IF_ERROR(services.meta.UpdateBucket(ctx.route.bucket, [](meta::BucketRecord& bucket) {
    bucket.configs.erase(std::string(kBucketTaggingConfig));
    return Status::Ok();
  }));
  http::Response response;
  response.status = 204;
  return response;
}

}  // namespace stratus::s3
