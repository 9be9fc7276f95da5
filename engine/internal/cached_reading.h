// A record's reading as a ReadingCache keeps it (engine/ports.h): the format and
// seal results, the seal's level and details, the parsed credential the other
// checks and the result line read, and the verification times the seal verdict
// holds for. The encoding is the engine's own (docs/sweep.md, "Incremental
// sweeps"); its first byte is a version, and an entry of another version reads as
// no entry.
#ifndef CREDSWEEP_ENGINE_INTERNAL_CACHED_READING_H_
#define CREDSWEEP_ENGINE_INTERNAL_CACHED_READING_H_

#include <string>
#include <string_view>

#include "engine/checks/format.h"
#include "engine/checks/verdict_window.h"
#include "engine/verification_result.h"

namespace credsweep::internal {

struct CachedReading {
  CheckResult format;
  CheckResult seal;  // empty code: the record had nothing to seal
  std::string seal_level;
  SealDetails seal_details;
  checks::ParsedCredential cred;
  checks::VerdictWindow window;  // never `varies`: such readings are not kept
};

inline constexpr uint8_t kCachedReadingVersion = 2;

// The parts of a reading, borrowed: what a verification has in hand is encoded
// without a copy.
struct CachedReadingView {
  const CheckResult& format;
  const CheckResult& seal;
  const std::string& seal_level;
  const SealDetails& seal_details;
  const checks::ParsedCredential& cred;
  const checks::VerdictWindow& window;
};

std::string EncodeCachedReading(const CachedReadingView& r);
inline std::string EncodeCachedReading(const CachedReading& r) {
  return EncodeCachedReading(CachedReadingView{r.format, r.seal, r.seal_level, r.seal_details, r.cred, r.window});
}
// Where a decoded reading goes: the parts of a reading being made.
struct CachedReadingTarget {
  CheckResult* format;
  CheckResult* seal;
  std::string* seal_level;
  SealDetails* seal_details;
  checks::ParsedCredential* cred;
  checks::VerdictWindow* window;
};

// False for damaged input or another version; the targets are then unspecified.
// Each target is assigned in full.
bool DecodeCachedReading(std::string_view in, const CachedReadingTarget& out);
inline bool DecodeCachedReading(std::string_view in, CachedReading* out) {
  return DecodeCachedReading(in, {&out->format, &out->seal, &out->seal_level, &out->seal_details, &out->cred, &out->window});
}

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_CACHED_READING_H_
