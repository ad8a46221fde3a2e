#include "common/checksum.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/crypto.h"

namespace stratus {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string RandomString(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

// Bit-at-a-time reference CRC (reflected, init and xorout ~0), independent of the tables.
template <typename T>
T ReferenceCrc(std::string_view data, T reflected_poly) {
  T reg = ~T{0};
  for (unsigned char c : data) {
    reg ^= c;
    for (int i = 0; i < 8; ++i) reg = (reg & 1) ? (reg >> 1) ^ reflected_poly : reg >> 1;
  }
  return ~reg;
}
constexpr uint64_t kCrc64NvmeReflected = 0x9A6C9329AC4BC9B5ull;

std::string Base64Of(ChecksumAlgorithm algorithm, std::string_view data) {
  Checksummer c(algorithm);
  c.Update(data);
  return Base64Encode(c.Final());
}

TEST(ChecksumNames, MapBothWays) {
  EXPECT_EQ(ChecksumAlgorithmName(ChecksumAlgorithm::kCrc32), "CRC32");
  EXPECT_EQ(ChecksumAlgorithmName(ChecksumAlgorithm::kCrc32c), "CRC32C");
  EXPECT_EQ(ChecksumAlgorithmName(ChecksumAlgorithm::kCrc64Nvme), "CRC64NVME");
  EXPECT_EQ(ChecksumAlgorithmName(ChecksumAlgorithm::kSha1), "SHA1");
  EXPECT_EQ(ChecksumAlgorithmName(ChecksumAlgorithm::kSha256), "SHA256");
  for (ChecksumAlgorithm a : kAllChecksumAlgorithms) {
    EXPECT_EQ(ParseChecksumAlgorithm(ChecksumAlgorithmName(a)), a);
    EXPECT_EQ(ChecksumAlgorithmFromHeader(ChecksumHeaderName(a)), a);
  }
  EXPECT_EQ(ChecksumHeaderName(ChecksumAlgorithm::kCrc64Nvme), "x-amz-checksum-crc64nvme");
  EXPECT_EQ(ChecksumHeaderName(ChecksumAlgorithm::kSha256), "x-amz-checksum-sha256");
}

TEST(ChecksumNames, ParseIgnoresCase) {
  EXPECT_EQ(ParseChecksumAlgorithm("crc32c"), ChecksumAlgorithm::kCrc32c);
  EXPECT_EQ(ParseChecksumAlgorithm("Crc64Nvme"), ChecksumAlgorithm::kCrc64Nvme);
  EXPECT_EQ(ParseChecksumAlgorithm("sha256"), ChecksumAlgorithm::kSha256);
  EXPECT_EQ(ChecksumAlgorithmFromHeader("X-Amz-Checksum-CRC32"), ChecksumAlgorithm::kCrc32);
}

TEST(ChecksumNames, RejectsOthers) {
  for (std::string_view name : {"", "CRC", "CRC32 ", "SHA-256", "MD5", "CRC64", "XXHASH64"}) {
    EXPECT_FALSE(ParseChecksumAlgorithm(name).has_value()) << name;
  }
  for (std::string_view name : {"x-amz-checksum-algorithm", "x-amz-checksum-type",
                                "x-amz-checksum-mode", "x-amz-checksum-", "crc32"}) {
    EXPECT_FALSE(ChecksumAlgorithmFromHeader(name).has_value()) << name;
  }
}

TEST(ChecksumNames, Sizes) {
  EXPECT_EQ(ChecksumSize(ChecksumAlgorithm::kCrc32), 4u);
  EXPECT_EQ(ChecksumSize(ChecksumAlgorithm::kCrc32c), 4u);
  EXPECT_EQ(ChecksumSize(ChecksumAlgorithm::kCrc64Nvme), 8u);
  EXPECT_EQ(ChecksumSize(ChecksumAlgorithm::kSha1), 20u);
  EXPECT_EQ(ChecksumSize(ChecksumAlgorithm::kSha256), 32u);
}

TEST(DecodeChecksumValue, AcceptsTheRightSize) {
  auto raw = DecodeChecksumValue(ChecksumAlgorithm::kCrc64Nvme, "OOJZ0D8xKts=");
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->size(), 8u);
}

TEST(DecodeChecksumValue, RejectsWrongSizeAndGarbageAsInvalidRequest) {
  auto wrong_size = DecodeChecksumValue(ChecksumAlgorithm::kCrc32, "OOJZ0D8xKts=");
  ASSERT_FALSE(wrong_size.has_value());
  EXPECT_EQ(wrong_size.error().code(), ErrorCode::kInvalidRequest);
  EXPECT_EQ(wrong_size.error().message(), "Value for x-amz-checksum-crc32 header is invalid.");
  EXPECT_FALSE(DecodeChecksumValue(ChecksumAlgorithm::kCrc32, "i9a!Ug==").has_value());
  EXPECT_FALSE(DecodeChecksumValue(ChecksumAlgorithm::kCrc32, "").has_value());
}

TEST(Crc, CheckValues) {
  constexpr std::string_view kCheck = "123456789";
  EXPECT_EQ(Crc32(Bytes(kCheck)), 0xCBF43926u);
  EXPECT_EQ(Crc32c(Bytes(kCheck)), 0xE3069283u);
  EXPECT_EQ(Crc64Nvme(Bytes(kCheck)), 0xAE8B14860A799888ull);
}

TEST(Crc, EmptyInputIsZero) {
  EXPECT_EQ(Crc32({}), 0u);
  EXPECT_EQ(Crc32c({}), 0u);
  EXPECT_EQ(Crc64Nvme({}), 0u);
}

// The values AWS's SDKs test their flexible-checksum code against.
TEST(Checksummer, MatchesAwsSdkTestVectors) {
  using A = ChecksumAlgorithm;
  struct Case {
    std::string_view input;
    A algorithm;
    std::string_view base64;
  };
  for (const Case& c : std::vector<Case>{
           {"", A::kCrc32, "AAAAAA=="},
           {"abc", A::kCrc32, "NSRBwg=="},
           {"Hello world", A::kCrc32, "i9aeUg=="},
           {"", A::kCrc32c, "AAAAAA=="},
           {"abc", A::kCrc32c, "Nks/tw=="},
           {"Hello world", A::kCrc32c, "crUfeA=="},
           {"", A::kCrc64Nvme, "AAAAAAAAAAA="},
           {"abc", A::kCrc64Nvme, "BeXKuz/B+us="},
           {"Hello world", A::kCrc64Nvme, "OOJZ0D8xKts="},
           {"", A::kSha1, "2jmj7l5rSw0yVb/vlWAYkK/YBwk="},
           {"Hello world", A::kSha1, "e1AsOh9IyGCa4hLN+2Od7jlnP14="},
           {"", A::kSha256, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
           {"Hello world", A::kSha256, "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="},
       }) {
    EXPECT_EQ(Base64Of(c.algorithm, c.input), c.base64)
        << ChecksumAlgorithmName(c.algorithm) << " of \"" << c.input << "\"";
  }
}

TEST(Crc, Crc64NvmeMatchesBitwiseReferenceAtEveryLengthAndAlignment) {
  std::string data = RandomString(300, 1);
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t n = 0; n + offset <= data.size(); n += (n < 40 ? 1 : 13)) {
      std::string_view piece = std::string_view(data).substr(offset, n);
      ASSERT_EQ(Crc64Nvme(Bytes(piece)), ReferenceCrc<uint64_t>(piece, kCrc64NvmeReflected))
          << "offset " << offset << " length " << n;
    }
  }
}

