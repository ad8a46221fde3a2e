#include "http/wire.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace stratus::http {
namespace {

class NullSource : public BodySource {
 public:
  Result<size_t> Read(std::span<char>) override { return 0; }
};

ResponseHead Build(Response& r, HeadContext context = {}) {
  context.request_id = "0123456789ABCDEF";
  context.host_id = "hostid";
  return BuildResponseHead(r, context);
}

TEST(WireTest, RequestIdsAreSixteenUppercaseHexAndUnique) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewRequestId();
    ASSERT_EQ(id.size(), 16u);
    for (char c : id) ASSERT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 10000u);
  EXPECT_NE(NewHostId(), NewHostId());
}

TEST(WireTest, HttpDateIsImfFixdate) {
  auto when = std::chrono::system_clock::from_time_t(784111777);
  EXPECT_EQ(FormatHttpDate(when), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(WireTest, RequestFramingRefusesAmbiguousTransferEncodings) {
  auto check = [](std::vector<std::pair<std::string, std::string>> fields) {
    Headers headers;
    for (auto& [name, value] : fields) headers.Add(name, value);
    return CheckRequestFraming(headers).ok();
  };
  EXPECT_TRUE(check({}));
  EXPECT_TRUE(check({{"Content-Length", "3"}}));
  EXPECT_TRUE(check({{"Transfer-Encoding", "chunked"}}));
  EXPECT_TRUE(check({{"transfer-encoding", "gzip, Chunked"}}));
  EXPECT_TRUE(check({{"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}}));
  EXPECT_FALSE(check({{"Transfer-Encoding", "chunked, identity"}}));
  EXPECT_FALSE(check({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "gzip"}}));
  EXPECT_FALSE(check({{"Transfer-Encoding", "identity"}}));
  EXPECT_FALSE(check({{"Transfer-Encoding", ""}}));
  EXPECT_FALSE(check({{"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}}));
  EXPECT_FALSE(check({{"Transfer-Encoding", "chunked, identity"}, {"Content-Length", "3"}}));
}

TEST(WireTest, SplitTarget) {
  EXPECT_EQ(SplitTarget("/b/k?x=1").path, "/b/k");
  EXPECT_EQ(SplitTarget("/b/k?x=1").raw_query, "x=1");
  EXPECT_EQ(SplitTarget("/b/k").raw_query, "");
  EXPECT_EQ(SplitTarget("/b/k?").raw_query, "");
  EXPECT_EQ(SplitTarget("/?a?b").raw_query, "a?b");
}

TEST(WireTest, StringBodyGetsContentLengthAndServerFields) {
  Response r;
  r.body = "hello";
  r.headers.Add("Content-Length", "999");  // replaced
  r.headers.Add("ETag", "\"e\"");
  ResponseHead head = Build(r);
  EXPECT_EQ(head.mode, BodyMode::kString);
  EXPECT_EQ(head.length, 5u);
  EXPECT_FALSE(head.close);
  EXPECT_TRUE(head.bytes.starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_NE(head.bytes.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_EQ(head.bytes.find("999"), std::string::npos);
  EXPECT_NE(head.bytes.find("x-amz-request-id: 0123456789ABCDEF\r\n"), std::string::npos);
  EXPECT_NE(head.bytes.find("x-amz-id-2: hostid\r\n"), std::string::npos);
  EXPECT_NE(head.bytes.find("Server: stratus\r\n"), std::string::npos);
  EXPECT_NE(head.bytes.find("Date: "), std::string::npos);
  EXPECT_TRUE(head.bytes.ends_with("\r\n\r\n"));
}

TEST(WireTest, HeadKeepsTheGetLengthButSendsNoBody) {
  Response r;
  r.content_length = 12345;
  ResponseHead head = Build(r, {.head_request = true});
  EXPECT_EQ(head.mode, BodyMode::kNone);
  EXPECT_NE(head.bytes.find("Content-Length: 12345\r\n"), std::string::npos);
}

TEST(WireTest, NoContentAndNotModified) {
  Response no_content;
  no_content.status = 204;
  no_content.body = "x";
  ResponseHead head = Build(no_content);
  EXPECT_EQ(head.mode, BodyMode::kNone);
  EXPECT_EQ(head.bytes.find("Content-Length"), std::string::npos);
  Response not_modified;
  not_modified.status = 304;
  EXPECT_EQ(Build(not_modified).mode, BodyMode::kNone);
}

TEST(WireTest, StreamFraming) {
  Response sized;
  sized.stream = std::make_unique<NullSource>();
  sized.content_length = 7;
  EXPECT_EQ(Build(sized).mode, BodyMode::kSized);
  Response unsized;
  unsized.stream = std::make_unique<NullSource>();
  ResponseHead chunked = Build(unsized);
  EXPECT_EQ(chunked.mode, BodyMode::kChunked);
  EXPECT_NE(chunked.bytes.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  Response old_client;
  old_client.stream = std::make_unique<NullSource>();
  ResponseHead until_close = Build(old_client, {.version = 10});
  EXPECT_EQ(until_close.mode, BodyMode::kUntilClose);
  EXPECT_TRUE(until_close.close);
  EXPECT_TRUE(until_close.bytes.starts_with("HTTP/1.0 200 OK\r\n"));
}

TEST(WireTest, CloseAndHeaderInjection) {
  Response r;
  r.close_connection = true;
  r.headers.Add("X-Evil", "a\r\nSet-Cookie: b");
  ResponseHead head = Build(r);
  EXPECT_TRUE(head.close);
  EXPECT_NE(head.bytes.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(head.bytes.find("\r\nSet-Cookie"), std::string::npos);
}

}  // namespace
}  // namespace stratus::http
