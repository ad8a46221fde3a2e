#include "bench/s3_ops.h"

#include <fmt/format.h>

#include <algorithm>

#include "auth/sigv4.h"

namespace stratus::bench {
namespace {

std::string XmlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool matched = false;
    for (const auto& [entity, c] : kEntities) {
      if (text.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size() - 1;
        matched = true;
        break;
      }
    }
    if (!matched) out += '&';
  }
  return out;
}

Outcome Failed(std::string error) {
  Outcome outcome;
  outcome.error = std::move(error);
  return outcome;
}

Outcome FromResult(const Result<Response>& response, uint64_t bytes) {
  if (!response) return Failed(std::string(response.error().message()));
  if (!response->ok()) return Failed(DescribeError(*response));
  Outcome outcome;
  outcome.ok = true;
  outcome.bytes = bytes;
  return outcome;
}

}  // namespace

std::vector<std::string> XmlValues(std::string_view xml, std::string_view tag) {
  std::vector<std::string> values;
  const std::string open = fmt::format("<{}>", tag);
  const std::string close = fmt::format("</{}>", tag);
  size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    const size_t start = pos + open.size();
    const size_t end = xml.find(close, start);
    if (end == std::string_view::npos) break;
    values.push_back(XmlDecode(xml.substr(start, end - start)));
    pos = end + close.size();
  }
  return values;
}

std::string DescribeError(const Response& response) {
  std::vector<std::string> code = XmlValues(response.body, "Code");
  if (code.empty()) return fmt::format("{}", response.status);
  return fmt::format("{} {}", response.status, code.front());
}

std::string S3Ops::ObjectPath(std::string_view key) const {
  return fmt::format("/{}/{}", plan_.bucket, auth::UriEncode(key, /*encode_slash=*/false));
}

Outcome S3Ops::PutObject(Connection& c, std::string_view key) const {
  const std::string path = ObjectPath(key);
  RequestSpec spec{.method = "PUT", .path = path};
  spec.payload = &payload_;
  spec.payload_offset = payload_.OffsetOf(key);
  spec.payload_length = payload_.SizeOf(key);
  return FromResult(c.Send(spec), spec.payload_length);
}

Outcome S3Ops::GetObject(Connection& c, std::string_view key, bool verify) const {
  const std::string path = ObjectPath(key);
  PayloadVerifier verifier(payload_, key);
  RequestSpec spec{.method = "GET", .path = path};
  if (verify) spec.verifier = &verifier;
  spec.discard = plan_.discard && !verify;
  Result<Response> response = c.Send(spec);
  Outcome outcome = FromResult(response, response ? response->body_bytes : 0);
  if (!outcome.ok) return outcome;
  if (response->body_bytes != verifier.expected_size()) {
    outcome.ok = false;
    outcome.verify_failed = true;
    outcome.error = fmt::format("verify: size {} instead of {}", response->body_bytes,
                                verifier.expected_size());
  } else if (verify) {
    outcome.verified = true;
    if (!verifier.Finish()) {
      outcome.ok = false;
      outcome.verify_failed = true;
      outcome.error = "verify: content differs from what was written";
    }
  }
  return outcome;
}

Outcome S3Ops::HeadObject(Connection& c, std::string_view key) const {
  const std::string path = ObjectPath(key);
  return FromResult(c.Send({.method = "HEAD", .path = path}), 0);
}

Outcome S3Ops::ListObjectsV2(Connection& c, std::string_view prefix) const {
  const std::string path = BucketPath();
  RequestSpec spec{.method = "GET", .path = path};
  spec.query = {{"list-type", "2"}, {"max-keys", "100"}, {"prefix", std::string(prefix)}};
  return FromResult(c.Send(spec), 0);
}

Outcome S3Ops::DeleteObject(Connection& c, std::string_view key) const {
  const std::string path = ObjectPath(key);
  return FromResult(c.Send({.method = "DELETE", .path = path}), 0);
}

