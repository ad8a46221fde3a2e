#include "s3/error_response.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

namespace stratus::s3 {
namespace {

http::Request MakeRequest(std::string method) {
  http::Request request;
  request.method = std::move(method);
  request.path = "/bucket/key";
  request.request_id = "0123456789ABCDEF";
  return request;
}

TEST(ErrorResponse, CarriesTheTableStatusAndAnXmlBody) {
  auto response = ErrorResponse(Status(ErrorCode::kNoSuchKey), MakeRequest("GET"), "bucket", "key");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.headers.Get("Content-Type"), "application/xml");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(response.body.c_str()));
  pugi::xml_node error = doc.child("Error");
  EXPECT_STREQ(error.child_value("Code"), "NoSuchKey");
  EXPECT_STREQ(error.child_value("Message"), "The specified key does not exist.");
  EXPECT_STREQ(error.child_value("Key"), "key");
  EXPECT_STREQ(error.child_value("BucketName"), "bucket");
  EXPECT_STREQ(error.child_value("Resource"), "/bucket/key");
  EXPECT_STREQ(error.child_value("RequestId"), "0123456789ABCDEF");
}

TEST(ErrorResponse, UsesTheExplicitMessage) {
  auto response =
      ErrorResponse(Status(ErrorCode::kInvalidArgument, "bad max-keys"), MakeRequest("GET"));
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("<Message>bad max-keys</Message>"), std::string::npos);
}

TEST(ErrorResponse, ServerFailuresCarryOnlyTheGenericMessage) {
  for (ErrorCode code :
       {ErrorCode::kInternalError, ErrorCode::kSlowDown, ErrorCode::kServiceUnavailable}) {
    auto response =
        ErrorResponse(Status(code, "open /srv/data/ab/cd/x: No such file"), MakeRequest("GET"));
    EXPECT_EQ(response.body.find("/srv/data"), std::string::npos) << response.body;
    EXPECT_NE(response.body.find(ErrorDefaultMessage(code)), std::string::npos);
  }
  // NotImplemented's message describes the client's own request: it stays.
  Status refused(ErrorCode::kNotImplemented, "implies: x-amz-mfa");
  EXPECT_EQ(ClientMessage(refused, MakeRequest("GET")), "implies: x-amz-mfa");
}

TEST(ErrorResponse, HeadAndNotModifiedHaveNoBody) {
  EXPECT_TRUE(ErrorResponse(Status(ErrorCode::kNoSuchKey), MakeRequest("HEAD")).body.empty());
  auto not_modified = ErrorResponse(Status(ErrorCode::kNotModified), MakeRequest("GET"));
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
}

}  // namespace
}  // namespace stratus::s3
