#include "s3/verified_body.h"

#include "s3/body.h"
#include "s3/payload_digests.h"

namespace stratus::s3 {

Result<SmallBody> ReadVerifiedBody(const Services& services, RequestContext& ctx, size_t limit,
                                   bool digest_required) {
  ASSIGN_OR_RETURN(ExpectedDigests expected, ParseExpectedDigests(ctx.request.headers));
  // x-amz-sdk-checksum-algorithm alone names an algorithm but promises no value.
  if (digest_required && !expected.content_md5 && !expected.checksum && !expected.trailer) {
    return Error(ErrorCode::kMissingContentMD5);
  }
  ASSIGN_OR_RETURN(SmallBody body,
                   ReadSmallBody(*ctx.verified.payload, limit, services.parsed_bodies));
  ChecksumSet checksums = ChecksumSet::ForPut(expected.algorithm);
  checksums.Update(body.text);
  RETURN_IF_ERROR(VerifyDigests(expected, checksums.Final(), ctx.verified.payload->trailers()));
  return body;
}

}  // namespace stratus::s3
