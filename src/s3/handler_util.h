// Small pieces several handler families share.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/checksum.h"
#include "http/request.h"
#include "meta/records.h"
#include "s3/conditional.h"
#include "s3/context.h"

namespace stratus::s3 {

// The bucket's record, or NoSuchBucket.
Result<meta::BucketRecord> RequireBucket(const Services& services, const std::string& name);

// The object's record, or NoSuchKey; NoSuchBucket when the bucket is missing (S3 tells the two
// apart).
Result<meta::ObjectRecord> RequireObject(const Services& services, const std::string& bucket,
                                         const std::string& key);

// What preconditions see of a stored object.
ObjectState StateOf(const meta::ObjectRecord& object);
std::optional<ObjectState> StateOf(const std::optional<meta::ObjectRecord>& object);

// The request's If-Match / If-None-Match, checked against the object a commit would replace,
// atomically with the commit. `request` must outlive the commit.
meta::WritePrecondition WriteConditionsAtCommit(const http::Request& request);

// The algorithm name -> base64 value map of every checksum in `values`, as records keep them.
std::map<std::string, std::string> EncodeChecksums(const ChecksumValues& values);

// The checksum S3 reports for an object (GET/HEAD with checksum mode, GetObjectAttributes,
// listings): the algorithm the client uploaded it with, else the CRC64NVME S3 computes for
// every object. Other algorithms kept beside it are not answered, as S3 answers none.
// (algorithm name, base64 value); nullopt for a record with none.
std::optional<std::pair<std::string, std::string>> ReportedChecksum(
    const meta::ObjectRecord& object);

http::Response XmlResponse(std::string body, int status = 200);

int64_t NowUnixNanos();

}  // namespace stratus::s3
