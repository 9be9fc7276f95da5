// The status index: credential id -> state, on RocksDB, with every change appended
// to a hash-chained event log. Layout in docs/storage-format.md.
//
// Ids: every id given to a write or a read goes through NormalizeCredentialId
// (engine/credential_id.h) first, so `urn:uuid:` ids compare case-insensitively;
// records and events hold the normal form.
//
// Thread-safety: Lookup/History/StateAt may run concurrently with each other and
// with writes; writes (Apply, ApplyBatch) serialise on an internal mutex because
// each extends the chain. One process may hold the index for writing; others may
// open it read-only at the same time.
#ifndef CREDSWEEP_STORAGE_STATUS_INDEX_H_
#define CREDSWEEP_STORAGE_STATUS_INDEX_H_

#include <functional>
#include <memory>
#include <optional>
#include <tuple>
#include <string>
#include <vector>

#include "engine/result.h"
#include "engine/ports.h"
#include "storage/records.h"

namespace credsweep::storage {

struct OpenOptions {
  // A writer creates the index when the directory does not exist or is empty, only
  // when this is set (`credsweep init`, `--create`); readers never do.
  bool create_if_missing = false;
  bool read_only = false;
  size_t block_cache_bytes = 256u << 20;
  // Non-empty: open as a follower (a RocksDB secondary instance) of the index a
  // writer holds, keeping the follower's own files in this directory (created);
  // read-only, brought up to date by CatchUp().
  std::string follower_dir;
};

struct Change {
  std::string id;
  Operation op = Operation::kRevoke;
  CredentialState new_state = CredentialState::kRevoked;
  std::string reason;
  UnixSeconds time = 0;  // 0: now
  std::string issuer;    // recorded when non-empty (register)
  // Revocation is final: a change that would move a revoked credential to another
  // state is refused (kFailedPrecondition) unless this is set on a reinstate, which
  // then writes an `unrevoke` event (correcting a mistaken revocation).
  bool allow_unrevoke = false;
  // A revoke or suspend of an id the index has never seen is refused (NotFound,
  // "unknown credential id": most likely a typo) unless this is set; the id is then
  // recorded with this change as its first event.
  bool register_unknown = false;
};

struct AuditOptions {
  // An anchored head (`audit --expect-head`): the 32-byte `expect_hash` must be the
  // hash of event `expect_seq`, or, without a sequence, of some event in the chain.
  std::optional<std::string> expect_hash;
  std::optional<uint64_t> expect_seq;
  size_t max_reported = 1000;  // record problems listed by id; all are counted
};

struct AuditReport {
  // The chain.
  uint64_t events = 0;                   // events whose hash and link verified
  std::optional<uint64_t> first_broken;  // sequence of the first bad link
  std::string message;                   // the chain's verdict, one line
  uint64_t head_seq = 0;                 // the last verified event; 0 when none
  std::string head_hash = std::string(32, '\0');  // its hash (32 bytes)
  // The records against the chain: every state record must equal what the last
  // event of its id says (state, reason, time, sequence), every event must be
  // listed under its id and nothing else, and no two records may hold one slot.
  uint64_t records = 0;                  // state records checked
  uint64_t problem_count = 0;
  std::vector<std::string> problems;     // the first max_reported, each "'ID': what"
  std::optional<bool> anchor_found;      // set when AuditOptions::expect_hash was given

  bool ok() const { return !first_broken && problem_count == 0 && anchor_found.value_or(true); }
};

class StatusIndex final : public StatusLookup {
 public:
  // Errors: NotFound (no index and not creating), InvalidArgument (the directory
  // is not a credsweep index: a foreign RocksDB database, no schema key),
  // IoError (locked by another process, unreadable), Corruption (damage found on
  // open, including in the write-ahead log, which is never recovered past; or,
  // for writers, a chain head that is not the last event); messages name the
  // directory and say what to do.
  static Result<std::unique_ptr<StatusIndex>> Open(const std::string& dir, const OpenOptions& options);
  ~StatusIndex() override;

  Result<std::optional<StatusRecord>> Lookup(std::string_view id) const override;

