// libFuzzer target for reading a record without verifying it (engine/credential_reader.h):
// envelope detection, compact JWS splitting, JWT claims, the credential model and the
// format check, as `credsweep import --register` and the status-list server use them.
// Contract: never crashes or throws; a record without a problem has a payload, and
// SplitCompactJws' parts are views into the input that rebuild it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/credential_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  credsweep::ReadLimits limits;
  limits.max_record_bytes = 1u << 20;
  limits.max_json_depth = 64;
  credsweep::UnverifiedCredential read = credsweep::ReadUnverifiedCredential(in, limits);
  if (read.problem.ok() && read.payload_json.empty()) std::abort();
  if (auto parts = credsweep::SplitCompactJws(in)) {
    std::string joined = std::string(parts->header64) + "." + std::string(parts->payload64) + "." +
                         std::string(parts->signature64);
    if (joined != in) std::abort();
    if (parts->signing_input.size() != parts->header64.size() + 1 + parts->payload64.size()) std::abort();
  }
  return 0;
}
