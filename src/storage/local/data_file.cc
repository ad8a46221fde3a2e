#include "storage/local/data_file.h"

#include <isa-l/crc.h>

#include <algorithm>

namespace stratus::storage {
namespace {

constexpr std::string_view kHeaderMagic = "STRATUSD";
constexpr std::string_view kTrailerMagic = "STRATUSE";

void PutFixed16(std::string& out, uint16_t value) {
  out.push_back(static_cast<char>(value & 0xff));
  out.push_back(static_cast<char>(value >> 8));
}

void PutFixed64(std::string& out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint16_t GetFixed16(const char* bytes) {
  return static_cast<uint16_t>(static_cast<uint8_t>(bytes[0]) |
                               (static_cast<uint8_t>(bytes[1]) << 8));
}

uint64_t GetFixed64(const char* bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

Status Corrupt(std::string_view what) {
  return Status::Internal("corrupt data file: " + std::string(what));
}

}  // namespace

uint32_t Crc32c(std::span<const char> bytes, uint32_t crc) {
  // ISA-L's crc32_iscsi neither inverts on entry nor on exit; CRC-32C does both. Feed it in
  // pieces below 2 GiB since it takes an int length.
  uint32_t state = ~crc;
  while (!bytes.empty()) {
    size_t n = std::min<size_t>(bytes.size(), 1u << 30);
    state = crc32_iscsi(reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data())),
                        static_cast<int>(n), state);
    bytes = bytes.subspan(n);
  }
  return ~state;
}

uint64_t DataFileLayout::BlockLength(uint64_t block) const {
  uint64_t start = block * block_size;
  return std::min<uint64_t>(block_size, data_length - start);
}

void PutFixed32(std::string& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint32_t GetFixed32(const char* bytes) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

std::string EncodeDataHeader(uint32_t block_size) {
  std::string out(kHeaderMagic);
  PutFixed16(out, kDataFileVersion);
  PutFixed16(out, 0);
  PutFixed32(out, block_size);
  return out;
}

Result<uint32_t> ParseDataHeader(std::string_view header) {
  if (header.size() != kDataHeaderSize || header.substr(0, 8) != kHeaderMagic) {
    return Error(Corrupt("bad header magic"));
  }
  uint16_t version = GetFixed16(header.data() + 8);
  if (version != kDataFileVersion) {
    return Error(Corrupt("unknown data file version " + std::to_string(version)));
  }
  uint32_t block_size = GetFixed32(header.data() + 12);
  if (block_size == 0 || block_size > kMaxDataBlockSize) return Error(Corrupt("bad block size"));
  return block_size;
}

std::string EncodeDataTrailer(const DataFileLayout& layout) {
  std::string out;
  PutFixed64(out, layout.data_length);
  PutFixed32(out, static_cast<uint32_t>(layout.BlockCount()));
  PutFixed32(out, Crc32c(out));
  out.append(kTrailerMagic);
  return out;
}

Result<DataFileLayout> ParseDataTrailer(std::string_view trailer, uint32_t block_size,
                                        uint64_t file_size) {
  if (trailer.size() != kDataTrailerSize || trailer.substr(16) != kTrailerMagic) {
    return Error(Corrupt("bad trailer magic"));
  }
  if (Crc32c(trailer.substr(0, 12)) != GetFixed32(trailer.data() + 12)) {
    return Error(Corrupt("trailer checksum mismatch"));
  }
  DataFileLayout layout{.block_size = block_size, .data_length = GetFixed64(trailer.data())};
  // Compare before computing FileSize() so a huge length cannot overflow it.
  if (layout.data_length > file_size || layout.BlockCount() != GetFixed32(trailer.data() + 8) ||
      layout.FileSize() != file_size) {
    return Error(Corrupt("trailer does not match the file size"));
  }
  return layout;
}

}  // namespace stratus::storage
