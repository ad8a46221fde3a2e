#include "s3/error_response.h"

#include <spdlog/spdlog.h>

#include "s3/xml.h"

namespace stratus::s3 {

namespace {

bool IsServerFailure(ErrorCode code) {
  return code == ErrorCode::kInternalError || code == ErrorCode::kServiceUnavailable ||
         code == ErrorCode::kSlowDown;
}

}  // namespace

std::string_view ClientMessage(const Status& error, const http::Request& request,
                               std::string_view what) {
  if (!IsServerFailure(error.code())) return error.message();
  spdlog::error("request {} {} {}{}{}: {}", request.request_id, request.method, request.path,
                what.empty() ? "" : " ", what, error.ToString());
  return ErrorDefaultMessage(error.code());
}

http::Response ErrorResponse(const Status& error, const http::Request& request,
                             std::string_view bucket, std::string_view key) {
  http::Response response;
  response.status = ErrorHttpStatus(error.code());
  std::string_view message = ClientMessage(error, request);
  // A 304 is not an error to the client and, like every HEAD answer, has no body.
  if (request.method == "HEAD" || response.status == 304) return response;

  XmlWriter xml("Error", /*with_namespace=*/false);
  xml.Element("Code", ErrorName(error.code()));
  xml.Element("Message", message);
  if (!bucket.empty()) xml.Element("BucketName", bucket);
  if (!key.empty()) xml.Element("Key", key);
  xml.Element("Resource", request.path);
  xml.Element("RequestId", request.request_id);
  response.body = xml.Finish();
  response.headers.Set("Content-Type", "application/xml");
  return response;
}

}  // namespace stratus::s3
