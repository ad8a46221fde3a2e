#include "bench/payload.h"

#include <gtest/gtest.h>

#include <string>

namespace stratus::bench {
namespace {

// The whole object, materialized the way a writer sends it: in slices.
std::string Materialize(const Payload& payload, std::string_view key) {
  const uint64_t size = payload.SizeOf(key);
  const uint64_t offset = payload.OffsetOf(key);
  std::string out;
  while (out.size() < size) out += payload.Slice(offset, out.size(), size - out.size());
  return out;
}

TEST(PayloadTest, DeterministicFromSeedAndKey) {
  Payload a(42, {100'000, 100'000});
  Payload b(42, {100'000, 100'000});
  EXPECT_EQ(Materialize(a, "run/0000000001"), Materialize(b, "run/0000000001"));
  EXPECT_NE(Materialize(a, "run/0000000001"), Materialize(a, "run/0000000002"));
  Payload other_seed(43, {100'000, 100'000});
  EXPECT_NE(Materialize(a, "run/0000000001"), Materialize(other_seed, "run/0000000001"));
}

TEST(PayloadTest, SizesStayInRangeAndVary) {
  Payload payload(1, {1024, 1 << 20});
  uint64_t smallest = UINT64_MAX, largest = 0;
  for (int i = 0; i < 2000; ++i) {
    const uint64_t size = payload.SizeOf("k" + std::to_string(i));
    ASSERT_GE(size, 1024u);
    ASSERT_LE(size, uint64_t{1} << 20);
    smallest = std::min(smallest, size);
    largest = std::max(largest, size);
    EXPECT_EQ(size, payload.SizeOf("k" + std::to_string(i)));
  }
  EXPECT_LT(smallest, 64u << 10);
  EXPECT_GT(largest, 960u << 10);
  EXPECT_EQ(Payload(1, {4096, 4096}).SizeOf("anything"), 4096u);
}

TEST(PayloadTest, LargeObjectsWrapAroundThePattern) {
  const uint64_t size = Payload::kPeriod * 2 + 12345;
  Payload payload(9, {size, size});
  const std::string object = Materialize(payload, "big");
  ASSERT_EQ(object.size(), size);
  // The content repeats with the pattern's period.
  EXPECT_EQ(object.substr(0, 4096), object.substr(Payload::kPeriod, 4096));
  EXPECT_EQ(object.substr(Payload::kPeriod - 100, 200),
            object.substr(2 * Payload::kPeriod - 100, 200));
}

TEST(PayloadVerifierTest, AcceptsTheObjectInAnyChunking) {
  Payload payload(5, {300'000, 300'000});
  const std::string object = Materialize(payload, "key");
  for (size_t chunk : {size_t{1} << 20, size_t{65536}, size_t{4097}, size_t{7}}) {
    PayloadVerifier verifier(payload, "key");
    for (size_t pos = 0; pos < object.size(); pos += chunk) {
      verifier.Update(std::string_view(object).substr(pos, chunk));
    }
    EXPECT_TRUE(verifier.Finish()) << chunk;
  }
}

TEST(PayloadVerifierTest, RejectsAFlippedByteShortAndLongBodies) {
  Payload payload(5, {300'000, 300'000});
  const std::string object = Materialize(payload, "key");
  {
    std::string corrupt = object;
    corrupt[200'001] ^= 0x01;
    PayloadVerifier verifier(payload, "key");
    verifier.Update(corrupt);
    EXPECT_FALSE(verifier.Finish());
  }
  {
    PayloadVerifier verifier(payload, "key");
    verifier.Update(std::string_view(object).substr(0, object.size() - 1));
    EXPECT_FALSE(verifier.Finish());
  }
  {
    PayloadVerifier verifier(payload, "key");
    verifier.Update(object);
    verifier.Update("x");
    EXPECT_FALSE(verifier.Finish());
  }
  {
    PayloadVerifier verifier(payload, "other-key");  // same size, other content
    verifier.Update(object);
    EXPECT_FALSE(verifier.Finish());
  }
}

TEST(PayloadVerifierTest, EmptyObject) {
  Payload payload(5, {0, 0});
  PayloadVerifier verifier(payload, "empty");
  EXPECT_TRUE(verifier.Finish());
  verifier.Update("a");
  EXPECT_FALSE(verifier.Finish());
}

}  // namespace
}  // namespace stratus::bench
