// Fuzzes the multipart/form-data reader of POST Object (http/multipart_form.h):
// FormDataBoundary, then MultipartFormReader over the body.
//
// The input is the Content-Type value, a newline, then the body. The body is read three ways:
// in one read into a large buffer; in reads of 1 to 64 bytes (split points drawn from the input)
// into a small buffer; and skipping every part's content. The reader promises that where the
// reads split the body does not matter, so the first two must agree in everything and the third
// in the parts it finds.
#include <cstring>

#include "fuzz_check.h"
#include "http/multipart_form.h"

namespace stratus::http {
namespace {

// Serves the body in reads of at most `max_read` bytes (0: as much as asked), their sizes drawn
// from `seed`.
class ChoppedStream : public ByteStream {
 public:
  ChoppedStream(std::string_view data, uint64_t seed, size_t max_read)
      : data_(data), state_(seed), max_read_(max_read) {}

  Result<size_t> Read(std::span<char> buffer) override {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    size_t n = std::min(buffer.size(), data_.size());
    if (max_read_ > 0) n = std::min<size_t>(n, 1 + (state_ >> 33) % max_read_);
    std::memcpy(buffer.data(), data_.data(), n);
    data_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view data_;
  uint64_t state_;
  size_t max_read_;
};

struct ReadPart {
  std::string name;
  std::optional<std::string> filename;
  std::vector<Headers::Field> headers;
  std::string content;
  bool operator==(const ReadPart&) const = default;
};

struct ReadForm {
  std::vector<ReadPart> parts;
  std::string error;  // Status::ToString() of the failure, if any
  bool operator==(const ReadForm&) const = default;
};

// `read_size` 0: skip every part's content.
ReadForm Read(ByteStream& body, const std::string& boundary, size_t read_size) {
  MultipartFormReader reader(body, boundary, ErrorCode::kMalformedPOSTRequest);
  ReadForm form;
  std::vector<char> buffer(read_size);
  while (true) {
    Result<std::optional<FormPart>> part = reader.NextPart();
    if (!part) {
      form.error = part.error().ToString();
      return form;
    }
    if (!*part) return form;
    ReadPart& read = form.parts.emplace_back();
    read.name = (*part)->name;
    read.filename = (*part)->filename;
    read.headers = (*part)->headers.fields();
    while (read_size > 0) {
      Result<size_t> n = reader.Read(buffer);
      if (!n) {
        form.error = n.error().ToString();
        return form;
      }
      if (*n == 0) break;
      read.content.append(buffer.data(), *n);
    }
  }
}

uint64_t Hash(std::string_view data) {
  uint64_t hash = 14695981039346656037ULL;
  for (char c : data) hash = (hash ^ static_cast<uint8_t>(c)) * 1099511628211ULL;
  return hash;
}

void FuzzMultipartForm(std::string_view input) {
  size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return;
  std::optional<std::string> boundary = FormDataBoundary(input.substr(0, newline));
  if (!boundary) return;
  FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70);  // RFC 2046
  std::string_view body = input.substr(newline + 1);

  ChoppedStream whole(body, 0, 0);
  ReadForm form = Read(whole, *boundary, 1 << 16);
  ChoppedStream chopped(body, Hash(input), 64);
  ReadForm chopped_form = Read(chopped, *boundary, 1 + Hash(input) % 17);
  FUZZ_CHECK(form == chopped_form);
  ChoppedStream skipping_stream(body, Hash(input) + 1, 64);
  ReadForm skipped = Read(skipping_stream, *boundary, 0);
  FUZZ_CHECK(skipped.parts.size() == form.parts.size() && skipped.error == form.error);
  for (size_t i = 0; i < form.parts.size(); ++i) {
    FUZZ_CHECK(skipped.parts[i].name == form.parts[i].name);
    FUZZ_CHECK(skipped.parts[i].headers == form.parts[i].headers);
    // A part ends at the first delimiter.
    FUZZ_CHECK(form.parts[i].content.find("\r\n--" + *boundary) == std::string::npos);
  }
}

}  // namespace
}  // namespace stratus::http

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  stratus::http::FuzzMultipartForm(stratus::fuzz::AsText(data, size));
  return 0;
}
