#include "bench/signer.h"

#include <fmt/format.h>

#include "auth/sigv4.h"
#include "http/headers.h"

namespace stratus::bench {

std::string Signer::Authorization(std::string_view method, std::string_view host,
                                  std::string_view path, const http::QueryParams& query,
                                  std::string_view payload_hash, std::string_view amz_date) {
  const std::string_view date = amz_date.substr(0, 8);
  if (date != key_date_) {
    signing_key_ = auth::SigningKey(credentials_.secret_key, date, credentials_.region, "s3");
    key_date_ = std::string(date);
  }
  static constexpr std::string_view kSignedHeaders = "host;x-amz-content-sha256;x-amz-date";
  const std::string canonical_headers = fmt::format(
      "host:{}\nx-amz-content-sha256:{}\nx-amz-date:{}\n", host, payload_hash, amz_date);
  const std::string canonical_request = auth::CanonicalRequest(
      method, path, auth::CanonicalQuery(query), canonical_headers, kSignedHeaders, payload_hash);
  const std::string scope = auth::CredentialScope(date, credentials_.region, "s3");
  const std::string signature =
      auth::Signature(signing_key_, auth::StringToSign(amz_date, scope, canonical_request));
  return fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}", auth::kSigV4Algorithm,
                     credentials_.access_key, scope, kSignedHeaders, signature);
}

std::string EncodeQuery(const http::QueryParams& query) { return auth::CanonicalQuery(query); }

}  // namespace stratus::bench
