// The S3 requests the benchmark issues, one function per operation, each returning an Outcome
// the worker records. Bucket-level requests for setup and cleanup return Status. Stateless
// apart from references to the plan and payload; one S3Ops serves all workers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/client.h"
#include "bench/payload.h"
#include "bench/plan.h"
#include "common/status.h"

namespace stratus::bench {

struct Outcome {
  bool ok = false;
  uint64_t bytes = 0;  // object bytes moved
  bool verified = false;
  bool verify_failed = false;
  std::string error;  // "404 NoSuchKey", "connect ...: Connection refused", "verify: ..."
};

struct ListPage {
  std::vector<std::string> keys;
  std::optional<std::string> continuation;  // set when the listing is truncated
};

class S3Ops {
 public:
  S3Ops(const Plan& plan, const Payload& payload) : plan_(plan), payload_(payload) {}

  Outcome PutObject(Connection& c, std::string_view key) const;
  // Checks the size always and, when `verify`, every byte.
  Outcome GetObject(Connection& c, std::string_view key, bool verify) const;
  Outcome HeadObject(Connection& c, std::string_view key) const;
  Outcome ListObjectsV2(Connection& c, std::string_view prefix) const;
  Outcome DeleteObject(Connection& c, std::string_view key) const;
  // CreateMultipartUpload, UploadPart per --part-size, CompleteMultipartUpload (aborted when a
  // part fails).
  Outcome MultipartUpload(Connection& c, std::string_view key) const;

  Result<bool> BucketExists(Connection& c) const;
  Status CreateBucket(Connection& c) const;
  Status DeleteBucket(Connection& c) const;
  Result<ListPage> ListKeys(Connection& c, std::string_view prefix,
                            const std::optional<std::string>& continuation) const;
  // Cleanup's delete: a key that is already gone is fine (a plain file server answers 404).
  Status RemoveObject(Connection& c, std::string_view key) const;

 private:
  std::string ObjectPath(std::string_view key) const;
  std::string BucketPath() const { return "/" + plan_.bucket; }

  const Plan& plan_;
  const Payload& payload_;
};

// The text of every <tag>...</tag> in an XML document, entity-decoded. Enough for the flat
// answers of ListObjectsV2 and CreateMultipartUpload; not a general XML parser.
std::vector<std::string> XmlValues(std::string_view xml, std::string_view tag);

// "404 NoSuchKey" from a response (the <Code> of its S3 error body, if any).
std::string DescribeError(const Response& response);

}  // namespace stratus::bench
