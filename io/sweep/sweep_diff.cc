#include "io/sweep/sweep_diff.h"

#include <algorithm>
#include <string_view>
#include <functional>
#include <optional>
#include <vector>

#include "engine/hash_slots.h"

namespace credsweep::io {
namespace {

bool HasCode(const SweepOutcome& o, CheckId c, std::string_view code) { return o.fails(c) && o.code(c) == code; }

// Fills entry->kinds and newly_failing from before/after; true when anything changed.
bool Compare(const SweepOutcome* before, const SweepOutcome& after, const std::optional<ExpiryWindow>& previous_window,
             const ExpiryWindow& window, DiffEntry* e) {
  auto set = [&](ChangeKind k) { e->kinds[static_cast<int>(k)] = true; };
  if (!before) set(ChangeKind::kNew);
  for (int i = 0; i < kCheckCount; ++i) {
    auto c = static_cast<CheckId>(i);
    if (after.fails(c) && !(before && HasCode(*before, c, after.code(c)))) e->newly_failing.emplace_back(c, after.code(c));
  }
  if (!e->newly_failing.empty()) set(ChangeKind::kNewlyFailing);
  if (before) {
    // New credentials are reported as new (with their failing checks), not as
    // newly revoked or expired: there was no "before" for them to change from.
    if (HasCode(after, CheckId::kRevocation, "revoked") && !HasCode(*before, CheckId::kRevocation, "revoked")) {
      set(ChangeKind::kNewlyRevoked);
    }
    if (HasCode(after, CheckId::kRevocation, "suspended") && !HasCode(*before, CheckId::kRevocation, "suspended")) {
      set(ChangeKind::kNewlySuspended);
    }
    if (HasCode(after, CheckId::kValidity, "expired") && !HasCode(*before, CheckId::kValidity, "expired")) {
      set(ChangeKind::kNewlyExpired);
    }
    if (!before->verified && after.verified) set(ChangeKind::kRecovered);
  }
  const bool was_expiring = before && previous_window && before->valid_until == after.valid_until &&
                            previous_window->Contains(before->valid_until);
  if (!after.fails(CheckId::kValidity) && window.Contains(after.valid_until) && !was_expiring) {
    set(ChangeKind::kExpiring);
  }
  return std::any_of(e->kinds.begin(), e->kinds.end(), [](bool b) { return b; }) ||
         (before && before->verified && !after.verified);
}

// The outcomes of a run by key (a run's keys are distinct: SweepKeys). A run of
// 2^32 - 1 outcomes or more (over a TB of memory) is beyond it.
class KeyTable {
 public:
  static constexpr size_t kNone = ~size_t{0};

  explicit KeyTable(const std::vector<SweepOutcome>& outcomes) : outcomes_(outcomes) {
    slots_.Reset(outcomes.size());
    for (size_t i = 0; i < outcomes.size(); ++i) slots_.Insert(Hash(outcomes[i].key()), static_cast<uint32_t>(i));
  }

  // The position of the outcome keyed `key` (the first, should a key repeat), or kNone.
  size_t Find(std::string_view key) const {
    const uint32_t found =
        slots_.Find(Hash(key), [&](uint32_t i) { return outcomes_[i].key() == key; });
    return found == HashSlots::kNone ? kNone : found;
  }

 private:
  static uint64_t Hash(std::string_view key) { return std::hash<std::string_view>()(key); }

  const std::vector<SweepOutcome>& outcomes_;
  HashSlots slots_;
};

}  // namespace

bool SweepDiff::HasNewFailure(std::string_view key) const {
  return std::binary_search(new_failure_keys.begin(), new_failure_keys.end(), key);
}

SweepDiff DiffRuns(const std::vector<SweepOutcome>& before, const std::optional<ExpiryWindow>& previous_window,
                   const std::vector<SweepOutcome>& after, const ExpiryWindow& window) {
  SweepDiff diff;
  // A corpus is read in the same order every night: each credential is most
  // likely the one after the previous one's match, which is checked first. Only
  // a credential out of that order (new, or after one vanished or moved) is
  // looked up by key, in a table made at the first such credential.
  std::optional<KeyTable> by_key;
  size_t expected = 0;  // the position in `before` that matching goes on from
  std::vector<bool> seen(before.size());
  for (const SweepOutcome& o : after) {
    const SweepOutcome* prev = nullptr;
    size_t i = KeyTable::kNone;
    if (expected < before.size() && before[expected].key() == o.key()) {
      i = expected;
    } else {
      if (!by_key) by_key.emplace(before);
      i = by_key->Find(o.key());
    }
    if (i != KeyTable::kNone) {
      prev = &before[i];
      seen[i] = true;
      expected = i + 1;
    }
    DiffEntry e;
    if (!Compare(prev, o, previous_window, window, &e)) continue;
    e.before = prev;
    e.after = &o;
    diff.entries.push_back(std::move(e));
  }
  for (size_t i = 0; i < before.size(); ++i) {
    if (seen[i]) continue;
    DiffEntry e;
    e.before = &before[i];
    e.kinds[static_cast<int>(ChangeKind::kVanished)] = true;
    diff.entries.push_back(std::move(e));
  }
  for (const DiffEntry& e : diff.entries) {
    for (int k = 0; k < kChangeKindCount; ++k) diff.counts[k] += e.kinds[k];
    if (e.new_failure()) {
      ++diff.new_failures;
      diff.new_failure_keys.emplace_back(e.after->key());
    }
  }
  std::sort(diff.new_failure_keys.begin(), diff.new_failure_keys.end());
  return diff;
}

}  // namespace credsweep::io
