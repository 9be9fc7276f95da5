// One credential's outcome in a sweep, in the compact form a sweep stores for each
// credential of each run (docs/sweep.md, "Stored runs"), and what the diff and the
// reports read back.
//
// Memory: a SweepOutcome holds its key, id, source and issuer as strings and five
// codes (short strings, inside the small-string buffer): about 330 bytes plus heap
// copies of key, id, source and issuer when longer than 15 bytes. A sweep holds two
// per credential (docs/sweep.md, "Memory").
#ifndef CREDSWEEP_IO_SWEEP_SWEEP_OUTCOME_H_
#define CREDSWEEP_IO_SWEEP_SWEEP_OUTCOME_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/string_arena.h"
#include "engine/verification_result.h"

namespace credsweep::io {

struct SweepOutcome {
  // What identifies the credential from one run to the next: its id; for a record
  // without an id, or a later record repeating an id already seen in the run,
  // "source:" followed by its source.
  std::string key;
  std::string id, source, issuer;  // empty when unknown
  bool verified = false;
  std::array<Outcome, kCheckCount> outcomes{};
  std::array<std::string, kCheckCount> codes;
  std::optional<UnixSeconds> valid_until;
  uint64_t position = 0;  // its record's Record::position (0 in runs stored before it was kept)

  Outcome outcome(CheckId c) const { return outcomes[static_cast<int>(c)]; }
  const std::string& code(CheckId c) const { return codes[static_cast<int>(c)]; }
  bool fails(CheckId c) const { return outcome(c) == Outcome::kFail; }
};

// Gives each credential of a run its SweepOutcome::key, in input order: a
// credential id's first record keeps the id, a record without an id or repeating
// one already seen is keyed "source:" + its source.
//
// Holds a copy of each distinct id (in large chunks) and an open-addressing table
// of views into them: about 16 bytes of table per id besides its bytes.
class SweepKeys {
 public:
  SweepKeys() = default;
  SweepKeys(const SweepKeys&) = delete;
  SweepKeys& operator=(const SweepKeys&) = delete;

  std::string KeyFor(const std::string& id, const std::string& source) {
    return !id.empty() && Insert(id) ? id : "source:" + source;
  }

 private:
  // True when `id` was not seen before (it is then remembered).
  bool Insert(std::string_view id);

  StringArena ids_;
  std::vector<std::string_view> slots_;  // empty view: a free slot
  size_t count_ = 0;
};

// The outcome of `r` (its verdict `verified`, its record's `position`) under `key`.
SweepOutcome MakeSweepOutcome(const VerificationResult& r, bool verified, std::string key, uint64_t position);

// The stored form (docs/sweep.md): appended to *out / read from the front of *in.
// Decode returns false (and leaves *in unspecified) on damaged input. Within a
// chunk each outcome may store its source as the part that differs from the
// previous outcome's: pass that outcome's source as `previous_source` to both
// (null for a chunk's first).
void EncodeSweepOutcome(const SweepOutcome& o, std::string* out, const std::string* previous_source = nullptr);
bool DecodeSweepOutcome(std::string_view* in, SweepOutcome* o, const std::string* previous_source = nullptr);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_SWEEP_OUTCOME_H_
