#include "engine/result.h"

namespace credsweep {

std::string Status::ToString() const {
  const char* name = "ok";
  switch (code_) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: name = "invalid argument"; break;
    case StatusCode::kNotFound: name = "not found"; break;
    case StatusCode::kIoError: name = "I/O error"; break;
    case StatusCode::kCorruption: name = "corruption"; break;
    case StatusCode::kUnsupported: name = "unsupported"; break;
    case StatusCode::kFailedPrecondition: name = "refused"; break;
    case StatusCode::kInternal: name = "internal error"; break;
  }
  return std::string(name) + ": " + message_;
}

}  // namespace credsweep