TEST(Crc, Crc64NvmeFastPathMatchesPortableAtManyLengths) {
  // Crc64Nvme folds with PCLMULQDQ where the CPU has it; the table code is the reference.
  std::string data = RandomString(70000, 8);
  std::mt19937 rng(9);
  std::vector<size_t> lengths = {0,   15,  16,  17,  63,  64,  65,   79,   80,   127,   128,
                                 129, 191, 192, 255, 256, 257, 1000, 4096, 4111, 65536, 69999};
  for (int i = 0; i < 200; ++i) lengths.push_back(rng() % 70000);
  for (size_t n : lengths) {
    for (size_t offset : {size_t{0}, size_t{1}, size_t{7}}) {
      if (offset + n > data.size()) continue;
      auto piece = Bytes(std::string_view(data).substr(offset, n));
      ASSERT_EQ(Crc64Nvme(piece), internal::Crc64NvmePortable(piece))
          << "length " << n << " offset " << offset;
      ASSERT_EQ(Crc64Nvme(piece, 0x0123456789abcdefull),
                internal::Crc64NvmePortable(piece, 0x0123456789abcdefull))
          << "chained, length " << n;
    }
  }
  std::string big = RandomString(1000, 10);
  EXPECT_EQ(Crc64Nvme(Bytes(big)), ReferenceCrc<uint64_t>(big, kCrc64NvmeReflected));
  std::string zeros(4096, '\0'), ones(4096, '\xff');
  EXPECT_EQ(Crc64Nvme(Bytes(zeros)), ReferenceCrc<uint64_t>(zeros, kCrc64NvmeReflected));
  EXPECT_EQ(Crc64Nvme(Bytes(ones)), ReferenceCrc<uint64_t>(ones, kCrc64NvmeReflected));
}

