// The S3 operation handlers, one per Op, grouped by resource family in bucket.cc, list.cc,
// object_put.cc, object_get.cc, object_delete.cc. Each parses its input, delegates to the
// MetaStore / ObjectBackend, and builds the reply.
#pragma once

#include "http/request.h"
#include "http/server_options.h"
#include "s3/context.h"

namespace stratus::s3 {

using HandlerResult = Result<http::Response>;

HandlerResult ListBuckets(const Services& services, RequestContext& ctx);
HandlerResult CreateBucket(const Services& services, RequestContext& ctx);
HandlerResult HeadBucket(const Services& services, RequestContext& ctx);
HandlerResult DeleteBucket(const Services& services, RequestContext& ctx);
HandlerResult GetBucketLocation(const Services& services, RequestContext& ctx);
// cors.cc
HandlerResult GetBucketCors(const Services& services, RequestContext& ctx);
HandlerResult PutBucketCors(const Services& services, RequestContext& ctx);
HandlerResult DeleteBucketCors(const Services& services, RequestContext& ctx);
HandlerResult OptionsPreflight(const Services& services, RequestContext& ctx);
// post_object.cc
HandlerResult PostObject(const Services& services, RequestContext& ctx);
HandlerResult ListObjects(const Services& services, RequestContext& ctx);
HandlerResult ListObjectsV2(const Services& services, RequestContext& ctx);
HandlerResult PutObject(const Services& services, RequestContext& ctx);
// PutObject on an io thread (http::InlineHandler): false declines, and PutObject runs.
bool PutObjectInline(const Services& services, RequestContext& ctx, const http::Responder& respond);
HandlerResult GetObject(const Services& services, RequestContext& ctx);
HandlerResult HeadObject(const Services& services, RequestContext& ctx);
HandlerResult DeleteObject(const Services& services, RequestContext& ctx);
// multipart.cc, multipart_list.cc
HandlerResult CreateMultipartUpload(const Services& services, RequestContext& ctx);
HandlerResult UploadPart(const Services& services, RequestContext& ctx);
HandlerResult UploadPartCopy(const Services& services, RequestContext& ctx);
HandlerResult CompleteMultipartUpload(const Services& services, RequestContext& ctx);
HandlerResult AbortMultipartUpload(const Services& services, RequestContext& ctx);
HandlerResult ListParts(const Services& services, RequestContext& ctx);
HandlerResult ListMultipartUploads(const Services& services, RequestContext& ctx);
// object_copy.cc
HandlerResult CopyObject(const Services& services, RequestContext& ctx);
// delete_objects.cc
HandlerResult DeleteObjects(const Services& services, RequestContext& ctx);
// tagging.cc
HandlerResult PutObjectTagging(const Services& services, RequestContext& ctx);
HandlerResult GetObjectTagging(const Services& services, RequestContext& ctx);
HandlerResult DeleteObjectTagging(const Services& services, RequestContext& ctx);
HandlerResult PutBucketTagging(const Services& services, RequestContext& ctx);
HandlerResult GetBucketTagging(const Services& services, RequestContext& ctx);
HandlerResult DeleteBucketTagging(const Services& services, RequestContext& ctx);
// object_attributes.cc
HandlerResult GetObjectAttributes(const Services& services, RequestContext& ctx);

}  // namespace stratus::s3
