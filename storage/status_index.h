// The status index: credential id -> state, on RocksDB, with every change appended
// to a hash-chained event log. Layout in docs/storage-format.md.
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
#include "engine/status.h"
#include "storage/records.h"

namespace credsweep::storage {

struct OpenOptions {
  // Writers create the index when the directory does not exist; readers never do.
  bool create_if_missing = false;
  bool read_only = false;
  size_t block_cache_bytes = 256u << 20;
};

struct Change {
  std::string id;
  Operation op = Operation::kRevoke;
  CredentialState new_state = CredentialState::kRevoked;
  std::string reason;
  UnixSeconds time = 0;  // 0: now
  std::string issuer;    // recorded when non-empty (register)
};

struct AuditReport {
  uint64_t events = 0;
  std::optional<uint64_t> first_broken;  // sequence of the first bad link
  std::string message;
};

class StatusIndex final : public StatusLookup {
 public:
  // Errors: NotFound (no index and not creating), IoError (locked by another
  // process, unreadable), Corruption; messages name the directory.
  static Result<std::unique_ptr<StatusIndex>> Open(const std::string& dir, const OpenOptions& options);
  ~StatusIndex() override;

  Result<std::optional<StatusRecord>> Lookup(std::string_view id) const override;

  // Applies one change; returns once it is durable (WAL synced). kRegister leaves an
  // already known id untouched (no event); kReinstate of an unknown id fails.
  Result<std::optional<Event>> Apply(const Change& change, std::string_view actor);

  // Applies changes in order as one synced write; *applied counts those that
  // produced an event. An invalid change (reinstate of an unknown id) is skipped and
  // reported in *skipped with its position, the rest applied.
  // `meta`, when given, is a (key, value) PutMeta written atomically with the
  // batch (import progress).
  Status ApplyBatch(const std::vector<Change>& changes, std::string_view actor, size_t* applied,
                    std::vector<std::pair<size_t, std::string>>* skipped = nullptr,
                    const std::pair<std::string, std::string>* meta = nullptr);

  Result<std::vector<Event>> History(std::string_view id) const;
  // State at time t from the event log; nullopt when the id was unknown then.
  Result<std::optional<StatusRecord>> StateAt(std::string_view id, UnixSeconds t) const;
  // Verifies the whole chain: every event's hash and link, and the head record.
  Result<AuditReport> Audit() const;

  // Small named values (import progress); durable on return.
  Result<std::optional<std::string>> GetMeta(std::string_view key) const;
  Status PutMeta(std::string_view key, std::string_view value);

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
  // RocksDB's view of the status records (for `credsweep compact` reports).
  std::string DescribeLevels() const;

  uint64_t last_sequence() const;
  uint64_t ApproximateCount() const;

 private:
  struct Impl;
  explicit StatusIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Opens for a command that only reads: the index must exist; works while another
// process holds it for writing.
Result<std::unique_ptr<StatusIndex>> OpenForReading(const std::string& dir);
// Opens for a command that writes: created when missing.
Result<std::unique_ptr<StatusIndex>> OpenForWriting(const std::string& dir);

}  // namespace credsweep::storage

#endif  // CREDSWEEP_STORAGE_STATUS_INDEX_H_
