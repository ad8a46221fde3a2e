#include "bench/operation.h"

namespace stratus::bench {

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kPutObject:
      return "PutObject";
    case Op::kGetObject:
      return "GetObject";
    case Op::kHeadObject:
      return "HeadObject";
    case Op::kListObjectsV2:
      return "ListObjectsV2";
    case Op::kDeleteObject:
      return "DeleteObject";
    case Op::kMultipartUpload:
      return "MultipartUpload";
  }
  return "?";
}

std::optional<Op> ParseOpName(std::string_view name) {
  if (name == "put") return Op::kPutObject;
  if (name == "get") return Op::kGetObject;
  if (name == "head" || name == "stat") return Op::kHeadObject;
  if (name == "list") return Op::kListObjectsV2;
  if (name == "delete") return Op::kDeleteObject;
  if (name == "multipart") return Op::kMultipartUpload;
  return std::nullopt;
}

bool ReadsPreparedObjects(Op op) {
  return op == Op::kGetObject || op == Op::kHeadObject || op == Op::kListObjectsV2 ||
         op == Op::kDeleteObject;
}

}  // namespace stratus::bench
