// Chooses the PayloadReader an x-amz-content-sha256 value asks for. Internal to auth.
#pragma once

#include <memory>
#include <string_view>

#include "auth/aws_chunked.h"
#include "auth/payload.h"
#include "common/status.h"
#include "http/request.h"

namespace stratus::auth {

// content_sha256: the x-amz-content-sha256 value; empty when there is none (plain body).
// signing: the chain seed for the STREAMING-AWS4-HMAC-SHA256-* forms; null when the request
// was not signed with a SigV4 Authorization header, which makes those forms an error.
Result<std::unique_ptr<PayloadReader>> MakePayload(const http::Request& request,
                                                   std::string_view content_sha256,
                                                   const ChunkSigningContext* signing);

}  // namespace stratus::auth
