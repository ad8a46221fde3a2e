// Small request bodies (XML documents) read whole and checked against the digests the client
// promised: Content-MD5, or an x-amz-checksum-* header or trailer (what current SDKs send
// instead). A mismatch is BadDigest and the body is not used.
#pragma once

#include <cstddef>
#include <string>

#include "common/status.h"
#include "s3/body.h"
#include "s3/context.h"

namespace stratus::s3 {

// Operations S3 documents as requiring Content-MD5 (DeleteObjects, ...) pass
// `digest_required`: then a request promising no digest at all is MissingContentMD5.
Result<SmallBody> ReadVerifiedBody(const Services& services, RequestContext& ctx, size_t limit,
                                   bool digest_required);

}  // namespace stratus::s3