TEST(Crc, Crc32AndCrc32cMatchBitwiseReference) {
  std::string data = RandomString(1000, 2);
  for (size_t n : {1, 7, 16, 63, 64, 65, 255, 1000}) {
    std::string_view piece = std::string_view(data).substr(0, n);
    EXPECT_EQ(Crc32(Bytes(piece)), ReferenceCrc<uint32_t>(piece, 0xEDB88320u)) << n;
    EXPECT_EQ(Crc32c(Bytes(piece)), ReferenceCrc<uint32_t>(piece, 0x82F63B78u)) << n;
  }
}

TEST(Checksummer, AnySplitGivesTheSameValue) {
  std::string data = RandomString(5000, 3);
  std::mt19937 rng(4);
  for (ChecksumAlgorithm algorithm : kAllChecksumAlgorithms) {
    std::string whole = [&] {
      Checksummer c(algorithm);
      c.Update(data);
      return c.Final();
    }();
    for (int trial = 0; trial < 20; ++trial) {
      Checksummer c(algorithm);
      size_t pos = 0;
      while (pos < data.size()) {
        size_t n = std::min<size_t>(data.size() - pos, rng() % 700);  // includes empty updates
        c.Update(std::string_view(data).substr(pos, n));
        pos += n;
      }
      ASSERT_EQ(c.Final(), whole) << ChecksumAlgorithmName(algorithm) << " trial " << trial;
    }
  }
}

TEST(Checksummer, FinalResetsForReuse) {
  for (ChecksumAlgorithm algorithm : kAllChecksumAlgorithms) {
    Checksummer c(algorithm);
    c.Update("something else");
    (void)c.Final();
    c.Update("Hello world");
    EXPECT_EQ(Base64Encode(c.Final()), Base64Of(algorithm, "Hello world"));
  }
}

TEST(Checksummer, AcceptsByteSpans) {
  std::vector<uint8_t> bytes = {'a', 'b', 'c'};
  Checksummer c(ChecksumAlgorithm::kCrc64Nvme);
  c.Update(std::span<const uint8_t>(bytes));
  EXPECT_EQ(Base64Encode(c.Final()), "BeXKuz/B+us=");
}

TEST(CrcCombine, EqualsCrcOfConcatenationForEverySplit) {
  std::string data = RandomString(200, 5);
  std::string_view all = data;
  for (size_t split = 0; split <= all.size(); ++split) {
    std::string_view a = all.substr(0, split), b = all.substr(split);
    ASSERT_EQ(Crc32Combine(Crc32(Bytes(a)), Crc32(Bytes(b)), b.size()), Crc32(Bytes(all)));
    ASSERT_EQ(Crc32cCombine(Crc32c(Bytes(a)), Crc32c(Bytes(b)), b.size()), Crc32c(Bytes(all)));
    ASSERT_EQ(Crc64NvmeCombine(Crc64Nvme(Bytes(a)), Crc64Nvme(Bytes(b)), b.size()),
              Crc64Nvme(Bytes(all)))
        << split;
  }
}

TEST(CrcCombine, MegabytePartsLikeMultipart) {
  std::string data = RandomString(3 * 1024 * 1024 + 17, 6);
  std::string_view all = data;
  const size_t kPart = 1024 * 1024;
  uint64_t combined = 0;
  for (size_t pos = 0; pos < all.size(); pos += kPart) {
    std::string_view part = all.substr(pos, kPart);
    combined = Crc64NvmeCombine(combined, Crc64Nvme(Bytes(part)), part.size());
  }
  EXPECT_EQ(combined, Crc64Nvme(Bytes(all)));
}

