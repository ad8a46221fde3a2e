// POST Object: verifying a form upload by its policy, then storing its file like PutObject.
#include "s3/post_object.h"

#include "auth/sigv4.h"
#include "common/crypto.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/header_support.h"
#include "s3/names.h"
#include "s3/object_data.h"
#include "s3/object_metadata.h"
#include "s3/object_writer.h"
#include "s3/payload_digests.h"
#include "s3/storage_class.h"
#include "s3/tag_set.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

std::optional<std::string_view> Field(const PostFormFields& fields, std::string_view name) {
  auto it = fields.find(std::string(name));
  if (it == fields.end()) return std::nullopt;
  return it->second;
}

Status MissingField(std::string_view name) {
  return Status(ErrorCode::kInvalidArgument,
                "Bucket POST must contain a field named '" + std::string(name) +
                    "'.  If it is specified, please check the order of the fields.");
}

// Reads the fields up to the file part, which it leaves unread: name (lowercased) -> value.
Result<PostFormFields> ReadFields(http::MultipartFormReader& form, std::string& filename) {
  PostFormFields fields;
  size_t total = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<http::FormPart> part, form.NextPart());
    if (!part) return Error(ErrorCode::kIncorrectNumberOfFilesInPostRequest);
    std::string name = http::ToLower(part->name);
    if (name == "file") {
      filename = part->filename.value_or("");
      return fields;
    }
    size_t left = kMaxPostFieldBytes - std::min(kMaxPostFieldBytes, total + name.size());
    ASSIGN_OR_RETURN(std::string value,
                     form.ReadAll(left, ErrorCode::kMaxPostPreDataLengthExceededError));
    total += name.size() + value.size();
    fields[std::move(name)] = std::move(value);
  }
}

// The file's metadata and checksums come as form fields named like the PutObject headers.
http::Headers FieldsAsHeaders(const PostFormFields& fields) {
  http::Headers headers;
  for (const auto& [name, value] : fields) {
    if (name.starts_with("x-amz-meta-") || name.starts_with("x-amz-checksum-") ||
        name == "content-type" || name == "cache-control" || name == "content-disposition" ||
        name == "content-encoding" || name == "content-language" || name == "expires" ||
        name == "x-amz-storage-class") {
      headers.Add(name, value);
    }
  }
  return headers;
}

std::string ObjectUrl(const http::Request& request, const Route& route) {
  std::string url = request.secure ? "https://" : "http://";
  url += request.Header("Host").value_or("");
  url += "/";
  if (!route.host_style) url += auth::UriEncode(route.bucket, true) + "/";
  return url + auth::UriEncode(route.key, false);
}

// The answer S3 gives a successful form: a 303 to success_action_redirect, or the
// success_action_status asked (200, 201 with a PostResponse document), 204 otherwise.
http::Response SuccessResponse(const http::Request& request, const Route& route,
                               const PostFormFields& fields, const std::string& key,
                               const std::string& etag) {
  http::Response response;
  std::string quoted = "\"" + etag + "\"";
  std::string location = ObjectUrl(request, route);
  response.headers.Set("ETag", quoted);
  auto redirect = Field(fields, "success_action_redirect");
  if (!redirect) redirect = Field(fields, "redirect");
  if (redirect && (redirect->starts_with("http://") || redirect->starts_with("https://"))) {
    std::string url(*redirect);
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += "bucket=" + auth::UriEncode(route.bucket, true) + "&key=" + auth::UriEncode(key, true) +
           "&etag=" + auth::UriEncode(quoted, true);
    response.status = 303;
    response.headers.Set("Location", url);
    return response;
  }
  response.headers.Set("Location", location);
  std::string_view status = Field(fields, "success_action_status").value_or("204");
  if (status == "200") return response;
  if (status == "201") {
    XmlWriter xml("PostResponse", /*with_namespace=*/false);
    xml.Element("Location", location)
        .Element("Bucket", route.bucket)
        .Element("Key", key)
        .Element("ETag", quoted);
    http::Response created = XmlResponse(xml.Finish(), 201);
    created.headers.Set("ETag", quoted);
    created.headers.Set("Location", location);
    return created;
  }
  response.status = 204;
  return response;
}

}  // namespace

