#include "auth/sigv4.h"

#include <algorithm>
#include <utility>

#include "common/crypto.h"

namespace stratus::auth {
namespace {

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// What precedes a Credential error: S3 words header and query errors differently.
std::string_view CredentialErrorPrefix(ErrorCode code) {
  return code == ErrorCode::kAuthorizationQueryParametersError
             ? "Error parsing the X-Amz-Credential parameter; "
             : "The authorization header is malformed; ";
}

}  // namespace

std::string UriEncode(std::string_view bytes, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    if (IsUnreserved(c) || (c == '/' && !encode_slash)) {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
  }
  return out;
}

Result<std::string> CanonicalUri(std::string_view raw_path) {
  if (raw_path.empty()) return std::string("/");
  auto decoded = http::PercentDecode(raw_path);
  if (!decoded) return Error(ErrorCode::kInvalidURI);
  return UriEncode(*decoded, /*encode_slash=*/false);
}

std::string CanonicalQuery(const http::QueryParams& params, std::string_view exclude) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& [name, value] : params) {
    if (!exclude.empty() && name == exclude) continue;
    encoded.emplace_back(UriEncode(name, true), UriEncode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string CanonicalHeaderValue(std::string_view value) {
  value = Trim(value);
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

std::string CanonicalHeaders(const http::Headers& headers,
                             const std::vector<std::string>& signed_names) {
  std::string out;
  for (const std::string& name : signed_names) {
    out += name;
    out += ':';
    bool first = true;
    for (const auto& [field, value] : headers.fields()) {
      if (!http::EqualsIgnoreCase(field, name)) continue;
      if (!first) out += ',';
      out += CanonicalHeaderValue(value);
      first = false;
    }
    out += '\n';
  }
  return out;
}

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, std::string_view canonical_headers,
                             std::string_view signed_headers, std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + canonical_uri.size() + canonical_query.size() +
              canonical_headers.size() + signed_headers.size() + payload_hash.size() + 8);
  out.append(method).append("\n");
  out.append(canonical_uri).append("\n");
  out.append(canonical_query).append("\n");
  out.append(canonical_headers).append("\n");
  out.append(signed_headers).append("\n");
  out.append(payload_hash);
  return out;
}

std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service) {
  std::string out(date);
  out.append("/").append(region).append("/").append(service).append("/aws4_request");
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out(kSigV4Algorithm);
  out.append("\n").append(amz_date).append("\n").append(scope).append("\n");
  out.append(HexEncode(Sha256(canonical_request)));
  return out;
}

std::string SigningKey(std::string_view secret_key, std::string_view date, std::string_view region,
                       std::string_view service) {
  std::string k_secret = "AWS4";
  k_secret.append(secret_key);
  std::string k_date = HmacSha256(k_secret, date);
  std::string k_region = HmacSha256(k_date, region);
  std::string k_service = HmacSha256(k_region, service);
  return HmacSha256(k_service, "aws4_request");
}

std::string Signature(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(signing_key, string_to_sign));
}

std::string ChunkStringToSign(std::string_view amz_date, std::string_view scope,
                              std::string_view previous_signature,
                              std::string_view chunk_sha256_hex) {
  std::string out(kChunkLabel);
  out.append("\n").append(amz_date).append("\n").append(scope).append("\n");
  out.append(previous_signature).append("\n").append(kEmptySha256).append("\n");
  out.append(chunk_sha256_hex);
  return out;
}

std::string TrailerStringToSign(std::string_view amz_date, std::string_view scope,
                                std::string_view previous_signature,
                                std::string_view trailer_sha256_hex, std::string_view label) {
  std::string out(label);
  out.append("\n").append(amz_date).append("\n").append(scope).append("\n");
  out.append(previous_signature).append("\n").append(trailer_sha256_hex);
  return out;
}

