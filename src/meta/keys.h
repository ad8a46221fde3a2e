// The RocksDB key layout of the metadata store (docs/formats/metadata.md). Every key starts
// with one keyspace byte; within a keyspace, keys sort the way S3 lists them.
//
//   M<name>                          store-level facts ("Mformat": the layout version)
//   B<bucket>                        bucket record
//   O<bucket>\0<key>                 current object record (what GET and ListObjects see)
//   D<data_id>\0<bucket>\0<key>      reverse reference: this record uses that backend data
//   reserved: V (object versions), U (multipart uploads), P (upload parts), E (erasure
//   placement per drive); see the format document for their planned shape.
//
// Bucket names and object keys must not contain a NUL byte: it separates the components, and
// it is what makes "a" sort before "a!" ... before "ab" across the separator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::meta::keys {

inline constexpr char kMeta = 'M';
inline constexpr char kBucket = 'B';
inline constexpr char kObject = 'O';
inline constexpr char kDataRef = 'D';

// The layout version stored under FormatKey(); a store refuses any other.
inline constexpr uint8_t kLayoutVersion = 1;
std::string FormatKey();

std::string BucketKey(std::string_view bucket);
std::string BucketPrefix();  // all buckets

std::string ObjectKey(std::string_view bucket, std::string_view key);
// Current-object keys of `bucket` whose object key starts with `key_prefix`.
std::string ObjectPrefix(std::string_view bucket, std::string_view key_prefix = {});

std::string DataRefKey(std::string_view data_id, std::string_view bucket, std::string_view key);
std::string DataRefPrefix(std::string_view data_id);

// The smallest string greater than every string starting with `prefix`; nullopt when there is
// none (empty, or all 0xff bytes).
std::optional<std::string> PrefixSuccessor(std::string_view prefix);

// Whether a bucket name or object key can be placed in a key (no NUL byte).
bool IsEncodable(std::string_view component);

}  // namespace stratus::meta::keys