Result<size_t> PostObjectPayload::Read(std::span<char> buffer) {
  if (!error_.ok()) return Error(error_);
  if (done_) return 0;
  auto n = form_->Read(buffer);
  Status status = n ? Status::Ok() : n.error();
  if (status.ok()) {
    size_ += *n;
    if (policy_) status = CheckPostContentLength(*policy_, size_, *n == 0);
  }
  // S3 ignores fields after the file; the form must still end well.
  while (status.ok() && n && *n == 0 && !done_) {
    auto part = form_->NextPart();
    if (!part) {
      status = part.error();
    } else if (!*part) {
      done_ = true;
    } else {
      status = internal::ToStatus(
          form_->ReadAll(kMaxPostFieldBytes, ErrorCode::kMaxPostPreDataLengthExceededError));
    }
  }
  if (!status.ok()) {
    error_ = status;
    return Error(std::move(status));
  }
  return *n;
}

Result<auth::Credential> PostObjectVerifier::VerifySignature(const PostFormFields& fields) const {
  std::string_view policy = Field(fields, "policy").value_or("");
  if (auto signature = Field(fields, "x-amz-signature")) {
    auto algorithm = Field(fields, "x-amz-algorithm");
    if (!algorithm) return Error(MissingField("x-amz-algorithm"));
    if (*algorithm != auth::kSigV4Algorithm) {
      return Error(ErrorCode::kInvalidArgument, "Unsupported x-amz-algorithm.");
    }
    auto credential_text = Field(fields, "x-amz-credential");
    if (!credential_text) return Error(MissingField("x-amz-credential"));
    if (!Field(fields, "x-amz-date")) return Error(MissingField("x-amz-date"));
    ASSIGN_OR_RETURN(auth::SigV4Credential scope,
                     auth::ParseSigV4Credential(*credential_text, ErrorCode::kInvalidArgument));
    if (scope.region != region_ || scope.service != "s3") {
      return Error(ErrorCode::kInvalidArgument,
                   "Invalid credential scope; expecting region '" + region_ + "'.");
    }
    auto credential = store_.Lookup(scope.access_key);
    if (!credential) return Error(ErrorCode::kInvalidAccessKeyId);
    std::string key = auth::SigningKey(credential->secret_key, scope.date, scope.region, "s3");
    if (!ConstantTimeEquals(auth::Signature(key, policy), *signature)) {
      return Error(ErrorCode::kSignatureDoesNotMatch);
    }
    return *credential;
  }
  auto access_key = Field(fields, "awsaccesskeyid");
  auto signature = Field(fields, "signature");
  if (!signature) return Error(MissingField("signature"));
  if (!access_key) return Error(MissingField("AWSAccessKeyId"));
  auto credential = store_.Lookup(*access_key);
  if (!credential) return Error(ErrorCode::kInvalidAccessKeyId);
  if (!ConstantTimeEquals(Base64Encode(HmacSha1(credential->secret_key, policy)), *signature)) {
    return Error(ErrorCode::kSignatureDoesNotMatch);
  }
  return *credential;
}

