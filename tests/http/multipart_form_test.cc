#include "http/multipart_form.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace stratus::http {
namespace {

// Serves `data` in reads that end at the given offsets (and then in reads of `step` bytes).
class SplitStream : public ByteStream {
 public:
  SplitStream(std::string data, std::vector<size_t> splits, size_t step = 1 << 20)
      : data_(std::move(data)), splits_(std::move(splits)), step_(step) {}
  Result<size_t> Read(std::span<char> buffer) override {
    size_t end = std::min(data_.size(), pos_ + step_);
    for (size_t split : splits_) {
      if (split > pos_) {
        end = std::min(end, split);
        break;
      }
    }
    size_t n = std::min(buffer.size(), end - pos_);
    std::memcpy(buffer.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  std::vector<size_t> splits_;
  size_t step_;
  size_t pos_ = 0;
};

struct Parsed {
  std::vector<std::pair<std::string, std::string>> parts;  // name -> content
  std::optional<std::string> filename;
};

Result<Parsed> ParseAll(ByteStream& stream, const std::string& boundary, size_t read_size = 7) {
  MultipartFormReader reader(stream, boundary, ErrorCode::kInvalidArgument);
  Parsed out;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<FormPart> part, reader.NextPart());
    if (!part) return out;
    if (part->filename) out.filename = part->filename;
    std::string content;
    std::vector<char> buffer(read_size);
    while (true) {
      ASSIGN_OR_RETURN(size_t n, reader.Read(buffer));
      if (n == 0) break;
      content.append(buffer.data(), n);
    }
    out.parts.emplace_back(part->name, std::move(content));
  }
}

std::string Form(const std::string& boundary, const std::string& file) {
  return "preamble\r\n--" + boundary +
         "\r\n"
         "Content-Disposition: form-data; name=\"key\"\r\n\r\n"
         "uploads/${filename}\r\n--" +
         boundary +
         "\r\n"
         "Content-Disposition: form-data; name=\"x-amz-meta-a\"\r\n\r\n"
         "\r\n--" +
         boundary +
         "  \r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"a;b.txt\"\r\n"
         "Content-Type: text/plain\r\n\r\n" +
         file + "\r\n--" + boundary + "--\r\nepilogue";
}

const std::string kFile = "line one\r\n--not the boundary\r\n--bound\r\nx\r\n\r";

void ExpectParsed(const Result<Parsed>& parsed) {
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  ASSERT_EQ(parsed->parts.size(), 3u);
  EXPECT_EQ(parsed->parts[0], (std::pair<std::string, std::string>{"key", "uploads/${filename}"}));
  EXPECT_EQ(parsed->parts[1], (std::pair<std::string, std::string>{"x-amz-meta-a", ""}));
  EXPECT_EQ(parsed->parts[2], (std::pair<std::string, std::string>{"file", kFile}));
  EXPECT_EQ(parsed->filename, "a;b.txt");
}

TEST(MultipartFormTest, EverySplitPoint) {
  const std::string boundary = "boundary123";
  std::string body = Form(boundary, kFile);
  for (size_t split = 0; split <= body.size(); ++split) {
    SplitStream stream(body, {split});
    SCOPED_TRACE(split);
    ExpectParsed(ParseAll(stream, boundary));
  }
}

TEST(MultipartFormTest, EveryPairOfSplitPoints) {
  const std::string boundary = "Zq";
  std::string body = Form(boundary, kFile);
  for (size_t a = 0; a <= body.size(); ++a) {
    for (size_t b = a; b <= body.size(); b += 3) {
      SplitStream stream(body, {a, b});
      ExpectParsed(ParseAll(stream, boundary, 1 + (a + b) % 11));
    }
  }
}

TEST(MultipartFormTest, OneByteReads) {
  std::string body = Form("xyz", kFile);
  SplitStream stream(body, {}, 1);
  ExpectParsed(ParseAll(stream, "xyz", 1));
}

TEST(MultipartFormTest, LargeFileStreamsThroughBoundedBuffer) {
  std::string file(3 * 1024 * 1024 + 17, 'a');
  for (size_t i = 0; i < file.size(); i += 997) file[i] = '\r';
  for (size_t i = 5; i < file.size(); i += 1009) file[i] = '\n';
  std::string body =
      "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n" + file +
      "\r\n--B--";
  SplitStream stream(body, {}, 4093);
  auto parsed = ParseAll(stream, "B", 1 << 20);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->parts.size(), 1u);
  EXPECT_TRUE(parsed->parts[0].second == file);
}

