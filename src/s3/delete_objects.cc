// DeleteObjects (POST /bucket?delete): up to 1000 keys in one request, each deleted as
// DeleteObject does (record first, in one synced batch, then its data), each failure reported
// in the answer rather than failing the request.
#include "s3/delete_request.h"
#include "s3/error_response.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/names.h"
#include "s3/object_data.h"
#include "s3/verified_body.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

// 1000 keys of up to 1024 bytes each, escaped, with room for the markup.
constexpr size_t kMaxDeleteBodyBytes = 8 * 1024 * 1024;

// Deletes one key; the error to report for it, if any.
Status DeleteOne(const Services& services, const std::string& bucket, const DeleteEntry& entry) {
  RETURN_IF_ERROR(ValidateObjectKey(entry.key));
  // Unversioned buckets: "null" is the only version there is.
  if (entry.version_id && *entry.version_id != "null") {
    return Status(ErrorCode::kNotImplemented, "Deleting a version is not implemented yet.");
  }
  ASSIGN_OR_RETURN(std::optional<meta::ObjectRecord> deleted,
                   services.meta.DeleteObject(bucket, entry.key));
  // A crash before this leaves an unreferenced file, which the start-up sweep removes.
  if (deleted) RemoveObjectData(services.backend, deleted->data);
  return Status::Ok();
}

}  // namespace

HandlerResult DeleteObjects(const Services& services, RequestContext& ctx) {
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  // S3 requires the body's integrity to be promised.
  ASSIGN_OR_RETURN(SmallBody body, ReadVerifiedBody(services, ctx, kMaxDeleteBodyBytes, true));
  ASSIGN_OR_RETURN(DeleteRequest request, ParseDeleteRequest(body.text));

  XmlWriter xml("DeleteResult");
  for (const DeleteEntry& entry : request.objects) {
    Status status = DeleteOne(services, ctx.route.bucket, entry);
    if (status.ok()) {
      // S3 reports a key that did not exist as deleted.
      if (request.quiet) continue;
      xml.Open("Deleted").Element("Key", entry.key);
      if (entry.version_id) xml.Element("VersionId", *entry.version_id);
      xml.Close();
      continue;
    }
    xml.Open("Error").Element("Key", entry.key);
    if (entry.version_id) xml.Element("VersionId", *entry.version_id);
    xml.Element("Code", ErrorName(status.code()))
        .Element("Message", ClientMessage(status, ctx.request, "key " + entry.key))
        .Close();
  }
  return XmlResponse(xml.Finish());
}

}  // namespace stratus::s3
