#include "common/checksum.h"

#include <isa-l/crc.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <utility>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace stratus {
namespace {

struct AlgorithmInfo {
  ChecksumAlgorithm algorithm;
  std::string_view name;
  std::string_view header;
  size_t size;
};

// Indexed by the enum's value.
constexpr std::array<AlgorithmInfo, 5> kAlgorithms = {{
    {ChecksumAlgorithm::kCrc32, "CRC32", "x-amz-checksum-crc32", 4},
    {ChecksumAlgorithm::kCrc32c, "CRC32C", "x-amz-checksum-crc32c", 4},
    {ChecksumAlgorithm::kCrc64Nvme, "CRC64NVME", "x-amz-checksum-crc64nvme", 8},
    {ChecksumAlgorithm::kSha1, "SHA1", "x-amz-checksum-sha1", 20},
    {ChecksumAlgorithm::kSha256, "SHA256", "x-amz-checksum-sha256", 32},
}};

const AlgorithmInfo& Info(ChecksumAlgorithm algorithm) {
  return kAlgorithms[static_cast<size_t>(algorithm)];
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

// ---- Arithmetic on reflected CRC polynomials over GF(2) ----
//
// In the reflected representation the most significant bit is x^0. A CRC with init and xorout
// both ~0 satisfies crc(A||B) = crc(A) * x^(8*len(B)) mod P  xor  crc(B) (the ~0 terms cancel),
// which is how zlib's crc32_combine works; the same code serves all three widths.

template <typename T>
constexpr T Reflect(T value) {
  T out = 0;
  for (size_t i = 0; i < sizeof(T) * 8; ++i) {
    out = (out << 1) | (value & 1);
    value >>= 1;
  }
  return out;
}

template <typename T, T kReflectedPoly>
struct Gf2 {
  static constexpr T kOne = T{1} << (sizeof(T) * 8 - 1);  // x^0

  // a * b mod P.
  static constexpr T MultModP(T a, T b) {
    T product = 0;
    for (T m = kOne; a != 0; m >>= 1) {
      if (a & m) {
        product ^= b;
        a ^= m;
      }
      b = (b & 1) ? (b >> 1) ^ kReflectedPoly : b >> 1;
    }
    return product;
  }

  // kPowers[k] = x^(2^k) mod P, for every k that x^(8 * uint64 length) can need.
  static constexpr std::array<T, 68> kPowers = [] {
    std::array<T, 68> powers{};
    T p = kOne >> 1;  // x^1
    for (auto& power : powers) {
      power = p;
      p = MultModP(p, p);
    }
    return powers;
  }();

  // x^bits mod P.
  static constexpr T XPowBits(uint64_t bits) {
    T p = kOne;
    for (size_t k = 0; bits != 0; bits >>= 1, ++k) {
      if (bits & 1) p = MultModP(kPowers[k], p);
    }
    return p;
  }

  // x^(8 * bytes) mod P.
  static constexpr T XPow8n(uint64_t bytes) {
    T p = kOne;
    for (size_t k = 3; bytes != 0; bytes >>= 1, ++k) {
      if (bytes & 1) p = MultModP(kPowers[k], p);
    }
    return p;
  }

  static constexpr T Combine(T crc_a, T crc_b, uint64_t length_b) {
    return MultModP(XPow8n(length_b), crc_a) ^ crc_b;
  }
};

using Crc32Field = Gf2<uint32_t, 0xEDB88320u>;
using Crc32cField = Gf2<uint32_t, 0x82F63B78u>;
constexpr uint64_t kCrc64NvmePoly = Reflect<uint64_t>(0xAD93D23594C93659ull);
using Crc64NvmeField = Gf2<uint64_t, kCrc64NvmePoly>;

// ---- CRC-64/NVME, slicing-by-16 ----
//
// Debian's ISA-L 2.30 predates its crc64_rocksoft functions, so this is a portable table
// implementation: kTables[k][b] is the CRC register contribution of byte b followed by k zero
// bytes, which lets one step consume 16 input bytes with 16 independent lookups.
using Crc64Tables = std::array<std::array<uint64_t, 256>, 16>;

constexpr Crc64Tables MakeCrc64Tables() {
  Crc64Tables t{};
  for (uint64_t b = 0; b < 256; ++b) {
    uint64_t r = b;
    for (int i = 0; i < 8; ++i) r = (r & 1) ? (r >> 1) ^ kCrc64NvmePoly : r >> 1;
    t[0][b] = r;
  }
  for (size_t k = 1; k < t.size(); ++k) {
    for (size_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
  }
  return t;
}

constexpr Crc64Tables kCrc64Tables = MakeCrc64Tables();

inline uint64_t LoadLe64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  if constexpr (std::endian::native == std::endian::big) v = std::byteswap(v);
  return v;
}

// Advances the raw register (no init or final xor).
uint64_t Crc64NvmeTable(uint64_t reg, const uint8_t* p, size_t n) {
  const Crc64Tables& t = kCrc64Tables;
  while (n >= 16) {
    uint64_t a = LoadLe64(p) ^ reg;
    uint64_t b = LoadLe64(p + 8);
    reg = t[15][a & 0xff] ^ t[14][(a >> 8) & 0xff] ^ t[13][(a >> 16) & 0xff] ^
          t[12][(a >> 24) & 0xff] ^ t[11][(a >> 32) & 0xff] ^ t[10][(a >> 40) & 0xff] ^
          t[9][(a >> 48) & 0xff] ^ t[8][a >> 56] ^ t[7][b & 0xff] ^ t[6][(b >> 8) & 0xff] ^
          t[5][(b >> 16) & 0xff] ^ t[4][(b >> 24) & 0xff] ^ t[3][(b >> 32) & 0xff] ^
          t[2][(b >> 40) & 0xff] ^ t[1][(b >> 48) & 0xff] ^ t[0][b >> 56];
    p += 16;
    n -= 16;
  }
  while (n-- > 0) reg = t[0][(reg ^ *p++) & 0xff] ^ (reg >> 8);
  return reg;
}

#if defined(__x86_64__)
// ---- CRC-64/NVME by carry-less multiplication (PCLMULQDQ) ----
//
// A 16-byte block loaded little-endian has the reflected layout: bit m stands for x^(127-m)
// counted from the block's end, so its low half h holds the high-degree terms and its high half
// l the low ones. Moving the block N bits further along the message multiplies it by x^N:
//   h*x^(64+N) + l*x^N  ==  h*(x^(64+N-1) mod P)*x + l*(x^(N-1) mod P)*x   (mod P),
// and a carry-less multiply of two reflected 64-bit values yields exactly "product times x" in
// the 128-bit reflected layout, hence the N-1 exponents. The folded 16 bytes are finally run
// through the table code, which reduces them modulo P without a Barrett step.
struct FoldConstants {
  __m128i by512;  // 4 blocks ahead (four accumulators)
  __m128i by128;  // 1 block ahead
};

FoldConstants MakeFoldConstants() {
  auto constants = [](uint64_t n) {
    // Low lane multiplies h, high lane multiplies l.
    return _mm_set_epi64x(static_cast<long long>(Crc64NvmeField::XPowBits(n - 1)),
                          static_cast<long long>(Crc64NvmeField::XPowBits(64 + n - 1)));
  };
  return {constants(512), constants(128)};
}

__attribute__((target("pclmul,sse2"))) inline __m128i Fold(__m128i block, __m128i k) {
  return _mm_xor_si128(_mm_clmulepi64_si128(block, k, 0x00), _mm_clmulepi64_si128(block, k, 0x11));
}

__attribute__((target("pclmul,sse2"))) uint64_t Crc64NvmeClmul(uint64_t reg, const uint8_t* p,
                                                               size_t n) {
  if (n < 64) return Crc64NvmeTable(reg, p, n);
  static const FoldConstants k = MakeFoldConstants();
  auto load = [](const uint8_t* q) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(q)); };
  __m128i x0 = _mm_xor_si128(load(p), _mm_cvtsi64_si128(static_cast<long long>(reg)));
  __m128i x1 = load(p + 16), x2 = load(p + 32), x3 = load(p + 48);
  p += 64;
  n -= 64;
  // Four independent chains hide the multiply's latency.
  while (n >= 64) {
    x0 = _mm_xor_si128(Fold(x0, k.by512), load(p));
    x1 = _mm_xor_si128(Fold(x1, k.by512), load(p + 16));
    x2 = _mm_xor_si128(Fold(x2, k.by512), load(p + 32));
    x3 = _mm_xor_si128(Fold(x3, k.by512), load(p + 48));
    p += 64;
    n -= 64;
  }
  __m128i x = _mm_xor_si128(Fold(x0, k.by128), x1);
  x = _mm_xor_si128(Fold(x, k.by128), x2);
  x = _mm_xor_si128(Fold(x, k.by128), x3);
  while (n >= 16) {
    x = _mm_xor_si128(Fold(x, k.by128), load(p));
    p += 16;
    n -= 16;
  }
  alignas(16) uint8_t folded[16];
  _mm_store_si128(reinterpret_cast<__m128i*>(folded), x);
  return Crc64NvmeTable(Crc64NvmeTable(0, folded, sizeof(folded)), p, n);
}

