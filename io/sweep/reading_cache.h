// The readings a sweep keeps in its index between runs (engine/ports.h
// ReadingCache): a record seen before, unchanged, is not parsed and its seal not
// verified again; revocation, accreditation and validity are judged every night
// (docs/sweep.md, "Incremental sweeps").
//
// Entries are kept under one namespace: a digest of the trust configuration and
// the policy (SweepReadingCache::Open), which each entry's key names. A run under
// another namespace finds none of the earlier entries. After a complete run of the
// whole corpus, entries it did not use (of records gone, or of another namespace)
// are removed.
//
// An entry is keyed by the record's source, its path made absolute and its line
// number zero-padded, so that entries lie in the order a corpus is read: a sweep reads them as it reads
// its files, a few index blocks at a time, not one random block per record. The
// value starts with the record's SHA-256; an entry is found only by the same bytes.
#ifndef CREDSWEEP_IO_SWEEP_READING_CACHE_H_
#define CREDSWEEP_IO_SWEEP_READING_CACHE_H_

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/ports.h"
#include "engine/result.h"
#include "storage/status_index.h"

namespace credsweep::io {

class SweepReadingCache final : public ReadingCache {
 public:
  // Readings larger than this are not kept (a record of several MB would make an
  // entry as large).
  static constexpr size_t kMaxEntryBytes = 64u << 10;

  // The cache in `index` (held for writing) for readings made under `namespace_digest`
  // (lowercase hex). When the last run's was another, *dropped = its entry count:
  // none of them is used. `full`:
  // Find finds nothing (every record is read again), and the entries are replaced.
  static Result<std::unique_ptr<SweepReadingCache>> Open(storage::StatusIndex* index, std::string namespace_digest,
                                                         bool full, uint64_t* dropped = nullptr);

  std::optional<std::string_view> Find(std::string_view source, std::string_view record_sha256) const override;
  void Add(std::string_view source, std::string_view record_sha256, std::string entry) const override;
  void Stale(std::string_view source) const override;

  // After the run: writes the entries still buffered and records the entry count.
  // `whole_corpus`: the run read every input completely (not a shard, not stopped
  // early, something read), so the entries of records it did not read are of
  // records gone, and are removed. A failure to write an entry during the run is
  // reported here.
  Status Finish(bool whole_corpus);

  // After Finish: when the run wrote readings for more than a quarter of those it
  // kept (and at least 50,000: the first run, --full, another build or trust
  // configuration), compacts them, so that the next run's cursors find each key
  // once rather than its old version beside the new one. A failure loses nothing.
  Status CompactIfRewritten();

  // Records whose reading came from the cache (found and still holding), and the
  // entries kept after Finish.
  uint64_t reused() const { return found_ - stale_count_; }
  uint64_t entries() const { return entries_; }

  ~SweepReadingCache() override;

 private:
  SweepReadingCache(storage::StatusIndex* index, std::string namespace_digest, bool full, uint64_t entries,
                    bool count_known);
  // Entry keys: the prefix, the first 16 hex digits of the namespace, the source
  // with its path made absolute and its line number zero-padded (AppendSortableSource).
  std::string_view key_namespace() const { return std::string_view(namespace_).substr(0, 16); }
  std::string EntryKey(std::string_view source) const;
  // Appends EntryKey(source) to *key (`source` must not view *key).
  void AppendEntryKey(std::string_view source, std::string* key) const;
  // What the run remembers of an entry key it used: 64 bits of its hash (a
  // collision keeps an unused entry one run longer).
  static uint64_t KeyHash(std::string_view entry_key);
  // Whether this run added readings for more than a quarter of the `kept` (and at
  // least kCompactAfterAdding). Under mu_.
  bool Rewritten(size_t kept) const;
  // Writes `batch` (taken from pending_ under mu_) without holding mu_.
  void Write(std::vector<std::pair<std::string, std::string>> batch) const;

  storage::StatusIndex* index_;
  const std::string namespace_;
  const bool full_;
  uint64_t entries_;  // entries stored before the run, then after it
  // The entry count stored with the state is exact (the last run finished).
  const bool count_known_;
  const std::filesystem::path cwd_;  // relative sources are keyed against it
  // Each thread's StatusIndex::MetaCursor over the entries, and the key hashes of
  // the entries it found (Finish gathers them).
  struct Cursors;
  std::unique_ptr<Cursors> cursors_;
  mutable std::mutex mu_;
  // Key hashes of the entries found (gathered by Finish), found stale, and added
  // this run. Kept after the run: those found and not stale, and those added.
  mutable std::vector<uint64_t> found_keys_, stale_keys_, added_keys_;
  bool rewritten_ = false;  // under mu_; set by Finish
  mutable std::vector<std::pair<std::string, std::string>> pending_;
  mutable size_t pending_bytes_ = 0;
  mutable std::mutex write_mu_;  // one write at a time
  mutable Status write_error_;   // under write_mu_; after one, nothing more is buffered
  mutable std::atomic<bool> failed_{false};
  mutable std::atomic<uint64_t> found_{0}, stale_count_{0};
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_READING_CACHE_H_
