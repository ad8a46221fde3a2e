#include "s3/object_metadata.h"

#include <algorithm>
#include <array>

#include "common/time.h"
#include "s3/storage_class.h"

namespace stratus::s3 {
namespace {

// The standard headers S3 stores with an object and returns on GET and HEAD.
constexpr std::array<std::string_view, 6> kStoredHeaders = {
    "Content-Type",     "Content-Encoding", "Content-Disposition",
    "Content-Language", "Cache-Control",    "Expires",
};

constexpr std::string_view kUserMetadataPrefix = "x-amz-meta-";

// "aws-chunked" describes how this request's body was framed, not the object: S3 removes that
// token (and its comma) from the Content-Encoding it stores and keeps the rest exactly as sent
// ("aws-chunked, gzip" is stored as "gzip", "deflate, gzip" as "deflate, gzip").
std::string WithoutAwsChunked(std::string_view encoding) {
  std::string out;
  size_t at = 0;
  while (at <= encoding.size()) {
    size_t comma = std::min(encoding.find(',', at), encoding.size());
    std::string_view separator_and_token = encoding.substr(at, comma - at);
    std::string_view token = separator_and_token;
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    if (!token.empty() && !http::EqualsIgnoreCase(token, "aws-chunked")) {
      // The comma and spaces that preceded this token, as sent, unless it comes first now.
      if (!out.empty()) {
        out += ',';
        out += separator_and_token.substr(0, separator_and_token.find(token));
      }
      out += token;
    }
    at = comma + 1;
  }
  return out;
}

}  // namespace

Result<ObjectMetadata> ParseObjectMetadata(const http::Headers& headers) {
  ObjectMetadata metadata;
  for (std::string_view name : kStoredHeaders) {
    auto value = headers.Get(name);
    if (!value) continue;
    std::string stored(*value);
    if (name == "Content-Encoding") {
      stored = WithoutAwsChunked(stored);
      if (stored.empty()) continue;
    }
    metadata.system.emplace_back(name, std::move(stored));
  }
  size_t user_bytes = 0;
  for (const auto& [name, value] : headers.fields()) {
    if (name.size() <= kUserMetadataPrefix.size() ||
        !http::EqualsIgnoreCase(std::string_view(name).substr(0, kUserMetadataPrefix.size()),
                                kUserMetadataPrefix)) {
      continue;
    }
    std::string user_name =
        http::ToLower(std::string_view(name).substr(kUserMetadataPrefix.size()));
    user_bytes += user_name.size() + value.size();
    metadata.user.emplace_back(std::move(user_name), value);
  }
  if (user_bytes > kMaxUserMetadataBytes) return Error(ErrorCode::kMetadataTooLarge);
  return metadata;
}

void AddObjectHeaders(const meta::ObjectRecord& object, http::Headers& headers) {
  bool has_content_type = false;
  for (const auto& [name, value] : object.system_metadata) {
    headers.Set(name, value);
    has_content_type |= http::EqualsIgnoreCase(name, "Content-Type");
  }
  // S3's default for objects stored without a type.
  if (!has_content_type) headers.Set("Content-Type", "binary/octet-stream");
  for (const auto& [name, value] : object.user_metadata) {
    headers.Add(std::string(kUserMetadataPrefix) + name, value);
  }
  headers.Set("ETag", "\"" + object.etag + "\"");
  headers.Set("Last-Modified", FormatHttpDate(object.modified_ns / 1'000'000'000));
  headers.Set("Accept-Ranges", "bytes");
  // S3 names the class on GET and HEAD for every class but STANDARD.
  if (object.storage_class != kStandardClass) {
    headers.Set("x-amz-storage-class", object.storage_class);
  }
  // S3 tells how many tags an object has, not the tags themselves.
  if (!object.tags.empty()) {
    headers.Set("x-amz-tagging-count", std::to_string(object.tags.size()));
  }
}

}  // namespace stratus::s3
