// The aws-chunked content encoding of streaming uploads, decoded and verified as a stream.
//
//   <hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
//   [<trailer-name>:<value>\r\n ... [x-amz-trailer-signature:<sig>\r\n]]\r\n
//
// Covers STREAMING-AWS4-HMAC-SHA256-PAYLOAD (signed chunks), its -TRAILER variant (signed
// chunks and a signed trailer) and STREAMING-UNSIGNED-PAYLOAD-TRAILER (plain chunks, trailer
// unsigned). Each chunk signature chains from the previous one, seeded by the request's own
// signature. See AWS's "sigv4-streaming" and "sigv4-streaming-trailers" pages.
//
// Memory is bounded by the buffer whatever the chunk sizes: data is handed out as it arrives
// and hashed on the way, so a chunk's signature is checked after its bytes were returned (the
// handler commits only once Read returned 0). Any split of the input across body reads gives
// the same result. Errors: SignatureDoesNotMatch for a bad chunk or trailer signature,
// IncompleteBody for a truncated body or fewer bytes than x-amz-decoded-content-length,
// InvalidRequest for bad framing. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "auth/payload.h"
#include "common/crypto.h"
#include "common/status.h"
#include "http/headers.h"
#include "http/request.h"

namespace stratus::auth {

// What chains the chunk signatures of a signed streaming upload.
struct ChunkSigningContext {
  std::string signing_key;     // raw bytes, from SigningKey()
  std::string amz_date;        // "20130524T000000Z"
  std::string scope;           // "20130524/us-east-1/s3/aws4_request"
  std::string seed_signature;  // hex signature of the request itself
};

class AwsChunkedReader final : public PayloadReader {
 public:
  struct Options {
    // Set for the STREAMING-AWS4-HMAC-SHA256-* forms: every chunk must carry a valid signature.
    std::optional<ChunkSigningContext> signing;
    // The -TRAILER forms: trailing headers may follow the last chunk (signed when `signing`).
    bool trailer = false;
    // Lowercase names from x-amz-trailer; each must arrive, and nothing else.
    std::vector<std::string> declared_trailers;
    // x-amz-decoded-content-length: the data must add up to exactly this.
    std::optional<uint64_t> decoded_length;
    size_t buffer_size = 64 * 1024;
  };

  AwsChunkedReader(http::ByteStream* body, Options options);

  Result<size_t> Read(std::span<char> buffer) override;
  std::optional<uint64_t> length() const override { return options_.decoded_length; }
  const http::Headers& trailers() const override { return trailers_; }

 private:
  enum class State { kChunkHeader, kChunkData, kChunkEnd, kTrailer, kDone };

  Result<size_t> Step(std::span<char> out);
  Result<std::string_view> NextLine();
  Result<size_t> Fill();
  Status ParseChunkHeader(std::string_view line);
  Status VerifyChunk(std::string_view chunk_sha256_hex);
  Status AddTrailer(std::string_view line);
  Status Finish();
  size_t buffered() const { return end_ - pos_; }

  http::ByteStream* body_;
  Options options_;
  std::string buffer_;  // raw bytes in [pos_, end_)
  size_t pos_ = 0;
  size_t end_ = 0;
  State state_ = State::kChunkHeader;
  Status status_;  // sticky error

  uint64_t chunk_remaining_ = 0;
  uint64_t decoded_so_far_ = 0;
  std::string chunk_signature_;  // as sent for the current chunk
  std::string previous_signature_;
  Digest chunk_digest_{Digest::Kind::kSha256};

  http::Headers trailers_;
  std::string canonical_trailers_;  // "name:value\n" each, what the trailer signature covers
  std::optional<std::string> trailer_signature_;
};

}  // namespace stratus::auth
