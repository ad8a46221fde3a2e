// AWS Signature Version 4 as S3 uses it, as pure functions: canonical request, string to sign,
// signing key, the chunk and trailer signatures of streaming uploads, and the parsers of the
// Authorization header and its Credential. The Verifier puts them together; nothing here does
// I/O or looks at the clock. See AWS's "Signature Calculations for the Authorization Header".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/headers.h"
#include "http/request.h"

namespace stratus::auth {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingSignedPayloadTrailer =
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view kStreamingUnsignedPayloadTrailer =
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
// Hex SHA-256 of the empty string.
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// AWS's UriEncode: every byte but A-Z a-z 0-9 - . _ ~ becomes %XX (uppercase hex); '/' is
// kept when !encode_slash (paths).
std::string UriEncode(std::string_view bytes, bool encode_slash);

// S3's canonical URI: the raw path percent-decoded, then UriEncoded once keeping '/'. Unlike
// other services S3 does not normalize: "//", "." and ".." segments are signed as sent.
// InvalidURI on a malformed escape.
Result<std::string> CanonicalUri(std::string_view raw_path);

// The canonical query string: every decoded parameter but `exclude` (X-Amz-Signature for
// presigned URLs), UriEncoded, sorted by name then value, "name=value" joined with '&'.
std::string CanonicalQuery(const http::QueryParams& params, std::string_view exclude = {});

// A header value as SigV4 signs it: trimmed, inner runs of spaces collapsed to one.
std::string CanonicalHeaderValue(std::string_view value);

// "name:value\n" for each of signed_names (lowercase, in the order given). Repeated headers
// join their values with ','; a missing header signs as an empty value.
std::string CanonicalHeaders(const http::Headers& headers,
                             const std::vector<std::string>& signed_names);

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, std::string_view canonical_headers,
                             std::string_view signed_headers, std::string_view payload_hash);

// "20130524/us-east-1/s3/aws4_request".
std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical_request>".
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);

// The raw 32-byte signing key: HMAC chain over date, region, service, "aws4_request".
std::string SigningKey(std::string_view secret_key, std::string_view date, std::string_view region,
                       std::string_view service);

// Lowercase hex HMAC-SHA256 of string_to_sign under signing_key.
std::string Signature(std::string_view signing_key, std::string_view string_to_sign);

// The string to sign of one aws-chunked chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD):
// "AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n<previous>\n<sha256("")>\n<chunk_sha256_hex>".
std::string ChunkStringToSign(std::string_view amz_date, std::string_view scope,
                              std::string_view previous_signature,
                              std::string_view chunk_sha256_hex);

// The string to sign of the trailing headers (x-amz-trailer-signature):
// "<label>\n<date>\n<scope>\n<previous>\n<trailer_sha256_hex>", where the hash covers each
// trailer as "name:value\n" and previous is the final (empty) chunk's signature. The SDKs label
// it kTrailerLabel; AWS's published example was computed with kChunkLabel instead.
inline constexpr std::string_view kTrailerLabel = "AWS4-HMAC-SHA256-TRAILER";
inline constexpr std::string_view kChunkLabel = "AWS4-HMAC-SHA256-PAYLOAD";
std::string TrailerStringToSign(std::string_view amz_date, std::string_view scope,
                                std::string_view previous_signature,
                                std::string_view trailer_sha256_hex,
                                std::string_view label = kTrailerLabel);

// "AKID/20130524/us-east-1/s3/aws4_request", parsed.
struct SigV4Credential {
  std::string access_key;
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string Scope() const { return CredentialScope(date, region, service); }
};

// Parses a Credential value; errors carry `code` (AuthorizationHeaderMalformed for the header,
// AuthorizationQueryParametersError for presigned URLs).
Result<SigV4Credential> ParseSigV4Credential(std::string_view text, ErrorCode code);

// "host;x-amz-date" -> {"host", "x-amz-date"}; names must be non-empty and lowercase.
Result<std::vector<std::string>> ParseSignedHeaders(std::string_view text, ErrorCode code);

// The Authorization header "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
struct SigV4Authorization {
  SigV4Credential credential;
  std::string signed_headers_text;  // as sent: the canonical request's signed-headers line
  std::vector<std::string> signed_headers;
  std::string signature;
};

// AuthorizationHeaderMalformed unless well-formed.
Result<SigV4Authorization> ParseSigV4Authorization(std::string_view header);

}  // namespace stratus::auth