const bool kHavePclmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse2");
#endif

uint64_t Crc64NvmeRegister(uint64_t reg, const uint8_t* p, size_t n) {
#if defined(__x86_64__)
  if (kHavePclmul) return Crc64NvmeClmul(reg, p, n);
#endif
  return Crc64NvmeTable(reg, p, n);
}

template <typename T>
std::string ToBigEndian(T value) {
  std::string out(sizeof(T), '\0');
  for (size_t i = 0; i < sizeof(T); ++i) {
    out[sizeof(T) - 1 - i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return out;
}

template <typename T>
T FromBigEndian(std::string_view bytes) {
  T value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

std::span<const uint8_t> AsBytes(std::string_view data) {
  return {reinterpret_cast<const uint8_t*>(data.data()), data.size()};
}

}  // namespace

std::string_view ChecksumAlgorithmName(ChecksumAlgorithm algorithm) { return Info(algorithm).name; }

std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (EqualsIgnoreCase(name, info.name)) return info.algorithm;
  }
  return std::nullopt;
}

std::string_view ChecksumHeaderName(ChecksumAlgorithm algorithm) { return Info(algorithm).header; }

std::optional<ChecksumAlgorithm> ChecksumAlgorithmFromHeader(std::string_view header_name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (EqualsIgnoreCase(header_name, info.header)) return info.algorithm;
  }
  return std::nullopt;
}

