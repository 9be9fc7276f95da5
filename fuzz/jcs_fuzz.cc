// libFuzzer target for the JSON Canonicalization Scheme (engine/jcs.h), the text Data
// Integrity's *-jcs-* cryptosuites hash. Invariants: canonicalisation is idempotent
// (the canonical form of a canonical text is itself), and Es6NumberToString of any
// finite double reads back as the same double.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/jcs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto canon = credsweep::JcsCanonicalize(in);
  if (canon.ok()) {
    auto again = credsweep::JcsCanonicalize(*canon);
    if (!again.ok() || *again != *canon) std::abort();
  }
  if (size >= sizeof(double)) {
    double d;
    std::memcpy(&d, data, sizeof d);
    if (std::isfinite(d)) {
      std::string text = credsweep::Es6NumberToString(d);
      double back = std::strtod(text.c_str(), nullptr);
      if (back != d) std::abort();
    }
  }
  return 0;
}
