// What every S3 handler receives: the services it may use and the verified, authorized
// request. Handlers are free functions named after the operation (PutObject, GetObject, ...),
// one .cc per resource family, returning Result<http::Response>.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "auth/verifier.h"
#include "common/memory_budget.h"
#include "http/request.h"
#include "meta/meta_store.h"
#include "s3/route.h"
#include "storage/object_backend.h"

namespace stratus::s3 {

struct ApiConfig {
  std::string region = "us-east-1";
  std::string domain;  // virtual-hosted-style requests: "<bucket>.<domain>"
  // Objects up to this size live inside their metadata record (one synced write, no file).
  size_t inline_threshold = 128 * 1024;
  // Multipart uploads neither completed nor aborted within this time are aborted by the expiry
  // sweep (s3/multipart_expiry.h), their parts removed.
  std::chrono::seconds upload_expiry = std::chrono::hours(24 * 7);
  // How long a completed upload is remembered, so that a retried CompleteMultipartUpload is
  // answered as the first was (docs/formats/metadata.md, "Completed uploads"); 0: never.
  std::chrono::seconds complete_retry_window = std::chrono::hours(24);
  // What all requests together may hold of XML bodies read whole and parsed (DeleteObjects,
  // CompleteMultipartUpload, tagging, CORS, bucket configurations), each charged
  // kParsedBodyCharge x its size (s3/body.h); past it, such a request is answered SlowDown.
  size_t parsed_body_budget_bytes = 256 << 20;
};

struct Services {
  const ApiConfig& config;
  meta::MetaStore& meta;
  storage::ObjectBackend& backend;
  MemoryBudget& parsed_bodies;  // config.parsed_body_budget_bytes
};

struct RequestContext {
  http::Request& request;
  const Route& route;
  auth::VerifiedRequest verified;
};

}  // namespace stratus::s3