size_t ChecksumSize(ChecksumAlgorithm algorithm) { return Info(algorithm).size; }

Result<std::string> DecodeChecksumValue(ChecksumAlgorithm algorithm, std::string_view base64) {
  std::optional<std::string> raw = Base64Decode(base64);
  if (!raw || raw->size() != ChecksumSize(algorithm)) {
    // S3: 400 InvalidRequest "Value for x-amz-checksum-crc32 header is invalid."
    return Error(ErrorCode::kInvalidRequest,
                 "Value for " + std::string(ChecksumHeaderName(algorithm)) + " header is invalid.");
  }
  return *std::move(raw);
}

uint32_t Crc32(std::span<const uint8_t> data, uint32_t crc) {
  // crc32_gzip_refl applies init and final xor itself, like zlib's crc32(), so it chains.
  return crc32_gzip_refl(crc, data.data(), data.size());
}

uint32_t Crc32c(std::span<const uint8_t> data, uint32_t crc) {
  // crc32_iscsi works on the raw register (no init or final xor) and takes an int length.
  uint32_t reg = ~crc;
  constexpr size_t kMaxChunk = size_t{1} << 30;
  while (!data.empty()) {
    size_t n = std::min(data.size(), kMaxChunk);
    reg = crc32_iscsi(const_cast<uint8_t*>(data.data()), static_cast<int>(n), reg);
    data = data.subspan(n);
  }
  return ~reg;
}

uint64_t Crc64Nvme(std::span<const uint8_t> data, uint64_t crc) {
  return ~Crc64NvmeRegister(~crc, data.data(), data.size());
}

namespace internal {
uint64_t Crc64NvmePortable(std::span<const uint8_t> data, uint64_t crc) {
  return ~Crc64NvmeTable(~crc, data.data(), data.size());
}
}  // namespace internal

uint32_t Crc32Combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  return Crc32Field::Combine(crc_a, crc_b, length_b);
}

uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  return Crc32cField::Combine(crc_a, crc_b, length_b);
}

uint64_t Crc64NvmeCombine(uint64_t crc_a, uint64_t crc_b, uint64_t length_b) {
  return Crc64NvmeField::Combine(crc_a, crc_b, length_b);
}

