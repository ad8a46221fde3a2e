#include "http/multipart_form.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace stratus::http {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// Transport padding after a delimiter is whitespace; more than this is not a form.
constexpr size_t kMaxPaddingBytes = 1024;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

using Params = std::vector<std::pair<std::string, std::string>>;

// "form-data; name=\"a;b\"; filename=x" -> ("form-data", {{"name","a;b"}, {"filename","x"}}).
// Quoted values may carry backslash escapes. nullopt on an unterminated quote.
std::optional<std::pair<std::string, Params>> ParseParameterized(std::string_view value) {
  size_t semi = value.find(';');
  std::pair<std::string, Params> out{ToLower(Trim(value.substr(0, semi))), {}};
  size_t i = semi == std::string_view::npos ? value.size() : semi + 1;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t' || value[i] == ';')) ++i;
    if (i == value.size()) break;
    size_t eq = value.find_first_of("=;", i);
    std::string name = ToLower(Trim(value.substr(i, eq == std::string_view::npos ? eq : eq - i)));
    std::string param;
    if (eq == std::string_view::npos || value[eq] == ';') {
      i = eq == std::string_view::npos ? value.size() : eq;
    } else {
      i = eq + 1;
      while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
      if (i < value.size() && value[i] == '"') {
        ++i;
        bool closed = false;
        while (i < value.size()) {
          char c = value[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\' && i < value.size()) c = value[i++];
          param.push_back(c);
        }
        if (!closed) return std::nullopt;
      } else {
        size_t end = value.find(';', i);
        param = std::string(Trim(value.substr(i, end == std::string_view::npos ? end : end - i)));
        i = end == std::string_view::npos ? value.size() : end;
      }
    }
    out.second.emplace_back(std::move(name), std::move(param));
  }
  return out;
}

const std::string* Param(const Params& params, std::string_view name) {
  for (const auto& [n, v] : params) {
    if (n == name) return &v;
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> FormDataBoundary(std::string_view content_type) {
  auto parsed = ParseParameterized(content_type);
  if (!parsed || parsed->first != "multipart/form-data") return std::nullopt;
  const std::string* boundary = Param(parsed->second, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) return std::nullopt;
  return *boundary;
}

MultipartFormReader::MultipartFormReader(ByteStream& body, std::string boundary,
                                         ErrorCode malformed)
    // The first delimiter may open the body without the CRLF of the others: reading as if the
    // body began with one makes every delimiter alike.
    : body_(body), delimiter_("\r\n--" + boundary), malformed_(malformed), buffer_("\r\n") {}

Status MultipartFormReader::Fill(size_t n) {
  while (Buffered().size() < n && !body_ended_) {
    if (pos_ > 0 && pos_ >= buffer_.size() / 2) {
      buffer_.erase(0, pos_);
      pos_ = 0;
    }
    const size_t old = buffer_.size();
    Result<size_t> got = 0;
    // resize_and_overwrite: the body is read straight into the new space, which is never
    // zero-filled first (resize() cleared 64 KiB per read).
    buffer_.resize_and_overwrite(old + std::max(kReadChunk, n - Buffered().size()),
                                 [&](char* data, size_t size) {
                                   got = body_.Read(std::span<char>(data + old, size - old));
                                   return old + (got ? std::min(*got, size - old) : 0);
                                 });
    if (!got) return got.error();
    if (*got == 0) body_ended_ = true;
  }
  return Status::Ok();
}

Status MultipartFormReader::ReadAfterDelimiter() {
  RETURN_IF_ERROR(Fill(2));
  if (Buffered().starts_with("--")) {
    state_ = State::kEnd;  // what follows is the epilogue, ignored
    return Status::Ok();
  }
  while (true) {
    std::string_view rest = Buffered();
    size_t i = 0;
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
    // The limit is on the padding, not on what happens to be buffered, so that where the reads
    // split the body does not matter.
    if (i > kMaxPaddingBytes) return Status(malformed_);
    if (i + 2 <= rest.size()) {
      if (rest.substr(i, 2) != "\r\n") return Status(malformed_);
      pos_ += i + 2;
      state_ = State::kBetween;
      return Status::Ok();
    }
    if (body_ended_) return Status(malformed_);
    RETURN_IF_ERROR(Fill(rest.size() + 1));
  }
}

Result<size_t> MultipartFormReader::Read(std::span<char> out) {
  if (state_ != State::kInPart && state_ != State::kStart) return 0;
  while (true) {
    std::string_view rest = Buffered();
    size_t found = rest.find(delimiter_);
    size_t safe = found;
    if (found == std::string_view::npos) {
      safe = rest.size() >= delimiter_.size() ? rest.size() - (delimiter_.size() - 1) : 0;
    }
    if (safe > 0) {
      size_t n = std::min(safe, out.size());
      if (n == 0) return 0;  // an empty buffer: nothing to give
      std::memcpy(out.data(), rest.data(), n);
      pos_ += n;
      return n;
    }
    if (found == 0) {
      pos_ += delimiter_.size();
      RETURN_IF_ERROR(ReadAfterDelimiter());
      return 0;
    }
    if (body_ended_) return Error(malformed_);  // no closing delimiter
    RETURN_IF_ERROR(Fill(rest.size() + 1));
  }
}

Result<std::string> MultipartFormReader::ReadAll(size_t limit, ErrorCode too_large) {
  std::string out;
  char chunk[4096];
  while (true) {
    ASSIGN_OR_RETURN(size_t n, Read(chunk));
    if (n == 0) return out;
    if (out.size() + n > limit) return Error(too_large);
    out.append(chunk, n);
  }
}

Result<std::optional<FormPart>> MultipartFormReader::NextPart() {
  // The preamble before the first delimiter, or what the caller left of the current part.
  char scratch[4096];
  while (state_ == State::kStart || state_ == State::kInPart) RETURN_IF_ERROR(Read(scratch));
  if (state_ == State::kEnd) return std::nullopt;

  // The header block (at most kMaxPartHeaderBytes) and the empty line after it: its "\r\n\r\n"
  // lies within the first kWindow bytes, whatever the reads have buffered so far.
  constexpr size_t kWindow = kMaxPartHeaderBytes + 2;
  size_t end = std::string_view::npos;
  while (true) {
    std::string_view rest = Buffered();
    if (rest.starts_with("\r\n")) {
      end = 0;  // a part without headers
      break;
    }
    end = rest.substr(0, kWindow).find("\r\n\r\n");
    if (end != std::string_view::npos) {
      end += 2;
      break;
    }
    if (rest.size() >= kWindow || body_ended_) return Error(malformed_);
    RETURN_IF_ERROR(Fill(rest.size() + 1));
  }
  std::string_view block = Buffered().substr(0, end);
  FormPart part;
  while (!block.empty()) {
    size_t eol = block.find("\r\n");
    std::string_view line = block.substr(0, eol);
    block.remove_prefix(eol + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Error(malformed_);
    part.headers.Add(std::string(Trim(line.substr(0, colon))),
                     std::string(Trim(line.substr(colon + 1))));
  }
  pos_ += end + 2;
  auto disposition = part.headers.Get("Content-Disposition");
  if (!disposition) return Error(malformed_);
  auto parsed = ParseParameterized(*disposition);
  if (!parsed || parsed->first != "form-data") return Error(malformed_);
  const std::string* name = Param(parsed->second, "name");
  if (!name) return Error(malformed_);
  part.name = *name;
  if (const std::string* filename = Param(parsed->second, "filename")) part.filename = *filename;
  state_ = State::kInPart;
  return part;
}

}  // namespace stratus::http
