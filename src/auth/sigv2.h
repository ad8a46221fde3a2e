// AWS Signature Version 2 for S3 (the "AWS AKID:signature" header and the AWSAccessKeyId /
// Expires / Signature query), as pure functions. Old but alive: s3cmd and some boto3
// configurations still sign this way. See AWS's "RESTAuthentication" page.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "http/headers.h"

namespace stratus::auth {

// Which query parameters count as signed sub-resources. Clients disagree: botocore signs the
// long list, s3cmd a shorter one, so the Verifier tries both.
enum class SubResourceList { kBotocore, kS3cmd };

bool IsSigV2SubResource(std::string_view name, SubResourceList list = SubResourceList::kBotocore);

// CanonicalizedResource: "/" + host_bucket (virtual-hosted style) + the path as sent + the
// sub-resources of raw_query sorted by name, with decoded values ("?acl", "?partNumber=2&
// uploadId=x"). InvalidURI on a malformed escape.
Result<std::string> SigV2CanonicalResource(std::string_view host_bucket, std::string_view raw_path,
                                           std::string_view raw_query,
                                           SubResourceList list = SubResourceList::kBotocore);

// CanonicalizedAmzHeaders: each x-amz-* header lowercased, sorted, repeated values joined with
// ',', "name:value\n".
std::string SigV2CanonicalAmzHeaders(const http::Headers& headers);

// "METHOD\nContent-MD5\nContent-Type\nDate\n" + amz headers + resource.
std::string SigV2StringToSign(std::string_view method, std::string_view content_md5,
                              std::string_view content_type, std::string_view date,
                              std::string_view canonical_amz_headers,
                              std::string_view canonical_resource);

// base64(HMAC-SHA1(secret, string_to_sign)).
std::string SigV2Signature(std::string_view secret_key, std::string_view string_to_sign);

struct SigV2Authorization {
  std::string access_key;
  std::string signature;
};

// "AWS AKID:signature"; InvalidArgument unless that form.
Result<SigV2Authorization> ParseSigV2Authorization(std::string_view header);

}  // namespace stratus::auth
