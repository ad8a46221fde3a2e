#include "s3/handler_util.h"

#include <chrono>

#include "common/crypto.h"

namespace stratus::s3 {

Result<meta::BucketRecord> RequireBucket(const Services& services, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<meta::BucketRecord> bucket, services.meta.GetBucket(name));
  if (!bucket) return Error(ErrorCode::kNoSuchBucket);
  return *std::move(bucket);
}

Result<meta::ObjectRecord> RequireObject(const Services& services, const std::string& bucket,
                                         const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<meta::ObjectRecord> object, services.meta.GetObject(bucket, key));
  if (!object) {
    RETURN_IF_ERROR(RequireBucket(services, bucket));
    return Error(ErrorCode::kNoSuchKey);
  }
  return *std::move(object);
}

ObjectState StateOf(const meta::ObjectRecord& object) {
  return ObjectState{.etag = object.etag,
                     .modified_unix_seconds = object.modified_ns / 1'000'000'000};
}

std::optional<ObjectState> StateOf(const std::optional<meta::ObjectRecord>& object) {
  if (!object) return std::nullopt;
  return StateOf(*object);
}

meta::WritePrecondition WriteConditionsAtCommit(const http::Request& request) {
  return [&request](const std::optional<meta::ObjectRecord>& now) {
    return EvaluateWriteConditions(request.headers, StateOf(now));
  };
}

std::map<std::string, std::string> EncodeChecksums(const ChecksumValues& values) {
  std::map<std::string, std::string> out;
  for (ChecksumAlgorithm algorithm : kAllChecksumAlgorithms) {
    if (const auto& value = values.Get(algorithm)) {
      out[std::string(ChecksumAlgorithmName(algorithm))] = Base64Encode(*value);
    }
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> ReportedChecksum(
    const meta::ObjectRecord& object) {
  const std::string kDefault(ChecksumAlgorithmName(ChecksumAlgorithm::kCrc64Nvme));
  std::optional<std::pair<std::string, std::string>> reported;
  for (const auto& [algorithm, value] : object.checksums) {
    if (!ParseChecksumAlgorithm(algorithm)) continue;
    if (algorithm != kDefault) return std::pair(algorithm, value);  // the client's own
    reported = std::pair(algorithm, value);
  }
  return reported;
}

http::Response XmlResponse(std::string body, int status) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.Set("Content-Type", "application/xml");
  return response;
}

int64_t NowUnixNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace stratus::s3