Result<auth::VerifiedRequest> PostObjectVerifier::Verify(http::Request& request,
                                                         const Route& route) const {
  std::optional<std::string> boundary =
      http::FormDataBoundary(request.Header("Content-Type").value_or(""));
  if (!boundary) {
    return Error(ErrorCode::kPreconditionFailed,
                 "Bucket POST must be of the enclosure-type multipart/form-data");
  }
  auto form = std::make_unique<http::MultipartFormReader>(*request.body, std::move(*boundary),
                                                          ErrorCode::kMalformedPOSTRequest);
  std::string filename;
  ASSIGN_OR_RETURN(PostFormFields fields, ReadFields(*form, filename));
  auto key = fields.find("key");
  if (key == fields.end()) return Error(MissingField("key"));
  // "${filename}" in the key stands for the name of the uploaded file.
  if (size_t at = key->second.find("${filename}"); at != std::string::npos) {
    key->second.replace(at, std::string_view("${filename}").size(), filename);
  }
  fields["bucket"] = route.bucket;

  auth::VerifiedRequest verified;
  std::optional<PostPolicy> policy;
  if (!Field(fields, "x-amz-signature") && !Field(fields, "signature")) {
    verified.anonymous = true;
  } else {
    auto policy_text = Field(fields, "policy");
    if (!policy_text) return Error(MissingField("policy"));
    ASSIGN_OR_RETURN(auth::Credential credential, VerifySignature(fields));
    std::optional<std::string> json = Base64Decode(*policy_text);
    if (!json) return Error(ErrorCode::kInvalidPolicyDocument, "Invalid Policy: Invalid base64.");
    ASSIGN_OR_RETURN(policy, ParsePostPolicy(*json));
    RETURN_IF_ERROR(CheckPostPolicy(*policy, fields, now_()));
    verified.access_key = credential.access_key;
    verified.user = credential.user;
  }
  verified.payload =
      std::make_unique<PostObjectPayload>(std::move(form), std::move(fields), std::move(policy));
  return verified;
}

HandlerResult PostObject(const Services& services, RequestContext& ctx) {
  auto* payload = dynamic_cast<PostObjectPayload*>(ctx.verified.payload.get());
  if (!payload) return Error(Status::Internal("PostObject without a PostObjectPayload"));
  const PostFormFields& fields = payload->fields();
  std::string key(Field(fields, "key").value_or(""));
  RETURN_IF_ERROR(ValidateObjectKey(key));
  for (const auto& [name, value] : fields) RETURN_IF_ERROR(CheckFormFieldSupport(name, value));
  http::Headers headers = FieldsAsHeaders(fields);
  ASSIGN_OR_RETURN(ObjectMetadata metadata, ParseObjectMetadata(headers));
  ASSIGN_OR_RETURN(std::string storage_class, RequestedStorageClass(headers));
  TagSet tags;
  if (auto tagging = Field(fields, "tagging")) {
    ASSIGN_OR_RETURN(tags, ParseTaggingXml(*tagging, kMaxObjectTags));
  }
  ASSIGN_OR_RETURN(ExpectedDigests expected, ParseExpectedDigests(headers));
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));

  ChecksumSet checksums = ChecksumSet::ForPut(expected.algorithm);
  ObjectWriter writer(services.backend, services.config.inline_threshold);
  ASSIGN_OR_RETURN(ReceivedBody body,
                   ReceiveBody(*payload, std::nullopt, checksums,
                               [&](std::span<const char> chunk) { return writer.Write(chunk); }));
  const ChecksumValues& actual = body.checksums;
  RETURN_IF_ERROR(VerifyDigests(expected, actual, payload->trailers()));

  meta::ObjectRecord record;
  record.bucket = ctx.route.bucket;
  record.key = key;
  record.size = writer.size();
  record.etag = HexEncode(*actual.md5);
  record.modified_ns = NowUnixNanos();
  record.system_metadata = std::move(metadata.system);
  record.user_metadata = std::move(metadata.user);
  record.tags = std::move(tags);
  record.storage_class = std::move(storage_class);
  record.checksums = EncodeChecksums(actual);
  RETURN_IF_ERROR(
      StoreObject(services, writer, record,
                  [](const std::optional<meta::ObjectRecord>&) { return Status::Ok(); }));
  Route stored = ctx.route;
  stored.key = key;
  return SuccessResponse(ctx.request, stored, fields, key, record.etag);
}

}  // namespace stratus::s3
