// Hashes, HMAC and byte encodings used across layers (OpenSSL 3 underneath).
// Digest functions return raw bytes; use HexEncode / Base64Encode for the wire forms.
// Streaming classes are not thread-safe; one per request.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stratus {

std::string HexEncode(std::string_view bytes);  // lowercase
std::optional<std::string> HexDecode(std::string_view hex);
std::string Base64Encode(std::string_view bytes);
// Strict standard base64 with padding; nullopt on any invalid character or length.
std::optional<std::string> Base64Decode(std::string_view text);

std::string Sha256(std::string_view data);
std::string Sha1(std::string_view data);
std::string Md5(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
std::string HmacSha1(std::string_view key, std::string_view data);

// Compares two secrets in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Cryptographically random bytes (RAND_bytes).
std::string RandomBytes(size_t n);

// A streaming message digest (MD5, SHA-1, SHA-256) over EVP.
class Digest {
 public:
  enum class Kind { kMd5, kSha1, kSha256 };
  explicit Digest(Kind kind);
  ~Digest();
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  void Update(std::string_view data);
  // Raw digest bytes; the object is reset and can be reused afterwards.
  std::string Final();

 private:
  Kind kind_;
  EVP_MD_CTX* ctx_;
};

}  // namespace stratus
