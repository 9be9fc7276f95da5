// Status and Result<T>: credsweep's one error vocabulary for operational failures.
//
// A verdict is not an error: a forged, revoked or expired credential is a
// VerificationResult (see check.h). Status is for things that stop an operation:
// unreadable files, bad configuration, a corrupt store.
#ifndef CREDSWEEP_ENGINE_RESULT_H_
#define CREDSWEEP_ENGINE_RESULT_H_

#include <string>
#include <utility>
#include <variant>

namespace credsweep {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad input or configuration given by the caller
  kNotFound,         // a named file, key or record does not exist
  kIoError,          // the operating system refused a read or write
  kCorruption,       // stored or supplied data is damaged
  kUnsupported,      // well-formed, but not something credsweep handles
  kFailedPrecondition,  // well-formed, but the current state forbids it (e.g. un-revoking)
  kInternal,         // a bug or an unexpected library failure
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
inline Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Holds either a value or a non-OK Status. Accessing value() of an error is a bug.
// A Result is never built from an OK Status: one that is holds kInternal instead
// (as Abseil's StatusOr does), so the mistake surfaces as an error, not as a value
// that is not there.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status)                      // NOLINT: implicit by design
      : v_(status.ok() ? Internal("Result built from an OK status (a bug)") : std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_RESULT_H_
