// The readings a sweep keeps in its index between runs (engine/ports.h
// ReadingCache): a record seen before, unchanged, is not parsed and its seal not
// verified again; revocation, accreditation and validity are judged every night
// (docs/sweep.md, "Incremental sweeps").
//
// Entries are kept under one namespace: a digest of the trust configuration and
// the policy (SweepReadingCache::Open). A run under another namespace empties the
// cache first. After a run, entries of records the run did not read are removed.
#ifndef CREDSWEEP_IO_SWEEP_READING_CACHE_H_
#define CREDSWEEP_IO_SWEEP_READING_CACHE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/ports.h"
#include "engine/result.h"
#include "storage/status_index.h"

namespace credsweep::io {

class SweepReadingCache final : public ReadingCache {
 public:
  // The cache in `index` (held for writing) for readings made under `namespace_digest`.
  // A cache of another namespace is emptied (*dropped = its entry count). `full`:
  // Find finds nothing (every record is read again), and the entries are replaced.
  static Result<std::unique_ptr<SweepReadingCache>> Open(storage::StatusIndex* index, std::string namespace_digest,
                                                         bool full, uint64_t* dropped = nullptr);

  std::optional<std::string> Find(std::string_view record_sha256) const override;
  void Add(std::string_view record_sha256, std::string entry) const override;
  void Stale(std::string_view record_sha256) const override;

  // After the run: writes the entries still buffered, removes those of records the
  // run did not read, and records the namespace and the entry count. A failure to
  // write an entry during the run is reported here.
  Status Finish();

  // Records whose reading came from the cache (found and still holding), and
  // readings stored by this run.
  uint64_t reused() const { return found_ - stale_; }
  uint64_t stored() const { return added_; }
  uint64_t entries() const { return entries_; }

 private:
  SweepReadingCache(storage::StatusIndex* index, std::string namespace_digest, bool full, uint64_t entries)
      : index_(index), namespace_(std::move(namespace_digest)), full_(full), entries_(entries) {}
  Status WritePending() const;  // mu_ held

  storage::StatusIndex* index_;
  const std::string namespace_;
  const bool full_;
  uint64_t entries_;  // entries stored before the run, then after it
  mutable std::mutex mu_;
  // Digests whose entry is kept: found and used, or added this run.
  mutable std::unordered_set<std::string> touched_;
  mutable std::vector<std::pair<std::string, std::string>> pending_;
  mutable uint64_t found_distinct_ = 0;  // digests found (first time each)
  mutable Status write_error_;
  mutable std::atomic<uint64_t> found_{0}, stale_{0}, added_{0};
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_READING_CACHE_H_