TEST(CrcCombine, IsAssociativeForHugeLengths) {
  // Lengths beyond what a test can hash still have to compose consistently (5 TiB objects).
  const uint64_t kB = 5ull << 40, kC = (1ull << 62) + 12345;
  uint64_t a = 0x0123456789abcdefull, b = 0xfedcba9876543210ull, c = 0x5555aaaa5555aaaaull;
  EXPECT_EQ(Crc64NvmeCombine(Crc64NvmeCombine(a, b, kB), c, kC),
            Crc64NvmeCombine(a, Crc64NvmeCombine(b, c, kC), kB + kC));
  uint32_t a32 = 0x01234567, b32 = 0x89abcdef, c32 = 0x5a5a5a5a;
  EXPECT_EQ(Crc32Combine(Crc32Combine(a32, b32, kB), c32, kC),
            Crc32Combine(a32, Crc32Combine(b32, c32, kC), kB + kC));
  EXPECT_EQ(Crc32cCombine(Crc32cCombine(a32, b32, kB), c32, kC),
            Crc32cCombine(a32, Crc32cCombine(b32, c32, kC), kB + kC));
}

TEST(CrcCombine, WithEmptySecondPartIsIdentity) {
  EXPECT_EQ(Crc64NvmeCombine(0xAE8B14860A799888ull, 0, 0), 0xAE8B14860A799888ull);
  EXPECT_EQ(Crc32Combine(0xCBF43926u, 0, 0), 0xCBF43926u);
}

TEST(CrcCombine, OnRawValues) {
  for (ChecksumAlgorithm algorithm :
       {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme}) {
    Checksummer c(algorithm);
    c.Update("Hello ");
    std::string a = c.Final();
    c.Update("world");
    std::string b = c.Final();
    EXPECT_EQ(Base64Encode(CombineCrc(algorithm, a, b, 5)), Base64Of(algorithm, "Hello world"))
        << ChecksumAlgorithmName(algorithm);
  }
}

TEST(ChecksumSet, ForPutComputesMd5Crc64NvmeAndTheRequested) {
  ChecksumSet set = ChecksumSet::ForPut(ChecksumAlgorithm::kSha256);
  EXPECT_TRUE(set.Has(ChecksumAlgorithm::kCrc64Nvme));
  EXPECT_TRUE(set.Has(ChecksumAlgorithm::kSha256));
  EXPECT_FALSE(set.Has(ChecksumAlgorithm::kCrc32));
  set.Update("Hello ");
  set.Update("world");
  ChecksumValues v = set.Final();
  ASSERT_TRUE(v.md5.has_value());
  EXPECT_EQ(*v.md5, Md5("Hello world"));
  EXPECT_EQ(Base64Encode(*v.Get(ChecksumAlgorithm::kCrc64Nvme)), "OOJZ0D8xKts=");
  EXPECT_EQ(Base64Encode(*v.Get(ChecksumAlgorithm::kSha256)),
            "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=");
  EXPECT_FALSE(v.Get(ChecksumAlgorithm::kCrc32).has_value());
}

TEST(ChecksumSet, ForPutWithoutRequestOrWithCrc64NvmeTwice) {
  for (std::optional<ChecksumAlgorithm> requested :
       {std::optional<ChecksumAlgorithm>(), std::optional(ChecksumAlgorithm::kCrc64Nvme)}) {
    ChecksumSet set = ChecksumSet::ForPut(requested);
    set.Update("abc");
    ChecksumValues v = set.Final();
    EXPECT_EQ(Base64Encode(*v.Get(ChecksumAlgorithm::kCrc64Nvme)), "BeXKuz/B+us=");
    int computed = 0;
    for (auto& value : v.values) computed += value.has_value();
    EXPECT_EQ(computed, 1);
  }
}

TEST(ChecksumSet, AllAlgorithmsOverLargeBufferMatchSingleCheckers) {
  std::string data = RandomString(200 * 1024 + 3, 7);  // crosses the internal slicing
  ChecksumSet set(/*with_md5=*/false, {});
  for (ChecksumAlgorithm algorithm : kAllChecksumAlgorithms) set.Add(algorithm);
  set.Update(data);
  ChecksumValues v = set.Final();
  EXPECT_FALSE(v.md5.has_value());
  for (ChecksumAlgorithm algorithm : kAllChecksumAlgorithms) {
    Checksummer c(algorithm);
    c.Update(data);
    EXPECT_EQ(v.Get(algorithm), c.Final()) << ChecksumAlgorithmName(algorithm);
  }
}

}  // namespace
}  // namespace stratus