TEST(MultipartFormTest, StopsAtClosingDelimiter) {
  std::string body = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--";
  SplitStream stream(body, {});
  auto parsed = ParseAll(stream, "B");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->parts.size(), 1u);
}

TEST(MultipartFormTest, Malformed) {
  const std::vector<std::string> bodies = {
      "",
      "--B\r\n",
      "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing delimiter",
      "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--",
      "--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--",
      "--B\r\nNoColonHere\r\n\r\nx\r\n--B--",
      "--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--B--",
      "--Bjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--",
      "--B\r\n" + std::string(20000, 'h') + "\r\n\r\nx\r\n--B--",
  };
  for (const std::string& body : bodies) {
    SplitStream stream(body, {});
    auto parsed = ParseAll(stream, "B");
    EXPECT_FALSE(parsed) << body.substr(0, 80);
    if (!parsed) {
      EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidArgument);
    }
  }
}

// Found with tests/fuzz/multipart_form_fuzz, which reads each form in two ways: the padding and
// header-block limits applied to what happened to be buffered, so a body was accepted or refused
// depending on where its reads split.
TEST(MultipartFormTest, LimitsDoNotDependOnReadSplits) {
  auto body = [](size_t padding, size_t header_block) {
    std::string headers = "Content-Disposition: form-data; name=\"a\"\r\nX: ";
    headers += std::string(header_block - headers.size() - 2, 'h') + "\r\n";
    return "--B" + std::string(padding, ' ') + "\r\n" + headers + "\r\nv\r\n--B--";
  };
  auto code = [](const std::string& body, size_t step) {
    SplitStream stream(body, {}, step);
    auto parsed = ParseAll(stream, "B");
    return parsed ? ErrorCode::kOk : parsed.error().code();
  };
  constexpr size_t kMaxHeader = MultipartFormReader::kMaxPartHeaderBytes;
  for (size_t step : {size_t{1}, size_t{7}, size_t{1} << 20}) {
    SCOPED_TRACE(step);
    EXPECT_EQ(code(body(1024, 100), step), ErrorCode::kOk);
    EXPECT_EQ(code(body(1025, 100), step), ErrorCode::kInvalidArgument);
    EXPECT_EQ(code(body(0, kMaxHeader), step), ErrorCode::kOk);
    EXPECT_EQ(code(body(0, kMaxHeader + 1), step), ErrorCode::kInvalidArgument);
  }
}

TEST(MultipartFormTest, ReadAllLimit) {
  std::string body = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n12345\r\n--B--";
  SplitStream stream(body, {});
  MultipartFormReader reader(stream, "B", ErrorCode::kInvalidArgument);
  ASSERT_TRUE(reader.NextPart());
  auto value = reader.ReadAll(4, ErrorCode::kMaxMessageLengthExceeded);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code(), ErrorCode::kMaxMessageLengthExceeded);
}

TEST(MultipartFormTest, Boundary) {
  EXPECT_EQ(FormDataBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(FormDataBoundary("Multipart/Form-Data;boundary=\"a b\""), "a b");
  EXPECT_EQ(FormDataBoundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(FormDataBoundary("text/plain; boundary=abc"), std::nullopt);
  EXPECT_EQ(FormDataBoundary("multipart/form-data; boundary=" + std::string(71, 'x')),
            std::nullopt);
}

}  // namespace
}  // namespace stratus::http
