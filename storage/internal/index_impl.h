// Private to storage/: the state StatusIndex keeps behind its pimpl, shared by
// status_index.cc (open, writes, reads) and status_audit.cc (audit).
#ifndef CREDSWEEP_STORAGE_INTERNAL_INDEX_IMPL_H_
#define CREDSWEEP_STORAGE_INTERNAL_INDEX_IMPL_H_

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/status_index.h"

namespace credsweep::storage::internal {

inline constexpr const char* kStatusCf = "status";
inline constexpr const char* kEventsCf = "events";
inline constexpr const char* kByIdCf = "by_id";
inline constexpr const char* kMetaCf = "meta";
inline constexpr const char* kListsCf = "lists";
// Not required to open an index: made by its first writer (StatusIndex::MetaSpace::kCache).
inline constexpr const char* kCacheCf = "cache";
// Not required either: made by its first writer (StatusIndex::MetaSpace::kOutcomes).
inline constexpr const char* kOutcomesCf = "outcomes";
inline constexpr const char* kHeadKey = "head";  // fixed64 last seq + 32-byte hash
inline constexpr const char* kSchemaKey = "schema";
inline constexpr const char* kSchemaValue = "credsweep-status-index 1";

// rocksdb::Status stays in storage/: translated where it enters.
Status Translate(const rocksdb::Status& s, const std::string& what);

// `by_id` key: length-prefixed id, then the big-endian sequence.
std::string ByIdKey(std::string_view id, uint64_t seq);
std::string ByIdPrefix(std::string_view id);

struct IndexState {
  std::string dir;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::ColumnFamilyHandle *status = nullptr, *events = nullptr, *by_id = nullptr, *meta = nullptr,
                              *lists = nullptr;
  rocksdb::ColumnFamilyHandle* cache = nullptr;     // null: an older index opened for reading
  rocksdb::ColumnFamilyHandle* outcomes = nullptr;  // likewise
  bool read_only = false;
  bool follower = false;  // a RocksDB secondary instance (OpenOptions::follower_dir)
  mutable std::mutex write_mu;  // extends the chain
  uint64_t head_seq = 0;        // guarded by write_mu
  std::string head_hash = std::string(32, '\0');

  ~IndexState();

  // The column family of a meta space; null for kCache and kOutcomes when the
  // index lacks them.
  rocksdb::ColumnFamilyHandle* Family(StatusIndex::MetaSpace space) const;
  Result<std::optional<StatusRecord>> Get(std::string_view id) const;
  // Event `seq`, decoded; nullopt when there is none.
  Result<std::optional<Event>> GetEvent(uint64_t seq) const;
  // Adds `change` to `batch` as a new event; `pending` holds records written
  // earlier in the same batch (a batch may touch an id twice).
  Result<std::optional<Event>> Stage(const Change& c, std::string_view actor, rocksdb::WriteBatch* batch,
                                     std::unordered_map<std::string, StatusRecord>* pending);
  // Writes a batch with sync = true: durable when it returns OK.
  Status Commit(rocksdb::WriteBatch* batch, const std::string& what);
  Status LoadHead();
  // Writers only: the head record must name the last event in the log, so that
  // the next event number is free and follows the chain.
  Status CheckHeadMatchesLog() const;

  // Staging advances the in-memory chain head; unless the batch is committed, the
  // guard puts it back where the durable chain ends.
  class HeadGuard {
   public:
    explicit HeadGuard(IndexState& impl) : impl_(impl), seq_(impl.head_seq), hash_(impl.head_hash) {}
    ~HeadGuard() {
      if (!committed_) {
        impl_.head_seq = seq_;
        impl_.head_hash = hash_;
      }
    }
    void Commit() { committed_ = true; }

   private:
    IndexState& impl_;
    uint64_t seq_;
    std::string hash_;
    bool committed_ = false;
  };
};

}  // namespace credsweep::storage::internal

namespace credsweep::storage {

struct StatusIndex::Impl final : internal::IndexState {};

}  // namespace credsweep::storage

#endif  // CREDSWEEP_STORAGE_INTERNAL_INDEX_IMPL_H_
