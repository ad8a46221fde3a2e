// Signs the load generator's requests with SigV4 (header form), reusing the pure functions of
// auth/sigv4.h. It signs host, x-amz-content-sha256 and x-amz-date, and caches the signing key
// per day. One per worker; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.h"

namespace stratus::bench {

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string region = "us-east-1";
};

class Signer {
 public:
  explicit Signer(Credentials credentials) : credentials_(std::move(credentials)) {}

  // The Authorization header of a request to `path` (already URI-encoded, as sent) with the
  // decoded query parameters `query`, sent at `amz_date` ("20130524T000000Z").
  std::string Authorization(std::string_view method, std::string_view host, std::string_view path,
                            const http::QueryParams& query, std::string_view payload_hash,
                            std::string_view amz_date);

 private:
  Credentials credentials_;
  std::string key_date_;  // YYYYMMDD of signing_key_
  std::string signing_key_;
};

// The request-target query string of decoded parameters, encoded as SigV4 canonicalizes it
// (sorted, UriEncoded): "list-type=2&max-keys=100&prefix=run%2F". Empty when no parameters.
std::string EncodeQuery(const http::QueryParams& query);

}  // namespace stratus::bench
