// POST Object, the browser-based upload: an HTML form posted to the bucket as
// multipart/form-data, its fields (key, policy, signature, metadata) before one file part.
//
// Such a request is signed by its form, not by its headers, so it has a verifier of its own:
// PostObjectVerifier reads the fields up to the file part, checks the policy's signature
// (SigV4: x-amz-signature = hex HMAC-SHA256(signing key, policy); SigV2: signature = base64
// HMAC-SHA1(secret, policy)) and the policy's conditions, and returns a VerifiedRequest whose
// payload is a PostObjectPayload: the file's bytes, streamed, failing once they leave the
// policy's content-length-range. The PostObject handler (handlers.h) stores them.
// The verifier is immutable and shared by all workers; a payload belongs to one request.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "auth/credentials.h"
#include "auth/verifier.h"
#include "http/multipart_form.h"
#include "http/request.h"
#include "s3/post_policy.h"
#include "s3/route.h"

namespace stratus::s3 {

// The fields before the file part may take this many bytes in all (values and names).
inline constexpr size_t kMaxPostFieldBytes = 64 * 1024;

class PostObjectPayload final : public auth::PayloadReader {
 public:
  PostObjectPayload(std::unique_ptr<http::MultipartFormReader> form, PostFormFields fields,
                    std::optional<PostPolicy> policy)
      : form_(std::move(form)), fields_(std::move(fields)), policy_(std::move(policy)) {}

  // The file's bytes; at their end the rest of the form is read and checked well-formed.
  Result<size_t> Read(std::span<char> buffer) override;
  std::optional<uint64_t> length() const override { return std::nullopt; }
  const http::Headers& trailers() const override { return trailers_; }

  // The form's fields before the file, names lowercased; "key" with ${filename} replaced.
  const PostFormFields& fields() const { return fields_; }

 private:
  std::unique_ptr<http::MultipartFormReader> form_;
  PostFormFields fields_;
  std::optional<PostPolicy> policy_;
  http::Headers trailers_;
  uint64_t size_ = 0;
  bool done_ = false;
  Status error_;
};

class PostObjectVerifier {
 public:
  PostObjectVerifier(const auth::CredentialStore& store, std::string region,
                     std::function<int64_t()> now_unix_seconds)
      : store_(store), region_(std::move(region)), now_(std::move(now_unix_seconds)) {}

  // An anonymous VerifiedRequest when the form carries no signature (the next stage decides).
  Result<auth::VerifiedRequest> Verify(http::Request& request, const Route& route) const;

 private:
  Result<auth::Credential> VerifySignature(const PostFormFields& fields) const;

  const auth::CredentialStore& store_;
  std::string region_;
  std::function<int64_t()> now_;
};

}  // namespace stratus::s3
