// SigV2 pure functions, pinned to AWS's RESTAuthentication examples.
#include "auth/sigv2.h"

#include <gtest/gtest.h>

namespace stratus::auth {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

TEST(SigV2, AwsObjectGetExample) {
  std::string resource =
      SigV2CanonicalResource("awsexamplebucket1", "/photos/puppy.jpg", "").value();
  EXPECT_EQ(resource, "/awsexamplebucket1/photos/puppy.jpg");
  std::string string_to_sign =
      SigV2StringToSign("GET", "", "", "Tue, 27 Mar 2007 19:36:42 +0000", "", resource);
  EXPECT_EQ(string_to_sign,
            "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/awsexamplebucket1/photos/puppy.jpg");
  EXPECT_EQ(SigV2Signature(kSecret, string_to_sign), "qgk2+6Sv9/oM7G3qLEjTH1a1l1g=");
  // The older edition of the page used bucket "johnsmith".
  EXPECT_EQ(SigV2Signature(kSecret,
                           "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg"),
            "bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
}

TEST(SigV2, AwsQueryStringExample) {
  // The page's query example (bucket johnsmith; the awsexamplebucket1 edition kept the old
  // signature, which does not match its own string to sign).
  EXPECT_EQ(SigV2Signature(kSecret, "GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg"),
            "NpgCjnDzrM+WFzoENXmpNDUsSn8=");
}

TEST(SigV2, CanonicalResourceKeepsOnlySubResourcesSorted) {
  EXPECT_EQ(SigV2CanonicalResource("", "/b/k", "uploadId=x%2Fy&partNumber=2&foo=bar").value(),
            "/b/k?partNumber=2&uploadId=x/y");
  EXPECT_EQ(SigV2CanonicalResource("", "/b/", "prefix=p&max-keys=5").value(), "/b/");
  EXPECT_EQ(SigV2CanonicalResource("", "/b", "acl").value(), "/b?acl");
  EXPECT_EQ(SigV2CanonicalResource("", "/b", "acl=").value(), "/b?acl=");
  EXPECT_EQ(SigV2CanonicalResource("b", "/", "").value(), "/b/");
  EXPECT_EQ(SigV2CanonicalResource("b", "", "").value(), "/b/");
  EXPECT_EQ(SigV2CanonicalResource("", "/b/a%20b", "").value(), "/b/a%20b");  // path as sent
  EXPECT_EQ(SigV2CanonicalResource("", "/b/k", "tagging&versionId=3").value(),
            "/b/k?tagging&versionId=3");
  EXPECT_EQ(
      SigV2CanonicalResource("", "/b/k", "tagging&versionId=3", SubResourceList::kS3cmd).value(),
      "/b/k?versionId=3");
  EXPECT_EQ(SigV2CanonicalResource("", "/b/k", "versionId=%zz").error().code(),
            ErrorCode::kInvalidURI);
}

TEST(SigV2, CanonicalAmzHeadersLowercaseSortAndJoin) {
  http::Headers headers;
  headers.Add("X-Amz-Meta-ReviewedBy", "joe@example.com");
  headers.Add("X-Amz-Meta-ReviewedBy", "jane@example.com");
  headers.Add("x-amz-acl", " public-read ");
  headers.Add("Content-Type", "text/plain");
  EXPECT_EQ(SigV2CanonicalAmzHeaders(headers),
            "x-amz-acl:public-read\nx-amz-meta-reviewedby:joe@example.com,jane@example.com\n");
}

TEST(SigV2, ParsesAuthorization) {
  auto auth = ParseSigV2Authorization("AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=");
  ASSERT_TRUE(auth.has_value());
  EXPECT_EQ(auth->access_key, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(auth->signature, "qgk2+6Sv9/oM7G3qLEjTH1a1l1g=");
  for (std::string_view bad : {"AWS ", "AWS AKID", "AWS :sig", "AWS AKID:", "AWSX AK:sig"}) {
    EXPECT_EQ(ParseSigV2Authorization(bad).error().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace stratus::auth
