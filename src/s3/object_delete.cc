// DeleteObject. Unversioned buckets: the record goes in one synced batch, then its data.
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/names.h"
#include "s3/object_data.h"

namespace stratus::s3 {

HandlerResult DeleteObject(const Services& services, RequestContext& ctx) {
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  ASSIGN_OR_RETURN(std::optional<meta::ObjectRecord> deleted,
                   services.meta.DeleteObject(ctx.route.bucket, ctx.route.key));
  if (deleted) {
    // A crash before this leaves an unreferenced file, which the start-up sweep removes.
    RemoveObjectData(services.backend, deleted->data);
  }
  // S3 answers 204 whether or not the key existed.
  http::Response response;
  response.status = 204;
  return response;
}

}  // namespace stratus::s3