Outcome S3Ops::MultipartUpload(Connection& c, std::string_view key) const {
  const std::string path = ObjectPath(key);
  RequestSpec create{.method = "POST", .path = path};
  create.query = {{"uploads", ""}};
  create.keep_body = true;
  Result<Response> created = c.Send(create);
  if (!created || !created->ok()) return FromResult(created, 0);
  std::vector<std::string> upload_id = XmlValues(created->body, "UploadId");
  if (upload_id.empty()) return Failed("CreateMultipartUpload: no UploadId in the answer");

  const uint64_t size = payload_.SizeOf(key);
  const uint64_t offset = payload_.OffsetOf(key);
  std::string complete = "<CompleteMultipartUpload>";
  uint64_t part = 1;
  for (uint64_t position = 0; position < size; position += plan_.part_size, ++part) {
    RequestSpec upload{.method = "PUT", .path = path};
    upload.query = {{"partNumber", std::to_string(part)}, {"uploadId", upload_id.front()}};
    upload.payload = &payload_;
    upload.payload_offset = offset;
    upload.payload_position = position;
    upload.payload_length = std::min(plan_.part_size, size - position);
    Result<Response> uploaded = c.Send(upload);
    if (!uploaded || !uploaded->ok()) {
      RequestSpec abort{.method = "DELETE", .path = path};
      abort.query = {{"uploadId", upload_id.front()}};
      (void)c.Send(abort);
      return FromResult(uploaded, 0);
    }
    complete += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", part,
                            uploaded->etag);
  }
  complete += "</CompleteMultipartUpload>";
  RequestSpec finish{.method = "POST", .path = path};
  finish.query = {{"uploadId", upload_id.front()}};
  finish.text = complete;
  finish.keep_body = true;
  Result<Response> finished = c.Send(finish);
  // S3 may answer 200 and still fail: the error is then in the body.
  if (finished && finished->ok() && finished->body.find("<Error>") != std::string::npos) {
    return Failed(fmt::format("CompleteMultipartUpload: {}",
                              XmlValues(finished->body, "Code").empty()
                                  ? "error"
                                  : XmlValues(finished->body, "Code").front()));
  }
  return FromResult(finished, size);
}

Result<bool> S3Ops::BucketExists(Connection& c) const {
  const std::string path = BucketPath();
  ASSIGN_OR_RETURN(Response response, c.Send({.method = "HEAD", .path = path}));
  if (response.status == 404) return false;
  if (!response.ok()) {
    return Error(ErrorCode::kInternalError,
                 fmt::format("HeadBucket {}: {}", plan_.bucket, DescribeError(response)));
  }
  return true;
}

Status S3Ops::CreateBucket(Connection& c) const {
  const std::string path = BucketPath();
  ASSIGN_OR_RETURN(Response response, c.Send({.method = "PUT", .path = path}));
  if (!response.ok()) {
    return Status::Internal(
        fmt::format("CreateBucket {}: {}", plan_.bucket, DescribeError(response)));
  }
  return Status::Ok();
}

Status S3Ops::DeleteBucket(Connection& c) const {
  const std::string path = BucketPath();
  ASSIGN_OR_RETURN(Response response, c.Send({.method = "DELETE", .path = path}));
  if (!response.ok()) {
    return Status::Internal(
        fmt::format("DeleteBucket {}: {}", plan_.bucket, DescribeError(response)));
  }
  return Status::Ok();
}

Result<ListPage> S3Ops::ListKeys(Connection& c, std::string_view prefix,
                                 const std::optional<std::string>& continuation) const {
  const std::string path = BucketPath();
  RequestSpec spec{.method = "GET", .path = path};
  spec.query = {{"list-type", "2"}, {"max-keys", "1000"}, {"prefix", std::string(prefix)}};
  if (continuation) spec.query.emplace_back("continuation-token", *continuation);
  spec.keep_body = true;
  ASSIGN_OR_RETURN(Response response, c.Send(spec));
  if (!response.ok()) {
    return Error(ErrorCode::kInternalError,
                 fmt::format("ListObjectsV2 {}: {}", plan_.bucket, DescribeError(response)));
  }
  ListPage page;
  page.keys = XmlValues(response.body, "Key");
  std::vector<std::string> truncated = XmlValues(response.body, "IsTruncated");
  std::vector<std::string> next = XmlValues(response.body, "NextContinuationToken");
  if (!truncated.empty() && truncated.front() == "true" && !next.empty()) {
    page.continuation = next.front();
  }
  return page;
}

Status S3Ops::RemoveObject(Connection& c, std::string_view key) const {
  const std::string path = ObjectPath(key);
  ASSIGN_OR_RETURN(Response response, c.Send({.method = "DELETE", .path = path}));
  if (!response.ok() && response.status != 404) {
    return Status::Internal(fmt::format("delete {}: {}", key, DescribeError(response)));
  }
  return Status::Ok();
}

}  // namespace stratus::bench