Result<SigV4Credential> ParseSigV4Credential(std::string_view text, ErrorCode code) {
  std::string prefix(CredentialErrorPrefix(code));
  // Split from the right: the four scope fields never hold '/', the access key should not.
  std::string_view parts[5];
  for (int i = 4; i > 0; --i) {
    size_t slash = text.rfind('/');
    if (slash == std::string_view::npos) {
      return Error(code, prefix +
                             "the Credential is mal-formed; expecting "
                             "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
    }
    parts[i] = text.substr(slash + 1);
    text = text.substr(0, slash);
  }
  parts[0] = text;
  bool date_ok = parts[1].size() == 8 && std::all_of(parts[1].begin(), parts[1].end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
  if (parts[0].empty() || !date_ok || parts[2].empty()) {
    return Error(code, prefix +
                           "the Credential is mal-formed; expecting "
                           "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
  }
  if (parts[3] != "s3") {
    return Error(code, prefix + "incorrect service \"" + std::string(parts[3]) +
                           "\". This endpoint belongs to \"s3\".");
  }
  if (parts[4] != "aws4_request") {
    return Error(code, prefix + "incorrect terminal \"" + std::string(parts[4]) +
                           "\". This endpoint uses \"aws4_request\".");
  }
  return SigV4Credential{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]),
                         std::string(parts[3])};
}

Result<std::vector<std::string>> ParseSignedHeaders(std::string_view text, ErrorCode code) {
  std::vector<std::string> names;
  while (true) {
    size_t semi = text.find(';');
    std::string_view name = text.substr(0, semi);
    bool lower = std::none_of(name.begin(), name.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || IsSpace(c) || c == ':';
    });
    if (name.empty() || !lower) {
      return Error(code, "The list of signed headers is malformed: \"" + std::string(text) + "\"");
    }
    names.emplace_back(name);
    if (semi == std::string_view::npos) break;
    text = text.substr(semi + 1);
  }
  return names;
}

Result<SigV4Authorization> ParseSigV4Authorization(std::string_view header) {
  constexpr ErrorCode kMalformed = ErrorCode::kAuthorizationHeaderMalformed;
  header = Trim(header);
  if (!header.starts_with(kSigV4Algorithm) || header.size() == kSigV4Algorithm.size() ||
      !IsSpace(header[kSigV4Algorithm.size()])) {
    return Error(kMalformed, "The authorization header is malformed; unsupported algorithm.");
  }
  std::string_view rest = header.substr(kSigV4Algorithm.size());
  std::optional<std::string_view> credential, signed_headers, signature;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view part = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return Error(kMalformed, "The authorization header is malformed; \"" + std::string(part) +
                                   "\" is not a key=value pair.");
    }
    std::string_view key = Trim(part.substr(0, eq));
    std::string_view value = Trim(part.substr(eq + 1));
    std::optional<std::string_view>* slot = key == "Credential"      ? &credential
                                            : key == "SignedHeaders" ? &signed_headers
                                            : key == "Signature"     ? &signature
                                                                     : nullptr;
    if (slot == nullptr || slot->has_value()) {
      return Error(kMalformed, "The authorization header is malformed; unexpected or repeated \"" +
                                   std::string(key) + "\".");
    }
    *slot = value;
  }
  for (auto [field, name] :
       {std::pair{&credential, "Credential"}, std::pair{&signed_headers, "SignedHeaders"},
        std::pair{&signature, "Signature"}}) {
    if (!field->has_value()) {
      return Error(kMalformed, std::string("Authorization header requires '") + name +
                                   "' parameter. Authorization=" + std::string(header));
    }
  }
  SigV4Authorization auth;
  ASSIGN_OR_RETURN(auth.credential, ParseSigV4Credential(*credential, kMalformed));
  ASSIGN_OR_RETURN(auth.signed_headers, ParseSignedHeaders(*signed_headers, kMalformed));
  auth.signed_headers_text = std::string(*signed_headers);
  auth.signature = std::string(*signature);
  return auth;
}

}  // namespace stratus::auth
