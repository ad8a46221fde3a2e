// The names S3 accepts for buckets and object keys. Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "common/status.h"

namespace stratus::s3 {

// The longest object key in bytes of UTF-8 (S3 User Guide, "Naming Amazon S3 objects").
inline constexpr size_t kMaxObjectKeyBytes = 1024;

// S3's general purpose bucket naming rules, checked when a bucket is created. A violation is
// kInvalidBucketName.
Status ValidateBucketName(std::string_view name);

// An object key: 1 to 1024 bytes of valid UTF-8; anything else goes ("../x", "a//b", ".",
// control characters). Longer is kKeyTooLongError; invalid UTF-8 is kInvalidURI; empty is
// kInvalidArgument (a request without a key is a bucket operation and never gets here).
Status ValidateObjectKey(std::string_view key);

// Whether bytes are well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

}  // namespace stratus::s3
