// What changed between two sweep runs, credential by credential (docs/sweep.md,
// "diff.jsonl"). Credentials are matched by SweepOutcome::key.
#ifndef CREDSWEEP_IO_SWEEP_SWEEP_DIFF_H_
#define CREDSWEEP_IO_SWEEP_SWEEP_DIFF_H_

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/sweep/sweep_outcome.h"
#include "io/sweep/sweep_run.h"

namespace credsweep::io {

// The expiry window of a run: credentials whose valid_until falls in
// (at, at + days) are expiring.
struct ExpiryWindow {
  UnixSeconds at = 0;
  int64_t days = 30;
  bool Contains(const std::optional<UnixSeconds>& valid_until) const {
    return valid_until && *valid_until > at && *valid_until <= at + days * 86400;
  }
};

// An entry points into the two runs' outcome vectors given to DiffRuns, which
// must outlive it (no copies: on a first run every credential is an entry).
struct DiffEntry {
  const SweepOutcome* before = nullptr;  // null for a new credential
  const SweepOutcome* after = nullptr;   // null for a vanished one
  std::array<bool, kChangeKindCount> kinds{};
  // (check, code) failing after and not failing with that code before; every
  // failing check of a new credential.
  std::vector<std::pair<CheckId, std::string>> newly_failing;

  bool is(ChangeKind k) const { return kinds[static_cast<int>(k)]; }
  // A failure tonight that was not there last night: newly failing checks, or a
  // verdict gone from verified to not verified (--require).
  bool new_failure() const { return !newly_failing.empty() || (before && after && before->verified && !after->verified); }
};

struct SweepDiff {
  // Changed credentials: those of the current run in its input order, then the
  // vanished ones in the previous run's order.
  std::vector<DiffEntry> entries;  // pointing into DiffRuns' `before` and `after`
  std::array<uint64_t, kChangeKindCount> counts{};  // credentials per kind
  uint64_t new_failures = 0;                        // entries with new_failure()
  // Keys of the current run's credentials with new_failure() (failures.csv "new").
  bool HasNewFailure(std::string_view key) const;
  std::vector<std::string> new_failure_keys;  // sorted
};

// `before`: the previous run's outcomes (empty, `previous` null, for the first
// run: every credential is then new); `after`: this run's, in input order.
// `previous_window` and `window` are the two runs' expiry windows: a credential
// is reported expiring once, by the first run whose window holds it.
SweepDiff DiffRuns(const std::vector<SweepOutcome>& before, const std::optional<ExpiryWindow>& previous_window,
                   const std::vector<SweepOutcome>& after, const ExpiryWindow& window);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_SWEEP_DIFF_H_
