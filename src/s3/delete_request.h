// DeleteObjects' request document: <Delete><Quiet/><Object><Key/><VersionId/></Object>...
// </Delete>. Pure parsing; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stratus::s3 {

// S3 deletes at most this many keys per request.
inline constexpr size_t kMaxDeleteObjects = 1000;

struct DeleteEntry {
  std::string key;
  std::optional<std::string> version_id;
};

struct DeleteRequest {
  bool quiet = false;  // answer only the keys that failed
  std::vector<DeleteEntry> objects;
};

// Not that document, no <Object>, an <Object> without <Key>, more than kMaxDeleteObjects
// objects, or a <Quiet> other than true/false: MalformedXML, as S3 answers.
Result<DeleteRequest> ParseDeleteRequest(std::string_view body);

}  // namespace stratus::s3
