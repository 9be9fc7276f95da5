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

  Outcome outcome(CheckId c) const { return outcomes[static_cast<int>(c)]; }
  const std::string& code(CheckId c) const { return codes[static_cast<int>(c)]; }
  bool fails(CheckId c) const { return outcome(c) == Outcome::kFail; }
};

// The outcome of `r` (its verdict `verified`) under `key`.
SweepOutcome MakeSweepOutcome(const VerificationResult& r, bool verified, std::string key);

// The stored form (docs/sweep.md): appended to *out / read from the front of *in.
// Decode returns false (and leaves *in unspecified) on damaged input.
void EncodeSweepOutcome(const SweepOutcome& o, std::string* out);
bool DecodeSweepOutcome(std::string_view* in, SweepOutcome* o);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_SWEEP_OUTCOME_H_
