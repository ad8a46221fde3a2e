#include "s3/error_response.h"

#include <spdlog/spdlog.h>

#include "s3/xml.h"

namespace stratus::s3 {

http::Response ErrorResponse(const Status& error, const http::Request& request,
                             std::string_view bucket, std::string_view key) {
  http::Response response;
  response.status = ErrorHttpStatus(error.code());
  if (error.code() == ErrorCode::kInternalError || error.code() == ErrorCode::kSlowDown) {
    spdlog::error("request {} {} {}: {}", request.request_id, request.method, request.path,
                  error.ToString());
  }
  // A 304 is not an error to the client and, like every HEAD answer, has no body.
  if (request.method == "HEAD" || response.status == 304) return response;

  XmlWriter xml("Error", /*with_namespace=*/false);
  xml.Element("Code", ErrorName(error.code()));
  xml.Element("Message", error.message());
  if (!bucket.empty()) xml.Element("BucketName", bucket);
  if (!key.empty()) xml.Element("Key", key);
  xml.Element("Resource", request.path);
  xml.Element("RequestId", request.request_id);
  response.body = xml.Finish();
  response.headers.Set("Content-Type", "application/xml");
  return response;
}

}  // namespace stratus::s3
