// Test helpers for auth: a body stream over a string with controllable read sizes, request
// construction from a request-target, and a reader that drains a PayloadReader.
#pragma once

#include <algorithm>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/aws_chunked.h"
#include "auth/payload.h"
#include "auth/sigv4.h"
#include "common/crypto.h"
#include "common/status.h"
#include "http/request.h"

namespace stratus::auth::testing {

// Serves `data`, each Read returning at most the next size of `read_sizes` (cycled); with no
// sizes, as much as fits. Models any split of a body across network reads.
class StringStream : public http::ByteStream {
 public:
  explicit StringStream(std::string data, std::vector<size_t> read_sizes = {})
      : data_(std::move(data)), read_sizes_(std::move(read_sizes)) {}

  Result<size_t> Read(std::span<char> buffer) override {
    size_t n = std::min(buffer.size(), data_.size() - pos_);
    if (!read_sizes_.empty()) {
      n = std::min(n, read_sizes_[reads_ % read_sizes_.size()]);
      ++reads_;
    }
    std::memcpy(buffer.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  std::vector<size_t> read_sizes_;
  size_t pos_ = 0;
  size_t reads_ = 0;
};

// Reads a payload to its end in reads of at most `read_size` bytes.
inline Result<std::string> ReadAll(http::ByteStream& stream, size_t read_size = 65536) {
  std::string out;
  std::vector<char> buffer(read_size);
  while (true) {
    ASSIGN_OR_RETURN(size_t n, stream.Read(std::span(buffer)));
    if (n == 0) return out;
    out.append(buffer.data(), n);
  }
}

// A request for `target` ("/b/k?acl") with the given headers; the body is set by the caller.
inline http::Request MakeRequest(std::string method, std::string target,
                                 std::vector<std::pair<std::string, std::string>> headers = {}) {
  http::Request request;
  request.method = std::move(method);
  request.target = target;
  size_t q = target.find('?');
  request.path = target.substr(0, q);
  if (q != std::string::npos) request.raw_query = target.substr(q + 1);
  request.query = http::ParseQuery(request.raw_query).value_or(http::QueryParams{});
  for (auto& [name, value] : headers) request.headers.Add(std::move(name), std::move(value));
  return request;
}

// Signs `request` with SigV4 the way a client would, using the pure functions under test (they
// are pinned to AWS's vectors separately), and adds the Authorization header.
inline std::string SignV4(http::Request& request, std::string_view access_key,
                          std::string_view secret, std::string_view region,
                          std::string_view amz_date, const std::vector<std::string>& signed_names,
                          std::string_view payload_hash) {
  std::string signed_text;
  for (const auto& name : signed_names) signed_text += (signed_text.empty() ? "" : ";") + name;
  std::string canonical = CanonicalRequest(
      request.method, CanonicalUri(request.path).value(), CanonicalQuery(request.query),
      CanonicalHeaders(request.headers, signed_names), signed_text, payload_hash);
  std::string date(amz_date.substr(0, 8));
  std::string key = SigningKey(secret, date, region, "s3");
  std::string signature =
      Signature(key, StringToSign(amz_date, CredentialScope(date, region, "s3"), canonical));
  request.headers.Set("Authorization", "AWS4-HMAC-SHA256 Credential=" + std::string(access_key) +
                                           "/" + date + "/" + std::string(region) +
                                           "/s3/aws4_request, SignedHeaders=" + signed_text +
                                           ", Signature=" + signature);
  return signature;
}

inline std::string Hex(uint64_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[n & 0xf]);
    n >>= 4;
  } while (n != 0);
  return out;
}

// Encodes `chunks` (the last should be empty) as a client would; signed when `signing`, with
// `trailers` ("name:value" lines) after the final chunk, signed too when `signing`.
inline std::string Encode(const std::vector<std::string>& chunks,
                          const std::optional<ChunkSigningContext>& signing,
                          const std::vector<std::string>& trailers = {}) {
  std::string out;
  std::string previous = signing ? signing->seed_signature : "";
  for (const std::string& chunk : chunks) {
    out += Hex(chunk.size());
    if (signing) {
      previous = Signature(
          signing->signing_key,
          ChunkStringToSign(signing->amz_date, signing->scope, previous, HexEncode(Sha256(chunk))));
      out += ";chunk-signature=" + previous;
    }
    out += "\r\n";
    if (!chunk.empty()) out += chunk + "\r\n";
  }
  std::string canonical;
  for (const std::string& trailer : trailers) {
    out += trailer + "\r\n";
    canonical += trailer + "\n";
  }
  if (signing && !trailers.empty()) {
    out += "x-amz-trailer-signature:" +
           Signature(signing->signing_key,
                     TrailerStringToSign(signing->amz_date, signing->scope, previous,
                                         HexEncode(Sha256(canonical)))) +
           "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace stratus::auth::testing