  // Every status record read in one sequential scan into memory, answering Lookup
  // as the index did when the scan ran (a point in time, as a read-only open is).
  // For a run that looks up a large part of the index (a sweep of everything
  // issued): one sequential read instead of a random one per credential. Null
  // when the records (ids and values as stored) exceed `max_bytes` or
  // `max_records` (at most 2^32 - 1): the caller looks up in the index instead.
  // The records' table files are first asked for in the background (as
  // ReadAhead does for meta keys), up to `max_bytes` of them.
  Result<std::shared_ptr<const StatusLookup>> LoadSnapshot(size_t max_bytes, size_t max_records) const;

  // Applies one change; returns once it is durable (WAL synced). A change that would
  // not change the state is a no-op: no event, the record (time, reason) untouched,
  // nullopt returned; so kRegister of a known id, revoking a revoked id, reinstating
  // an active one. kReinstate of an unknown id, and kRevoke/kSuspend of one without
  // Change::register_unknown, fail (NotFound, "unknown credential id ..."); kRegister
  // and kImport record unknown ids. Any change away from kRevoked fails
  // (FailedPrecondition) unless Change::allow_unrevoke.
  Result<std::optional<Event>> Apply(const Change& change, std::string_view actor);

  // Applies changes in order as one synced write; *applied counts those that
  // produced an event (no-ops do not count), *new_ids those among them that were
  // the first event of their id. A refused change (an unknown id: NotFound;
  // un-revoking: FailedPrecondition) is skipped and reported in *skipped with its
  // position, the rest applied.
  // `meta`, when given, is a (key, value) PutMeta written atomically with the
  // batch (import progress).
  Status ApplyBatch(const std::vector<Change>& changes, std::string_view actor, size_t* applied,
                    std::vector<std::pair<size_t, Status>>* skipped = nullptr,
                    const std::pair<std::string, std::string>* meta = nullptr, size_t* new_ids = nullptr);

  Result<std::vector<Event>> History(std::string_view id) const;
  // State at time t from the event log; nullopt when the id was unknown then.
  Result<std::optional<StatusRecord>> StateAt(std::string_view id, UnixSeconds t) const;
  // Verifies the whole chain (every event's hash and link, and the head record),
  // then cross-checks every state record, the by-id listing and the slots against
  // it (AuditReport). Reads everything; a reader may run it beside a writer.
  // Errors only for I/O failures: damage is reported in the AuditReport.
  Result<AuditReport> Audit(const AuditOptions& options = {}) const;

  // Where a meta key lives. kMeta: named values the index keeps (import progress,
  // stored sweep runs). kCache: values that can be made again (a sweep's
  // readings), in a column family of their own so that the writes of the other
  // (a run's outcomes every night) never make RocksDB rewrite them; written
  // without the write-ahead log (a crash loses those written since RocksDB last
  // flushed them, which costs the next sweep time, nothing else). kOutcomes:
  // the bulk of each stored sweep run (its credentials' outcomes), written a run
  // at a time by a MetaBulkWriter. They are separate key spaces. An index made
  // before the cache or outcomes family existed gets it from its first writer;
  // until then a reader finds nothing in it.
  enum class MetaSpace { kMeta, kCache, kOutcomes };

  // Small named values (import progress); durable on return (kCache: see above).
  Result<std::optional<std::string>> GetMeta(std::string_view key, MetaSpace space = MetaSpace::kMeta) const;
  Status PutMeta(std::string_view key, std::string_view value, MetaSpace space = MetaSpace::kMeta);
  // Puts and deletes of meta keys as one synced write (kCache: unlogged): every
  // put (key, value) and every delete, or none. Writers only.
  Status WriteMeta(const std::vector<std::pair<std::string, std::string>>& puts,
                   const std::vector<std::string>& deletes = {}, MetaSpace space = MetaSpace::kMeta);
  // Asks the operating system to read, in the background and in key order, the
  // table files that hold `space`'s keys starting with `prefix` (their whole
  // files), up to `max_bytes` of them and never more than ReadAheadAllowance()
  // (storage/read_ahead.h) at the time: a scan of those keys that follows finds
  // its blocks in memory instead of waiting on the disk for each one. That is
  // what a nightly sweep meets: an index last read a day ago is out of the page
  // cache, and a scan through it reads one block at a time. Only a hint: returns
  // the bytes asked for; a file that cannot be opened (compacted away meanwhile)
  // is passed over.
  uint64_t ReadAhead(std::string_view prefix, MetaSpace space, uint64_t max_bytes) const;

