#include "common/status.h"

#include <array>

namespace stratus {
namespace {

struct ErrorInfo {
  std::string_view name;
  int http_status;
  std::string_view message;
};

constexpr std::array kErrors = {
    ErrorInfo{"OK", 200, ""},
#define S3_ERROR(name, status, message) ErrorInfo{#name, status, message},
#include "s3/errors.def"
#undef S3_ERROR
};

const ErrorInfo& Info(ErrorCode code) { return kErrors.at(static_cast<size_t>(code)); }

}  // namespace

std::string_view ErrorName(ErrorCode code) { return Info(code).name; }
int ErrorHttpStatus(ErrorCode code) { return Info(code).http_status; }
std::string_view ErrorDefaultMessage(ErrorCode code) { return Info(code).message; }

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(ErrorName(code_));
  out += ": ";
  out += message();
  return out;
}

}  // namespace stratus
