// The data file format (docs/formats/data-files.md): a 16-byte header, the object's bytes in
// fixed-size blocks, one CRC-32C per block, and a 24-byte trailer. All integers little-endian.
//
//   header   "STRATUSD" | u16 version | u16 reserved (0) | u32 block size
//   data     data_length bytes; block i is [i * block_size, min((i + 1) * block_size, len))
//   crcs     block_count x u32 CRC-32C of each block
//   trailer  u64 data_length | u32 block_count | u32 CRC-32C of the previous 12 bytes |
//            "STRATUSE"
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace stratus::storage {

inline constexpr uint16_t kDataFileVersion = 1;
inline constexpr uint32_t kDataBlockSize = 1 << 20;      // what writers use
inline constexpr uint32_t kMaxDataBlockSize = 64 << 20;  // what readers accept
inline constexpr size_t kDataHeaderSize = 16;
inline constexpr size_t kDataTrailerSize = 24;

// CRC-32C (Castagnoli), init and xorout ~0; chain by passing the previous result.
uint32_t Crc32c(std::span<const char> bytes, uint32_t crc = 0);

// Where everything is in one data file.
struct DataFileLayout {
  uint32_t block_size = kDataBlockSize;
  uint64_t data_length = 0;

  uint64_t BlockCount() const { return (data_length + block_size - 1) / block_size; }
  uint64_t BlockOffset(uint64_t block) const { return kDataHeaderSize + block * block_size; }
  uint64_t BlockLength(uint64_t block) const;
  uint64_t CrcOffset(uint64_t block) const { return kDataHeaderSize + data_length + 4 * block; }
  uint64_t FileSize() const { return CrcOffset(BlockCount()) + kDataTrailerSize; }
};

std::string EncodeDataHeader(uint32_t block_size);
// The block size of a valid header; kInternalError for a bad magic, version or block size.
Result<uint32_t> ParseDataHeader(std::string_view header);

std::string EncodeDataTrailer(const DataFileLayout& layout);
// Checks the trailer (magic, its CRC, block count) against the header's block size and the
// file's size on disk.
Result<DataFileLayout> ParseDataTrailer(std::string_view trailer, uint32_t block_size,
                                        uint64_t file_size);

void PutFixed32(std::string& out, uint32_t value);
uint32_t GetFixed32(const char* bytes);

}  // namespace stratus::storage
