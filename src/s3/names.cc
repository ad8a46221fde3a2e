#include "s3/names.h"

#include <array>
#include <cstdint>

namespace stratus::s3 {
namespace {

bool IsLowerOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "192.168.5.4"-shaped: four dot-separated runs of one to three digits. S3 refuses the shape,
// not only real addresses, so "999.999.999.999" is refused as well.
bool LooksLikeIpv4(std::string_view name) {
  int groups = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < name.size() && IsDigit(name[i])) ++i;
    size_t digits = i - start;
    if (digits == 0 || digits > 3) return false;
    ++groups;
    if (i == name.size()) return groups == 4;
    if (name[i] != '.' || groups == 4) return false;
    ++i;
  }
}

// From the User Guide's "General purpose bucket naming rules". The prefixes and suffixes are
// reserved for S3's own names (IDN labels, access point and Object Lambda aliases, Multi-Region
// Access Points, directory buckets, S3 Tables); "sthree-configurator" falls under "sthree-".
constexpr std::array<std::string_view, 3> kReservedPrefixes = {"xn--", "sthree-", "amzn-s3-demo-"};
constexpr std::array<std::string_view, 5> kReservedSuffixes = {"-s3alias", "--ol-s3", ".mrap",
                                                               "--x-s3", "--table-s3"};

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    const auto b0 = static_cast<uint8_t>(bytes[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t code_point, min;
    if ((b0 & 0xE0) == 0xC0) {
      length = 2, code_point = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      length = 3, code_point = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      length = 4, code_point = b0 & 0x07, min = 0x10000;
    } else {
      return false;  // a continuation byte without a lead, or 0xF8..0xFF
    }
    if (bytes.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto b = static_cast<uint8_t>(bytes[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (b & 0x3F);
    }
    if (code_point < min || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

Status ValidateBucketName(std::string_view name) {
  auto invalid = [] { return Status(ErrorCode::kInvalidBucketName); };
  if (name.size() < 3 || name.size() > 63) return invalid();
  // "Bucket names must begin and end with a letter or number."
  if (!IsLowerOrDigit(name.front()) || !IsLowerOrDigit(name.back())) return invalid();
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    // "Bucket names can consist only of lowercase letters, numbers, periods (.), and hyphens."
    if (!IsLowerOrDigit(c) && c != '.' && c != '-') return invalid();
    // "Bucket names must not contain two adjacent periods."
    if (c == '.' && name[i + 1] == '.') return invalid();  // the last char is never '.'
    // A label may not start or end with a hyphen ("a-.b", "a.-b"): the name must stay a valid
    // DNS name for virtual-hosted-style requests, and S3 refuses both.
    if ((c == '.' && name[i + 1] == '-') || (c == '-' && name[i + 1] == '.')) return invalid();
  }
  // "Bucket names must not be formatted as an IP address (for example, 192.168.5.4)."
  if (LooksLikeIpv4(name)) return invalid();
  for (std::string_view prefix : kReservedPrefixes) {
    if (name.starts_with(prefix)) return invalid();
  }
  for (std::string_view suffix : kReservedSuffixes) {
    if (name.ends_with(suffix)) return invalid();
  }
  return Status::Ok();
}

Status ValidateObjectKey(std::string_view key) {
  if (key.empty()) return Status(ErrorCode::kInvalidArgument, "The object key must not be empty.");
  // "The name for a key is a sequence of Unicode characters whose UTF-8 encoding is at most
  // 1,024 bytes long." S3 answers a longer one with 400 KeyTooLongError.
  if (key.size() > kMaxObjectKeyBytes) return Status(ErrorCode::kKeyTooLongError);
  // S3 answers a key that is not UTF-8 (e.g. HEAD /bucket/%AE%8A-) with 400 InvalidURI
  // (gaul/s3proxy issue #201, ceph/s3-tests#156).
  if (!IsValidUtf8(key)) return Status(ErrorCode::kInvalidURI);
  return Status::Ok();
}

}  // namespace stratus::s3
