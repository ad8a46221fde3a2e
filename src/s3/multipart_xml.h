// The CompleteMultipartUpload request body:
//
//   <CompleteMultipartUpload>
//     <Part><PartNumber>1</PartNumber><ETag>"…"</ETag><ChecksumCRC32>…</ChecksumCRC32></Part> …
//   </CompleteMultipartUpload>
//
// Parsed from untrusted bytes (fuzzed); pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/checksum.h"
#include "common/status.h"

namespace stratus::s3 {

struct CompletePart {
  uint32_t number = 0;
  std::string etag;                                    // quotes removed
  std::map<ChecksumAlgorithm, std::string> checksums;  // base64, as sent
};

// The parts in the order given. MalformedXML for anything that is not such a document (bad
// XML, another root, a Part without a number or ETag, a number that is not an integer, no
// parts at all); InvalidArgument for a number outside 1..10000; InvalidPartOrder when the
// numbers are not strictly ascending.
Result<std::vector<CompletePart>> ParseCompleteMultipartUpload(std::string_view body);

}  // namespace stratus::s3
