// The storage classes a deployment accepts in x-amz-storage-class (PutObject, POST Object,
// CopyObject, CreateMultipartUpload). All are stored alike until storage tiers exist; the
// class is kept in the object record and answered back as S3 does. Archive classes, whose
// objects need a RestoreObject before they can be read, are refused: stratus has no restore.
// Pure; thread-safe. docs/storage-classes.md lists them.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/headers.h"

namespace stratus::s3 {

inline constexpr std::string_view kStandardClass = "STANDARD";

// The accepted classes, STANDARD first.
std::span<const std::string_view> AcceptedStorageClasses();

// The class named by an x-amz-storage-class value, or 400 InvalidStorageClass.
Result<std::string> ParseStorageClass(std::string_view value);

// The class a request's x-amz-storage-class asks for; STANDARD when it names none.
Result<std::string> RequestedStorageClass(const http::Headers& headers);

}  // namespace stratus::s3