  // Deletes every meta key starting with `prefix` (non-empty); one synced write.
  // In kOutcomes, table files holding only such keys are dropped whole first.
  Status DeleteMetaPrefix(std::string_view prefix, MetaSpace space = MetaSpace::kMeta);
  // Writes many meta keys at once as one table file that the index takes in whole
  // (RocksDB's external file ingestion): no write-ahead log, no memtable, and in a
  // space whose new keys sort after all the others (a sweep's outcomes, by run
  // number) the file goes straight to the last level, never to be rewritten.
  // Keys are added in strictly ascending order. Nothing is visible before Finish,
  // which makes every key visible and durable at once; a writer destroyed
  // without Finish leaves nothing behind. Writers only; one at a time per space.
  class MetaBulkWriter {
   public:
    virtual ~MetaBulkWriter() = default;
    virtual Status Add(std::string_view key, std::string_view value) = 0;
    virtual Status Finish() = 0;
  };
  Result<std::unique_ptr<MetaBulkWriter>> NewMetaBulkWriter(MetaSpace space);
  // Reads meta values for keys asked in mostly ascending order (a sweep's
  // readings, asked in corpus order): it steps forward through the keys instead
  // of looking each one up, reading each block once. It sees the index as it was
  // when made. One per thread; it must not outlive the index.
  class MetaCursor {
   public:
    virtual ~MetaCursor() = default;
    // The value stored under `key` (as GetMeta), valid until the next call.
    virtual Result<std::optional<std::string_view>> Get(std::string_view key) = 0;
  };
  std::unique_ptr<MetaCursor> NewMetaCursor(MetaSpace space = MetaSpace::kMeta) const;
  // Calls fn(key, value) for every meta key starting with `prefix`, in key order,
  // until fn returns false. Keys are given without the internal "user:" prefix.
  Status ForEachMeta(std::string_view prefix, const std::function<bool(std::string_view, std::string_view)>& fn,
                     MetaSpace space = MetaSpace::kMeta) const;

  // Publishing: every id with its record, and slot assignment (no event: a slot is
  // not a status change).
  Status ForEach(const std::function<void(std::string_view, const StatusRecord&)>& fn) const;
  Status AssignSlots(const std::vector<std::tuple<std::string, std::string, uint64_t>>& slots);

  // Cache of fetched status list credentials (verify --db with --online).
  struct CachedList {
    std::string document;
    UnixSeconds fetched_at = 0;
  };
  Result<std::optional<CachedList>> GetCachedList(std::string_view url) const;
  Status PutCachedList(std::string_view url, std::string_view document, UnixSeconds fetched_at);
  bool read_only() const;

  // Rewrites the status records into one sorted run (after a bulk import), so a
  // lookup touches one file. Writers only.
  Status Compact();
  // Rewrites one meta space into sorted files without the versions written over
  // (a sweep's readings after a run that replaced most of them). Writers only.
  Status CompactMeta(MetaSpace space);
  // RocksDB's view of the status records (for `credsweep compact` reports).
  std::string DescribeLevels() const;

  uint64_t last_sequence() const;
  // A follower (OpenOptions::follower_dir): reads what the writer has made durable
  // since the last call. *changed_ids (may be null) receives the ids of the events
  // that arrived, in order, so a cache in front of the index can drop them.
  // InvalidArgument on an index that is not a follower.
  Status CatchUp(std::vector<std::string>* changed_ids);
  uint64_t ApproximateCount() const;

 private:
  struct Impl;
  explicit StatusIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Opens for a command that only reads: the index must exist; works while another
// process holds it for writing.
Result<std::unique_ptr<StatusIndex>> OpenForReading(const std::string& dir);
// Opens for a command that writes: the index must exist (NotFound naming `dir`
// otherwise), so a mistyped directory is never taken for a new, empty index.
Result<std::unique_ptr<StatusIndex>> OpenForWriting(const std::string& dir);
// Opens for writing, first creating an empty index when `dir` does not exist or is
// an empty directory (`credsweep init`, `--create`). *created, when given, says
// whether it did. A non-empty directory that is not an index is refused.
Result<std::unique_ptr<StatusIndex>> CreateOrOpenForWriting(const std::string& dir, bool* created = nullptr);

}  // namespace credsweep::storage

#endif  // CREDSWEEP_STORAGE_STATUS_INDEX_H_
