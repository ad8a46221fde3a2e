#include "auth/payload_factory.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/sigv4.h"

namespace stratus::auth {
namespace {

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

Result<std::optional<uint64_t>> DecodedLength(const http::Request& request) {
  auto header = request.Header("x-amz-decoded-content-length");
  if (!header) return std::optional<uint64_t>();
  if (header->empty() || header->size() > 19 ||
      !std::all_of(header->begin(), header->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Error(ErrorCode::kInvalidArgument, "Invalid x-amz-decoded-content-length.");
  }
  return std::optional<uint64_t>(std::stoull(std::string(*header)));
}

// "x-amz-checksum-crc32, x-amz-checksum-sha256" -> lowercase names.
std::vector<std::string> DeclaredTrailers(const http::Request& request) {
  std::vector<std::string> names;
  for (const auto& [field, value] : request.headers.fields()) {
    if (!http::EqualsIgnoreCase(field, "x-amz-trailer")) continue;
    std::string_view list = value;
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view name = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      if (!name.empty()) names.push_back(http::ToLower(name));
    }
  }
  return names;
}

}  // namespace

Result<std::unique_ptr<PayloadReader>> MakePayload(const http::Request& request,
                                                   std::string_view content_sha256,
                                                   const ChunkSigningContext* signing) {
  if (content_sha256.empty() || content_sha256 == kUnsignedPayload) {
    return std::make_unique<PlainPayload>(request.body, request.content_length);
  }
  if (IsSha256Hex(content_sha256)) {
    return std::make_unique<Sha256Payload>(request.body, request.content_length,
                                           std::string(content_sha256));
  }
  bool signed_chunks =
      content_sha256 == kStreamingSignedPayload || content_sha256 == kStreamingSignedPayloadTrailer;
  bool trailer = content_sha256 == kStreamingSignedPayloadTrailer ||
                 content_sha256 == kStreamingUnsignedPayloadTrailer;
  if (!signed_chunks && content_sha256 != kStreamingUnsignedPayloadTrailer) {
    if (content_sha256.starts_with("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")) {
      return Error(ErrorCode::kNotImplemented, "SigV4a streaming uploads are not supported.");
    }
    return Error(ErrorCode::kInvalidArgument,
                 "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                 "STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                 "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.");
  }
  if (signed_chunks && signing == nullptr) {
    return Error(ErrorCode::kInvalidRequest,
                 "Signed streaming uploads require SigV4 Authorization header authentication.");
  }
  AwsChunkedReader::Options options;
  if (signed_chunks) options.signing = *signing;
  options.trailer = trailer;
  if (trailer) options.declared_trailers = DeclaredTrailers(request);
  ASSIGN_OR_RETURN(options.decoded_length, DecodedLength(request));
  return std::make_unique<AwsChunkedReader>(request.body, std::move(options));
}

}  // namespace stratus::auth
