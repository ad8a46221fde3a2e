// The S3 operations the load generator issues, with their command-line names ("put", "stat")
// and the AWS names the reports use ("PutObject", "HeadObject"). Pure and thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace stratus::bench {

enum class Op {
  kPutObject,
  kGetObject,
  kHeadObject,
  kListObjectsV2,
  kDeleteObject,
  kMultipartUpload,  // CreateMultipartUpload, UploadPart..., CompleteMultipartUpload
};

inline constexpr size_t kOpCount = 6;
inline constexpr std::array<Op, kOpCount> kAllOps = {Op::kPutObject,    Op::kGetObject,
                                                     Op::kHeadObject,   Op::kListObjectsV2,
                                                     Op::kDeleteObject, Op::kMultipartUpload};

// "PutObject", "GetObject", ..., "MultipartUpload".
std::string_view OpName(Op op);

// The command-line name: put, get, head (also "stat", as warp calls it), list, delete,
// multipart. nullopt for anything else.
std::optional<Op> ParseOpName(std::string_view name);

// Whether the operation reads objects that the prepare phase must create first.
bool ReadsPreparedObjects(Op op);

}  // namespace stratus::bench
