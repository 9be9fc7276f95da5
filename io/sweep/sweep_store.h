// Sweep runs kept in the status index (docs/sweep.md, "Stored runs"):
//   sweep:run:ID              the run's summary.json (meta space)
//   sweep:outcomes:ID:CHUNK   up to kOutcomesPerChunk SweepOutcomes, in input order
//                             (outcomes space, one bulk-written file per run; meta
//                             in indexes written before that space existed)
// ID and CHUNK are zero-padded decimals (20 and 10 digits), so key order is run
// order. A run's outcome chunks are written first and its run record last: a run
// that was cut off has no record and is not listed (its chunks are removed when
// the id is reused or the runs are pruned).
//
// Not thread-safe; the sweep lock (SweepLock) keeps other sweeps away.
#ifndef CREDSWEEP_IO_SWEEP_SWEEP_STORE_H_
#define CREDSWEEP_IO_SWEEP_SWEEP_STORE_H_

#include <functional>
#include <optional>
#include <vector>

#include "engine/result.h"
#include "io/sweep/sweep_outcome.h"
#include "io/sweep/sweep_run.h"
#include "storage/status_index.h"

namespace credsweep::io {

class SweepStore {
 public:
  static constexpr size_t kOutcomesPerChunk = 4096;

  // `index` must outlive the store; writes need it open for writing.
  explicit SweepStore(storage::StatusIndex* index) : index_(index) {}

  // Every stored run, oldest first. Corruption for a damaged run record.
  Result<std::vector<SweepRun>> ListRuns() const;
  Result<std::optional<SweepRun>> LoadRun(uint64_t id) const;
  // The next run's id: one past the highest stored (1 for the first).
  Result<uint64_t> NextRunId() const;
  // Calls fn with each outcome of run `id`, in input order.
  Status ForEachOutcome(uint64_t id, const std::function<void(SweepOutcome&&)>& fn) const;
  // Stores `run` (its id set) with its outcomes; synced. Chunks left under the id
  // by an earlier cut-off attempt are removed first.
  Status SaveRun(const SweepRun& run, const std::vector<SweepOutcome>& outcomes);
  // SaveRun in two steps, so that the outcomes can be written while the run's
  // record is still being made (its diff counts): the outcomes of run `id`, then
  // the run record, which makes the run exist.
  Status SaveOutcomes(uint64_t id, const std::vector<SweepOutcome>& outcomes);
  Status SaveRunRecord(const SweepRun& run);
  // Removes every run but the newest `keep` of each shard (SweepRun::shard; keep
  // >= 1); *removed counts them.
  Status Prune(size_t keep, size_t* removed);

 private:
  // The outcome chunks of run `id`, wherever they are stored.
  Status DeleteOutcomes(uint64_t id);

  storage::StatusIndex* index_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_SWEEP_STORE_H_