std::string CombineCrc(ChecksumAlgorithm algorithm, std::string_view raw_a, std::string_view raw_b,
                       uint64_t length_b) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return ToBigEndian(
          Crc32Combine(FromBigEndian<uint32_t>(raw_a), FromBigEndian<uint32_t>(raw_b), length_b));
    case ChecksumAlgorithm::kCrc32c:
      return ToBigEndian(
          Crc32cCombine(FromBigEndian<uint32_t>(raw_a), FromBigEndian<uint32_t>(raw_b), length_b));
    case ChecksumAlgorithm::kCrc64Nvme:
      return ToBigEndian(Crc64NvmeCombine(FromBigEndian<uint64_t>(raw_a),
                                          FromBigEndian<uint64_t>(raw_b), length_b));
    case ChecksumAlgorithm::kSha1:
    case ChecksumAlgorithm::kSha256:
      break;
  }
  std::abort();  // A digest has no combination; asking for one is a bug in the caller.
}

// ---- Checksummer ----

Checksummer::Checksummer(ChecksumAlgorithm algorithm) : algorithm_(algorithm) {
  if (algorithm == ChecksumAlgorithm::kSha1) {
    digest_ = std::make_unique<Digest>(Digest::Kind::kSha1);
  } else if (algorithm == ChecksumAlgorithm::kSha256) {
    digest_ = std::make_unique<Digest>(Digest::Kind::kSha256);
  }
}

void Checksummer::Update(std::span<const uint8_t> data) {
  switch (algorithm_) {
    case ChecksumAlgorithm::kCrc32:
      crc_ = Crc32(data, static_cast<uint32_t>(crc_));
      return;
    case ChecksumAlgorithm::kCrc32c:
      crc_ = Crc32c(data, static_cast<uint32_t>(crc_));
      return;
    case ChecksumAlgorithm::kCrc64Nvme:
      crc_ = Crc64Nvme(data, crc_);
      return;
    case ChecksumAlgorithm::kSha1:
    case ChecksumAlgorithm::kSha256:
      digest_->Update({reinterpret_cast<const char*>(data.data()), data.size()});
      return;
  }
}

void Checksummer::Update(std::string_view data) { Update(AsBytes(data)); }

std::string Checksummer::Final() {
  uint64_t crc = std::exchange(crc_, 0);
  switch (algorithm_) {
    case ChecksumAlgorithm::kCrc32:
    case ChecksumAlgorithm::kCrc32c:
      return ToBigEndian(static_cast<uint32_t>(crc));
    case ChecksumAlgorithm::kCrc64Nvme:
      return ToBigEndian(crc);
    case ChecksumAlgorithm::kSha1:
    case ChecksumAlgorithm::kSha256:
      break;
  }
  return digest_->Final();
}

// ---- ChecksumSet ----

ChecksumSet::ChecksumSet(bool with_md5, std::initializer_list<ChecksumAlgorithm> algorithms) {
  if (with_md5) md5_ = std::make_unique<Digest>(Digest::Kind::kMd5);
  for (ChecksumAlgorithm algorithm : algorithms) Add(algorithm);
}

ChecksumSet ChecksumSet::ForPut(std::optional<ChecksumAlgorithm> requested) {
  ChecksumSet set(/*with_md5=*/true, {ChecksumAlgorithm::kCrc64Nvme});
  if (requested) set.Add(*requested);
  return set;
}

void ChecksumSet::Add(ChecksumAlgorithm algorithm) {
  auto& slot = checksummers_[static_cast<size_t>(algorithm)];
  if (!slot) slot.emplace(algorithm);
}

bool ChecksumSet::Has(ChecksumAlgorithm algorithm) const {
  return checksummers_[static_cast<size_t>(algorithm)].has_value();
}

void ChecksumSet::Update(std::span<const uint8_t> data) {
  // Every algorithm reads a slice before the next slice is touched, so the bytes come from L1/L2
  // rather than memory however large the caller's buffer is.
  constexpr size_t kSlice = 32 * 1024;
  while (!data.empty()) {
    std::span<const uint8_t> slice = data.first(std::min(data.size(), kSlice));
    if (md5_) md5_->Update({reinterpret_cast<const char*>(slice.data()), slice.size()});
    for (auto& checksummer : checksummers_) {
      if (checksummer) checksummer->Update(slice);
    }
    data = data.subspan(slice.size());
  }
}

void ChecksumSet::Update(std::string_view data) { Update(AsBytes(data)); }

ChecksumValues ChecksumSet::Final() {
  ChecksumValues out;
  if (md5_) out.md5 = md5_->Final();
  for (size_t i = 0; i < checksummers_.size(); ++i) {
    if (checksummers_[i]) out.values[i] = checksummers_[i]->Final();
  }
  return out;
}

}  // namespace stratus
