#include "s3/copy_source.h"

#include <vector>

namespace stratus::s3 {
namespace {

constexpr size_t kChunkBytes = 1024 * 1024;

Status MissingBucketOrKey() {
  return Status(ErrorCode::kInvalidArgument,
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
}

}  // namespace

Result<CopySource> ParseCopySource(std::string_view value) {
  // The version is a query on the encoded value: a '?' inside the key arrives as %3F.
  if (size_t query = value.find('?'); query != std::string_view::npos) {
    std::string_view version = value.substr(query + 1);
    if (!version.starts_with("versionId=")) {
      return Error(ErrorCode::kInvalidArgument, "Unsupported copy source parameter.");
    }
    // Buckets here are unversioned: "null" names the one object there is.
    if (version.substr(10) != "null") {
      return Error(ErrorCode::kNotImplemented, "Copying a version is not implemented yet.");
    }
    value = value.substr(0, query);
  }
  if (value.starts_with('/')) value.remove_prefix(1);
  auto decoded = http::PercentDecode(value);
  size_t slash = decoded ? decoded->find('/') : std::string::npos;
  if (!decoded || slash == 0 || slash == std::string::npos || slash + 1 == decoded->size()) {
    return std::unexpected(MissingBucketOrKey());
  }
  return CopySource{decoded->substr(0, slash), decoded->substr(slash + 1)};
}

Result<CopiedBytes> CopyBytes(http::BodySource& source, ChecksumSet& checksums,
                              const std::function<Status(std::span<const char>)>& sink) {
  std::vector<char> buffer(kChunkBytes);
  CopiedBytes copied;
  while (true) {
    ASSIGN_OR_RETURN(size_t n, source.Read(buffer));
    if (n == 0) break;
    checksums.Update(std::string_view(buffer.data(), n));
    RETURN_IF_ERROR(sink(std::span<const char>(buffer.data(), n)));
    copied.size += n;
  }
  copied.checksums = checksums.Final();
  return copied;
}

}  // namespace stratus::s3
