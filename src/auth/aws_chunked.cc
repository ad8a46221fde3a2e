#include "auth/aws_chunked.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "auth/sigv4.h"

namespace stratus::auth {
namespace {

// Chunk headers are under 100 bytes and trailers a name and a base64 checksum; anything
// longer is not an aws-chunked body, and refusing it keeps the buffer bounded.
constexpr size_t kMaxLineLength = 4096;
constexpr size_t kMaxTrailers = 16;
constexpr std::string_view kChunkSignature = "chunk-signature=";
constexpr std::string_view kTrailerSignature = "x-amz-trailer-signature";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status Framing(std::string message) { return {ErrorCode::kInvalidRequest, std::move(message)}; }

}  // namespace

AwsChunkedReader::AwsChunkedReader(http::ByteStream* body, Options options)
    : body_(body), options_(std::move(options)) {
  buffer_.resize(std::max(options_.buffer_size, 2 * kMaxLineLength));
  if (options_.signing) previous_signature_ = options_.signing->seed_signature;
}

Result<size_t> AwsChunkedReader::Read(std::span<char> buffer) {
  if (!status_.ok()) return Error(status_);
  if (buffer.empty()) return 0;
  auto n = Step(buffer);
  if (!n) status_ = n.error();
  return n;
}

// Advances the state machine until it has data for `out`, reaches the end, or fails.
Result<size_t> AwsChunkedReader::Step(std::span<char> out) {
  while (true) {
    switch (state_) {
      case State::kChunkHeader: {
        ASSIGN_OR_RETURN(std::string_view line, NextLine());
        RETURN_IF_ERROR(ParseChunkHeader(line));
        break;
      }
      case State::kChunkData: {
        if (chunk_remaining_ == 0) {
          state_ = State::kChunkEnd;
          break;
        }
        size_t want = static_cast<size_t>(std::min<uint64_t>(out.size(), chunk_remaining_));
        size_t n = 0;
        if (buffered() > 0) {
          n = std::min(want, buffered());
          std::memcpy(out.data(), buffer_.data() + pos_, n);
          pos_ += n;
        } else {
          // Nothing buffered: read straight into the caller's buffer, saving a copy.
          ASSIGN_OR_RETURN(n, body_->Read(out.first(want)));
          if (n == 0) {
            return Error(ErrorCode::kIncompleteBody, "The aws-chunked body ended inside a chunk.");
          }
        }
        chunk_remaining_ -= n;
        decoded_so_far_ += n;
        if (options_.signing) chunk_digest_.Update(std::string_view(out.data(), n));
        return n;
      }
      case State::kChunkEnd: {
        ASSIGN_OR_RETURN(std::string_view line, NextLine());
        if (!line.empty()) return Error(Framing("aws-chunked chunk data is not followed by CRLF."));
        if (options_.signing) RETURN_IF_ERROR(VerifyChunk(HexEncode(chunk_digest_.Final())));
        state_ = State::kChunkHeader;
        break;
      }
      case State::kTrailer: {
        ASSIGN_OR_RETURN(std::string_view line, NextLine());
        if (line.empty()) {
          RETURN_IF_ERROR(Finish());
          state_ = State::kDone;
          return 0;
        }
        RETURN_IF_ERROR(AddTrailer(line));
        break;
      }
      case State::kDone:
        return 0;
    }
  }
}

// The next CRLF-terminated line, without its CRLF. The view is valid until the next Fill.
Result<std::string_view> AwsChunkedReader::NextLine() {
  size_t searched = 0;
  while (true) {
    std::string_view available(buffer_.data() + pos_, buffered());
    // A CR seen last time may pair with an LF that just arrived.
    size_t crlf = available.find("\r\n", searched > 0 ? searched - 1 : 0);
    if (crlf != std::string_view::npos) {
      pos_ += crlf + 2;
      return available.substr(0, crlf);
    }
    if (available.size() > kMaxLineLength) {
      return Error(Framing("An aws-chunked header or trailer line is too long."));
    }
    searched = available.size();
    ASSIGN_OR_RETURN(size_t n, Fill());
    if (n == 0) {
      return Error(ErrorCode::kIncompleteBody,
                   "The aws-chunked body ended before its final chunk.");
    }
  }
}

// Moves the unread bytes to the front and reads more after them; 0 at the end of the body.
Result<size_t> AwsChunkedReader::Fill() {
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, buffered());
    end_ -= pos_;
    pos_ = 0;
  }
  ASSIGN_OR_RETURN(size_t n, body_->Read(std::span(buffer_.data() + end_, buffer_.size() - end_)));
  end_ += n;
  return n;
}

