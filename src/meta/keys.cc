#include "meta/keys.h"

namespace stratus::meta::keys {
namespace {

std::string Join(char space, std::string_view a) {
  std::string out;
  out.reserve(1 + a.size());
  out.push_back(space);
  out.append(a);
  return out;
}

}  // namespace

std::string FormatKey() { return Join(kMeta, "format"); }

std::string BucketKey(std::string_view bucket) { return Join(kBucket, bucket); }
std::string BucketPrefix() { return std::string(1, kBucket); }

std::string ObjectKey(std::string_view bucket, std::string_view key) {
  return ObjectPrefix(bucket, key);
}

std::string ObjectPrefix(std::string_view bucket, std::string_view key_prefix) {
  std::string out = Join(kObject, bucket);
  out.push_back('\0');
  out.append(key_prefix);
  return out;
}

std::string DataRefKey(std::string_view data_id, std::string_view bucket, std::string_view key) {
  std::string out = DataRefPrefix(data_id);
  out.append(bucket);
  out.push_back('\0');
  out.append(key);
  return out;
}

std::string DataRefPrefix(std::string_view data_id) {
  std::string out = Join(kDataRef, data_id);
  out.push_back('\0');
  return out;
}

std::optional<std::string> PrefixSuccessor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty()) {
    auto last = static_cast<unsigned char>(out.back());
    if (last != 0xff) {
      out.back() = static_cast<char>(last + 1);
      return out;
    }
    out.pop_back();
  }
  return std::nullopt;
}

bool IsEncodable(std::string_view component) {
  return component.find('\0') == std::string_view::npos;
}

}  // namespace stratus::meta::keys
