#include <gtest/gtest.h>

#include <random>
#include <string>

#include "../auth/auth_test_util.h"
#include "common/checksum.h"
#include "common/crypto.h"
#include "s3/payload_digests.h"

namespace stratus::s3 {
namespace {

using auth::testing::StringStream;

std::string RandomBytes(size_t n) {
  std::mt19937_64 random(n);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(random());
  return out;
}

// Bodies on both sides of the pipelined threshold (4 MiB), read in uneven pieces: the sink
// gets every byte in order and the digests are those of the whole body.
TEST(ReceiveBodyTest, DigestsAndSinkSeeTheWholeBodyInOrder) {
  for (size_t size : {size_t{3} << 20, (size_t{10} << 20) + 5}) {
    const std::string data = RandomBytes(size);
    StringStream stream(data, {1 << 20, 333333, 65536});
    ChecksumSet checksums = ChecksumSet::ForPut(ChecksumAlgorithm::kCrc32c);
    std::string sunk;
    auto body = ReceiveBody(stream, size, checksums, [&](std::span<const char> chunk) {
      sunk.append(chunk.data(), chunk.size());
      return Status::Ok();
    });
    ASSERT_TRUE(body) << body.error().ToString();
    EXPECT_EQ(body->size, size);
    EXPECT_TRUE(sunk == data) << "size " << size;
    ChecksumSet whole = ChecksumSet::ForPut(ChecksumAlgorithm::kCrc32c);
    whole.Update(data);
    ChecksumValues expected = whole.Final();
    EXPECT_EQ(body->checksums.md5, expected.md5);
    EXPECT_EQ(*expected.md5, Md5(data));
    EXPECT_EQ(body->checksums.Get(ChecksumAlgorithm::kCrc32c),
              expected.Get(ChecksumAlgorithm::kCrc32c));
    EXPECT_EQ(body->checksums.Get(ChecksumAlgorithm::kCrc64Nvme),
              expected.Get(ChecksumAlgorithm::kCrc64Nvme));
  }
}

// A sink failing mid-body ends the receive with its error while a chunk is being hashed
// (under ASan, a buffer freed under the helper would show here).
TEST(ReceiveBodyTest, ASinkErrorEndsAPipelinedReceive) {
  const std::string data = RandomBytes(size_t{8} << 20);
  StringStream stream(data);
  ChecksumSet checksums = ChecksumSet::ForPut(std::nullopt);
  int chunks = 0;
  auto body = ReceiveBody(stream, data.size(), checksums, [&](std::span<const char>) {
    return ++chunks == 3 ? Status(ErrorCode::kInternalError, "disk full") : Status::Ok();
  });
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().message(), "disk full");
  EXPECT_EQ(chunks, 3);
}

TEST(ReceiveBodyTest, AShortPipelinedBodyIsIncomplete) {
  const std::string data = RandomBytes(size_t{5} << 20);
  StringStream stream(data);
  ChecksumSet checksums = ChecksumSet::ForPut(std::nullopt);
  auto body = ReceiveBody(stream, data.size() + 1, checksums,
                          [](std::span<const char>) { return Status::Ok(); });
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code(), ErrorCode::kIncompleteBody);
}

}  // namespace
}  // namespace stratus::s3