Status AwsChunkedReader::ParseChunkHeader(std::string_view line) {
  size_t semi = line.find(';');
  std::string_view hex = line.substr(0, semi);
  if (hex.empty() || hex.size() > 16) return Framing("Invalid aws-chunked chunk size.");
  uint64_t size = 0;
  for (char c : hex) {
    int v = HexValue(c);
    if (v < 0) return Framing("Invalid aws-chunked chunk size.");
    size = (size << 4) | static_cast<uint64_t>(v);
  }
  if (options_.signing) {
    std::string_view extension =
        semi == std::string_view::npos ? std::string_view() : line.substr(semi + 1);
    if (!extension.starts_with(kChunkSignature)) {
      return Framing("An aws-chunked chunk is missing its chunk-signature.");
    }
    chunk_signature_ = std::string(extension.substr(kChunkSignature.size()));
  }
  // Unsigned chunks may carry extensions; nothing defines any, so they are ignored.
  if (options_.decoded_length && size > *options_.decoded_length - decoded_so_far_) {
    return Framing("The aws-chunked body holds more than x-amz-decoded-content-length bytes.");
  }
  if (size == 0) {
    if (options_.signing) RETURN_IF_ERROR(VerifyChunk(kEmptySha256));
    state_ = State::kTrailer;
  } else {
    chunk_remaining_ = size;
    state_ = State::kChunkData;
  }
  return Status::Ok();
}

Status AwsChunkedReader::VerifyChunk(std::string_view chunk_sha256_hex) {
  const ChunkSigningContext& signing = *options_.signing;
  std::string expected = Signature(
      signing.signing_key,
      ChunkStringToSign(signing.amz_date, signing.scope, previous_signature_, chunk_sha256_hex));
  if (!ConstantTimeEquals(expected, chunk_signature_)) {
    return Status(ErrorCode::kSignatureDoesNotMatch);
  }
  previous_signature_ = std::move(expected);
  return Status::Ok();
}

Status AwsChunkedReader::AddTrailer(std::string_view line) {
  if (!options_.trailer) return Framing("Unexpected trailing header in an aws-chunked body.");
  size_t colon = line.find(':');
  std::string_view name = Trim(line.substr(0, colon));
  if (colon == std::string_view::npos || name.empty()) {
    return Framing("Malformed trailing header in an aws-chunked body.");
  }
  std::string_view value = Trim(line.substr(colon + 1));
  if (http::EqualsIgnoreCase(name, kTrailerSignature)) {
    if (!options_.signing || trailer_signature_) {
      return Framing("Unexpected x-amz-trailer-signature in an aws-chunked body.");
    }
    trailer_signature_ = std::string(value);
    return Status::Ok();
  }
  std::string lower = http::ToLower(name);
  bool declared = std::find(options_.declared_trailers.begin(), options_.declared_trailers.end(),
                            lower) != options_.declared_trailers.end();
  if (trailer_signature_ || !declared || trailers_.Has(lower) ||
      trailers_.fields().size() >= kMaxTrailers) {
    return Framing("The trailing header " + lower + " was not declared in x-amz-trailer.");
  }
  trailers_.Add(std::string(name), std::string(value));
  canonical_trailers_.append(lower).append(":").append(value).append("\n");
  return Status::Ok();
}

// After the blank line that ends the body: check what only the end can tell.
Status AwsChunkedReader::Finish() {
  if (options_.signing && options_.trailer) {
    if (trailer_signature_) {
      const ChunkSigningContext& signing = *options_.signing;
      std::string trailer_hash = HexEncode(Sha256(canonical_trailers_));
      // The SDKs' label first, then the one of AWS's own published example, which a client
      // written from the documentation would use. Both sign the same bytes with the same key.
      bool match = false;
      for (std::string_view label : {kTrailerLabel, kChunkLabel}) {
        std::string expected = Signature(
            signing.signing_key, TrailerStringToSign(signing.amz_date, signing.scope,
                                                     previous_signature_, trailer_hash, label));
        match = match || ConstantTimeEquals(expected, *trailer_signature_);
      }
      if (!match) return Status(ErrorCode::kSignatureDoesNotMatch);
    } else if (!trailers_.empty()) {
      return Framing("The aws-chunked trailer is missing its x-amz-trailer-signature.");
    }
  }
  for (const std::string& name : options_.declared_trailers) {
    if (!trailers_.Has(name)) {
      return Framing("The trailing header " + name + " declared in x-amz-trailer was not sent.");
    }
  }
  if (options_.decoded_length && decoded_so_far_ != *options_.decoded_length) {
    return Status(ErrorCode::kIncompleteBody,
                  "The aws-chunked body holds fewer than x-amz-decoded-content-length bytes.");
  }
  if (buffered() > 0) return Framing("Data follows the end of the aws-chunked body.");
  ASSIGN_OR_RETURN(size_t extra, body_->Read(std::span(buffer_.data(), buffer_.size())));
  if (extra > 0) return Framing("Data follows the end of the aws-chunked body.");
  return Status::Ok();
}

}  // namespace stratus::auth
