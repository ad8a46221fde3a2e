// The request payload as a handler reads it: decoded and verified while it is read.
//
// A PayloadReader wraps the raw http body (which must outlive it). Verification failures
// surface as an error from Read, at the latest from the Read that would have returned 0, so a
// handler must not commit anything before Read has returned 0. Errors are sticky. Not
// thread-safe; one per request.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/crypto.h"
#include "common/status.h"
#include "http/headers.h"
#include "http/request.h"

namespace stratus::auth {

class PayloadReader : public http::ByteStream {
 public:
  // The decoded length, if known (x-amz-decoded-content-length for aws-chunked bodies,
  // Content-Length otherwise).
  virtual std::optional<uint64_t> length() const = 0;
  // Trailing headers of an aws-chunked body (x-amz-checksum-crc32: ...), complete once Read
  // has returned 0; empty for other bodies.
  virtual const http::Headers& trailers() const = 0;
};

// The body unchanged: UNSIGNED-PAYLOAD, presigned URLs, SigV2 and anonymous requests.
class PlainPayload final : public PayloadReader {
 public:
  PlainPayload(http::ByteStream* body, std::optional<uint64_t> length)
      : body_(body), length_(length) {}

  Result<size_t> Read(std::span<char> buffer) override { return body_->Read(buffer); }
  std::optional<uint64_t> length() const override { return length_; }
  const http::Headers& trailers() const override { return trailers_; }

 private:
  http::ByteStream* body_;
  std::optional<uint64_t> length_;
  http::Headers trailers_;
};

// The body unchanged, hashed on the way through; the end of the body fails with
// XAmzContentSHA256Mismatch unless its SHA-256 is the one x-amz-content-sha256 announced.
class Sha256Payload final : public PayloadReader {
 public:
  // expected_hex: 64 hex digits, any case.
  Sha256Payload(http::ByteStream* body, std::optional<uint64_t> length, std::string expected_hex);

  Result<size_t> Read(std::span<char> buffer) override;
  std::optional<uint64_t> length() const override { return length_; }
  const http::Headers& trailers() const override { return trailers_; }

 private:
  http::ByteStream* body_;
  std::optional<uint64_t> length_;
  std::string expected_hex_;  // lowercase
  Digest digest_{Digest::Kind::kSha256};
  Status status_;
  bool done_ = false;
  http::Headers trailers_;
};

}  // namespace stratus::auth
