// Status and Result<T>: how every layer reports failure without exceptions.
//
// A Status carries one code from the S3 error table (src/s3/errors.def) and a message. Lower
// layers that fail for reasons a client cannot fix (I/O, corruption) use kInternalError with a
// message for the log; a full worker pool uses kSlowDown. Absence is not an error: lookups
// return Result<std::optional<T>> and the handler decides NoSuchKey / NoSuchBucket / ....
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace stratus {

enum class ErrorCode {
  kOk = 0,
#define S3_ERROR(name, status, message) k##name,
#include "s3/errors.def"
#undef S3_ERROR
};

// The S3 wire name ("NoSuchKey"), HTTP status and default message of a code.
std::string_view ErrorName(ErrorCode code);
int ErrorHttpStatus(ErrorCode code);
std::string_view ErrorDefaultMessage(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  explicit Status(ErrorCode code) : code_(code) {}

  static Status Ok() { return {}; }
  // An unexpected failure below the S3 layer (I/O, RocksDB, a broken invariant of input).
  static Status Internal(std::string message) {
    return {ErrorCode::kInternalError, std::move(message)};
  }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  // The message for the client: the explicit one, or the table's default.
  std::string_view message() const {
    return message_.empty() ? ErrorDefaultMessage(code_) : std::string_view(message_);
  }
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

template <typename T>
using Result = std::expected<T, Status>;

// Makes an error Result from a Status: `return Error(ErrorCode::kNoSuchKey);`.
inline std::unexpected<Status> Error(Status status) { return std::unexpected(std::move(status)); }
inline std::unexpected<Status> Error(ErrorCode code, std::string message = {}) {
  return std::unexpected(Status(code, std::move(message)));
}

namespace internal {
inline Status ToStatus(Status s) { return s; }
template <typename T>
Status ToStatus(const Result<T>& r) {
  return r ? Status() : r.error();
}
}  // namespace internal

}  // namespace stratus

#define STRATUS_CONCAT_INNER(a, b) a##b
#define STRATUS_CONCAT(a, b) STRATUS_CONCAT_INNER(a, b)

// Returns from the enclosing function (whose return type is Status or Result<T>) on error.
#define RETURN_IF_ERROR(expr)                                             \
  do {                                                                    \
    ::stratus::Status _st = ::stratus::internal::ToStatus((expr));        \
    if (!_st.ok()) return ::stratus::internal::Propagate(std::move(_st)); \
  } while (0)

// ASSIGN_OR_RETURN(T var, ResultExpr): evaluates a Result<T>, returns its error or binds var.
#define ASSIGN_OR_RETURN(decl, expr) \
  ASSIGN_OR_RETURN_IMPL(STRATUS_CONCAT(_result_, __LINE__), decl, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, decl, expr)                             \
  auto tmp = (expr);                                                       \
  if (!tmp) return ::stratus::internal::Propagate(std::move(tmp).error()); \
  decl = std::move(tmp).value()

namespace stratus::internal {
// Converts to either Status or std::unexpected<Status>, whichever the function returns.
struct Propagated {
  Status status;
  operator Status() && { return std::move(status); }  // NOLINT(google-explicit-constructor)
  template <typename T>
  operator Result<T>() && {  // NOLINT(google-explicit-constructor)
    return std::unexpected(std::move(status));
  }
};
inline Propagated Propagate(Status s) { return Propagated{std::move(s)}; }
}  // namespace stratus::internal
