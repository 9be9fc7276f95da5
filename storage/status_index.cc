#include "storage/status_index.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/metadata.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/table_properties_collectors.h>
#include <rocksdb/write_batch.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/credential_id.h"
#include "engine/credential_status.h"
#include "engine/timestamp.h"
#include "engine/coding.h"
#include "engine/hash_slots.h"
#include "storage/internal/index_impl.h"
#include "storage/read_ahead.h"

namespace credsweep::storage {

namespace internal {

Status Translate(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::Ok();
  if (s.IsCorruption()) return Corruption(what + ": " + s.ToString());
  if (s.IsNotFound()) return NotFound(what + ": " + s.ToString());
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return IoError(what + ": the index is in use by another process (a running `credsweep serve` "
                          "or another writer); commands that only read still work, and revoke/suspend/"
                          "reinstate can send the change through a running server with --server HOST:PORT");
  }
  return IoError(what + ": " + s.ToString());
}

std::string ByIdPrefix(std::string_view id) {
  std::string k;
  PutLengthPrefixed(&k, id);
  return k;
}

std::string ByIdKey(std::string_view id, uint64_t seq) { return ByIdPrefix(id) + BigEndian64(seq); }

}  // namespace internal

using namespace internal;

IndexState::~IndexState() {
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  if (db) db->Close();
}

Result<std::optional<StatusRecord>> IndexState::Get(std::string_view id) const {
  rocksdb::PinnableSlice value;  // no copy out of the block cache
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), status, rocksdb::Slice(id.data(), id.size()), &value);
  if (s.IsNotFound()) return std::optional<StatusRecord>();
  if (!s.ok()) return Translate(s, "lookup");
  StatusRecord r;
  if (!DecodeStatusRecord(std::string_view(value.data(), value.size()), &r)) {
    return Corruption("status record of '" + std::string(id) + "' is damaged");
  }
  return std::optional<StatusRecord>(std::move(r));
}

Result<std::optional<Event>> IndexState::GetEvent(uint64_t seq) const {
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), events, BigEndian64(seq), &value);
  if (s.IsNotFound()) return std::optional<Event>();
  if (!s.ok()) return Translate(s, "event " + std::to_string(seq));
  Event e;
  if (!DecodeEvent(std::string_view(value.data(), value.size()), &e) || e.seq != seq) {
    return Corruption("event " + std::to_string(seq) + " is damaged");
  }
  return std::optional<Event>(std::move(e));
}

namespace {

// Why the index's rules forbid `c` on `id`, whose record is `current`; OK when they
// allow it. An unknown id is recorded only by register, import and a change that
// asks for it; revocation is final unless a reinstate allows un-revoking.
Status Refusal(const Change& c, const std::string& id, const std::optional<StatusRecord>& current,
               CredentialState target) {
  const bool may_record = c.op == Operation::kRegister || c.op == Operation::kImport ||
                          (c.register_unknown && c.op != Operation::kReinstate);
  if (!current && !may_record) {
    const char* verb = c.op == Operation::kRevoke ? "revoked" : c.op == Operation::kSuspend ? "suspended" : "reinstated";
    return NotFound("unknown credential id '" + id + "': the index has never seen it, so it is not " + verb);
  }
  if (current && current->state == CredentialState::kRevoked && target != CredentialState::kRevoked &&
      (!c.allow_unrevoke || c.op != Operation::kReinstate)) {
    return FailedPrecondition("'" + id + "' is revoked since " + FormatUtc(current->changed_at) +
                              " and revocation is final: " +
                              (c.op == Operation::kImport ? "the row would make it " + std::string(StateName(target))
                                                          : "cannot " + std::string(OperationName(c.op)) + " it") +
                              " (a mistaken revocation is corrected with `reinstate --allow-unrevoke REASON`)");
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<Event>> IndexState::Stage(const Change& c, std::string_view actor,
                                                      rocksdb::WriteBatch* batch,
                                                      std::unordered_map<std::string, StatusRecord>* pending) {
  const std::string id = NormalizeCredentialId(c.id);
  std::optional<StatusRecord> current;
  if (auto it = pending->find(id); it != pending->end()) {
    current = it->second;
  } else {
    auto got = Get(id);
    if (!got.ok()) return got.status();
    current = *got;
  }
  if (c.op == Operation::kRegister && current) return std::optional<Event>();
  const CredentialState target = c.op == Operation::kRegister ? CredentialState::kActive : c.new_state;
  if (Status refused = Refusal(c, id, current, target); !refused.ok()) return refused;
  const bool unrevoke = current && current->state == CredentialState::kRevoked && target != CredentialState::kRevoked;
  const Operation op = unrevoke ? Operation::kUnrevoke : c.op;
  // Nothing would change: no event, the record's time and reason stay.
  if (current && current->state == target) return std::optional<Event>();
  Event e;
  e.seq = head_seq + 1;
  e.time = c.time ? c.time : NowUtc();
  e.op = op;
  e.id = id;
  e.old_state = current ? std::optional(current->state) : std::nullopt;
  e.new_state = target;
  e.actor = std::string(actor);
  e.reason = c.reason;
  e.prev_hash = head_hash;
  e.hash = ChainHash(e);
  StatusRecord r = current.value_or(StatusRecord{});
  r.state = e.new_state;
  r.reason = e.reason;
  r.changed_at = e.time;
  r.last_event = e.seq;
  if (!c.issuer.empty()) r.issuer = c.issuer;
  std::string head;
  PutFixed64(&head, e.seq);
  head += e.hash;
  rocksdb::Status s = batch->Put(status, id, EncodeStatusRecord(r));
  if (s.ok()) s = batch->Put(events, BigEndian64(e.seq), EncodeEvent(e));
  if (s.ok()) s = batch->Put(by_id, ByIdKey(id, e.seq), rocksdb::Slice());
  if (s.ok()) s = batch->Put(meta, kHeadKey, head);
  if (!s.ok()) return Translate(s, "write");
  head_seq = e.seq;
  head_hash = e.hash;
  (*pending)[id] = r;
  return std::optional<Event>(std::move(e));
}

Status IndexState::Commit(rocksdb::WriteBatch* batch, const std::string& what) {
  rocksdb::WriteOptions w;
  w.sync = true;
  return Translate(db->Write(w, batch), what);
}

Status IndexState::LoadHead() {
  std::string v;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), meta, kHeadKey, &v);
  if (s.IsNotFound()) return Status::Ok();
  if (!s.ok()) return Translate(s, "reading the chain head");
  std::string_view in(v);
  if (!GetFixed64(&in, &head_seq) || in.size() != 32) return Corruption("chain head record is damaged");
  head_hash = std::string(in);
  return Status::Ok();
}

Status IndexState::CheckHeadMatchesLog() const {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), events));
  it->SeekToLast();
  if (!it->status().ok()) return Translate(it->status(), "reading the event log of " + dir);
  uint64_t last = 0;
  std::string last_hash(32, '\0');
  if (it->Valid()) {
    Event e;
    if (it->key().size() != 8 || !DecodeEvent(std::string_view(it->value().data(), it->value().size()), &e)) {
      return Corruption("the last event in " + dir + " is damaged");
    }
    last = DecodeBigEndian64(std::string_view(it->key().data(), 8));
    last_hash = e.hash;
  }
  if (last != head_seq || last_hash != head_hash) {
    return Corruption("the chain head of " + dir + " (event " + std::to_string(head_seq) +
                      ") does not match the last event in its log (event " + std::to_string(last) +
                      "): writing would reuse or skip event numbers, so credsweep will not write to it. "
                      "Run `credsweep audit --db " + dir + "` and restore the index from a backup");
  }
  return Status::Ok();
}

StatusIndex::StatusIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StatusIndex::~StatusIndex() = default;

namespace {

const char* const kFamilies[] = {kStatusCf, kEventsCf, kByIdCf, kMetaCf, kListsCf};

// An existing RocksDB directory is credsweep's only if it has credsweep's column
// families: opening it otherwise would create them inside someone else's database.
// *names: the families it has.
Status CheckFamilies(const std::string& dir, const rocksdb::Options& options, std::vector<std::string>* names_out) {
  std::vector<std::string>& names = *names_out;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, dir, &names);
  if (!s.ok()) return Translate(s, "cannot open status index " + dir);
  for (const char* want : kFamilies) {
    if (std::find(names.begin(), names.end(), want) == names.end()) {
      return InvalidArgument(dir + " is a RocksDB database but not a credsweep status index (no '" + want +
                             "' column family, no schema key); credsweep does not open or change it");
    }
  }
  return Status::Ok();
}

// The unfinished files of bulk writers (StatusIndex::NewMetaBulkWriter) are named
// so in the index's directory; RocksDB leaves alone files whose names it does not
// know.
constexpr std::string_view kBulkFilePrefix = "credsweep-bulk-";

// What a writer that stopped half way left (a crash between writing a bulk file
// and its ingestion): never part of the index. Called by the one writer.
void RemoveUnfinishedBulkFiles(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(kBulkFilePrefix) && name.ends_with(".sst")) std::filesystem::remove(entry.path(), ec);
  }
}

// Damage found while opening. Recovering past it (RocksDB's default) would drop
// acknowledged changes without a word and hand their event numbers out again.
Status RefuseDamaged(const std::string& dir, const rocksdb::Status& s) {
  return Corruption("status index " + dir + " is damaged (" + s.ToString() +
                    "); credsweep refuses to open it, because recovering past the damage would silently "
                    "lose acknowledged changes. Keep a copy of " + dir +
                    " for investigation and restore the index from a backup, then re-apply the changes "
                    "made since that backup");
}

}  // namespace

Result<std::unique_ptr<StatusIndex>> StatusIndex::Open(const std::string& dir, const OpenOptions& o) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool exists = fs::exists(fs::path(dir) / "CURRENT", ec);
  if (!exists && fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return NotFound(dir + " is not a credsweep status index (no RocksDB CURRENT file) and is not empty");
  }
  const bool follower = !o.follower_dir.empty();
  if (!exists && (!o.create_if_missing || o.read_only || follower)) {
    return NotFound("no status index at " + dir + " (is the path right? `credsweep init --db " + dir +
                    "` creates a new, empty one)");
  }
  if (!exists) {
    fs::create_directories(dir, ec);
    if (ec) return IoError("cannot create " + dir + ": " + ec.message());
  }
  const bool writer = !o.read_only && !follower;
  rocksdb::Options options;
  options.create_if_missing = !exists;
  // A new index gets every family; an existing one (checked below to be
  // credsweep's) only the cache family, made by a writer when it lacks it.
  options.create_missing_column_families = writer;
  // Any damage in the write-ahead log fails the open instead of truncating the
  // log there (kPointInTimeRecovery, the default), which would lose synced writes.
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kAbsoluteConsistency;
  options.paranoid_checks = true;
  options.IncreaseParallelism(2);
  options.max_open_files = follower ? -1 : 512;  // a secondary instance keeps every file open
  std::vector<std::string> families;
  if (exists) {
    if (Status st = CheckFamilies(dir, options, &families); !st.ok()) return st;
  }
  auto has_family = [&](const char* name) {
    return !exists || writer || std::find(families.begin(), families.end(), name) != families.end();
  };
  const bool with_cache = has_family(kCacheCf), with_outcomes = has_family(kOutcomesCf);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(o.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  // Index and filter blocks stay with their table readers rather than competing
  // with data blocks in the cache: after a compaction one file's index is MBs, and
  // evicting it would cost every lookup a reload.
  table.cache_index_and_filter_blocks = false;
  rocksdb::ColumnFamilyOptions cf_options(options);
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = rocksdb::kLZ4Compression;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
      {rocksdb::kDefaultColumnFamilyName, cf_options}, {kStatusCf, cf_options},
      {kEventsCf, cf_options}, {kByIdCf, cf_options}, {kMetaCf, cf_options}, {kListsCf, cf_options}};
  if (with_cache) {
    // Whole namespaces of readings are deleted at once (a new build, another trust
    // configuration): a file that is mostly deletions is compacted away rather than
    // kept for cursors to step through.
    rocksdb::ColumnFamilyOptions cache_options(cf_options);
    // Readings are read in key order, by cursors stepping through them: large
    // blocks mean one read and one decompression per few dozen entries, not per
    // two or three.
    rocksdb::BlockBasedTableOptions cache_table = table;
    cache_table.block_size = 64u << 10;
    cache_table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinarySearch;
    cache_table.filter_policy.reset();  // no point lookups: a filter would only take memory
    cache_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(cache_table));
    cache_options.table_properties_collector_factories.push_back(
        rocksdb::NewCompactOnDeletionCollectorFactory(4096, 1024, 0.25));
    cfs.emplace_back(kCacheCf, cache_options);
  }
  if (with_outcomes) {
    // Written a run at a time as whole table files (NewMetaBulkWriter) that land
    // in the last level, read only from end to end (a run's outcomes): large
    // blocks, no filter.
    rocksdb::ColumnFamilyOptions outcomes_options(cf_options);
    rocksdb::BlockBasedTableOptions outcomes_table = table;
    outcomes_table.block_size = 64u << 10;
    outcomes_table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinarySearch;
    outcomes_table.filter_policy.reset();
    outcomes_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(outcomes_table));
    cfs.emplace_back(kOutcomesCf, outcomes_options);
  }
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->read_only = o.read_only || follower;
  impl->follower = follower;
  if (follower) {
    fs::create_directories(o.follower_dir, ec);
    if (ec) return IoError("cannot create " + o.follower_dir + ": " + ec.message());
  }
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = follower ? rocksdb::DB::OpenAsSecondary(options, dir, o.follower_dir, cfs, &impl->handles, &raw)
                      : o.read_only ? rocksdb::DB::OpenForReadOnly(options, dir, cfs, &impl->handles, &raw)
                                    : rocksdb::DB::Open(options, dir, cfs, &impl->handles, &raw);
  if (s.IsCorruption()) return RefuseDamaged(dir, s);
  if (!s.ok()) return Translate(s, "cannot open status index " + dir);
  impl->db.reset(raw);
  impl->status = impl->handles[1];
  impl->events = impl->handles[2];
  impl->by_id = impl->handles[3];
  impl->meta = impl->handles[4];
  impl->lists = impl->handles[5];
  size_t next_handle = 6;
  if (with_cache) impl->cache = impl->handles[next_handle++];
  if (with_outcomes) impl->outcomes = impl->handles[next_handle++];
  if (writer) RemoveUnfinishedBulkFiles(dir);
  std::string schema;
  s = impl->db->Get(rocksdb::ReadOptions(), impl->meta, kSchemaKey, &schema);
  if (s.IsNotFound()) {
    // A new index, or one whose creator stopped before writing the key: it has
    // every credsweep column family (checked above), so a writer stamps it.
    if (o.read_only || follower) {
      return InvalidArgument(dir + " has no credsweep schema key; a command that writes (e.g. `credsweep "
                                   "compact --db " + dir + "`) adds it to an index created by credsweep");
    }
    rocksdb::WriteBatch batch;
    s = batch.Put(impl->meta, kSchemaKey, kSchemaValue);
    if (Status st = s.ok() ? impl->Commit(&batch, "cannot open status index " + dir) : Translate(s, dir);
        !st.ok()) {
      return st;
    }
  } else if (!s.ok()) {
    return Translate(s, "cannot open status index " + dir);
  } else if (schema != kSchemaValue) {
    return Corruption(dir + " holds an unknown schema '" + schema + "'");
  }
  if (Status st = impl->LoadHead(); !st.ok()) return st;
  if (!o.read_only) {
    if (Status st = impl->CheckHeadMatchesLog(); !st.ok()) return st;
  }
  return std::unique_ptr<StatusIndex>(new StatusIndex(std::move(impl)));
}

Result<std::unique_ptr<StatusIndex>> OpenForReading(const std::string& dir) {
  OpenOptions o;
  o.read_only = true;
  return StatusIndex::Open(dir, o);
}

Result<std::unique_ptr<StatusIndex>> OpenForWriting(const std::string& dir) { return StatusIndex::Open(dir, {}); }

Result<std::unique_ptr<StatusIndex>> CreateOrOpenForWriting(const std::string& dir, bool* created) {
  std::error_code ec;
  const bool existed = std::filesystem::exists(std::filesystem::path(dir) / "CURRENT", ec);
  OpenOptions o;
  o.create_if_missing = true;
  auto idx = StatusIndex::Open(dir, o);
  if (created) *created = idx.ok() && !existed;
  return idx;
}

Result<std::optional<StatusRecord>> StatusIndex::Lookup(std::string_view id) const {
  return impl_->Get(NormalizeCredentialId(id));
}

namespace {

// The status records of one scan, each id beside its record in blocks of memory,
// found through an open-addressing table of where they lie: a lookup touches a
// slot and the entry, two cache misses in tables of millions. An entry keeps its
// record compactly, with its list and issuer as numbers of strings the snapshot
// keeps once, and a `urn:uuid:` id as its UUID's 16 bytes (an index has few lists
// and issuers: about 40 bytes an entry for a registered `urn:uuid:` id, against
// 180 for the stored form).
class StatusSnapshot final : public StatusLookup {
 public:
  StatusSnapshot(size_t max_bytes, size_t max_records) : max_bytes_(max_bytes), max_records_(max_records) {}

  void Reserve(size_t n) { locations_.reserve(std::min(n, max_records_)); }

  // False once the records exceed the limits (the bytes counted are those of the
  // blocks taken and of the strings kept once).
  bool Add(std::string_view id, std::string_view stored) {
    if (locations_.size() >= max_records_ || id.size() >= kPackedId || stored.size() > kMaxSize) return false;
    thread_local std::string record;
    record.clear();
    if (!Compact(stored, &record)) return false;
    const Key key = KeyOf(id);
    const std::string_view id_bytes = key.bytes();
    const size_t size = kHeaderBytes + id_bytes.size() + record.size();
    size_t block = current_, offset = used_;
    if (size > kBlockBytes) {
      // An entry larger than a block gets one of its own; the current one stays.
      if (!NewBlock(size, &block)) return false;
      offset = 0;
    } else if (current_ == kNoBlock || used_ + size > kBlockBytes) {
      if (!NewBlock(kBlockBytes, &current_)) return false;
      block = current_;
      offset = used_ = 0;
    }
    char* p = blocks_[block].get() + offset;
    const uint32_t sizes[2] = {key.packed ? kPackedId : static_cast<uint32_t>(id.size()),
                               static_cast<uint32_t>(record.size())};
    std::memcpy(p, sizes, kHeaderBytes);
    std::memcpy(p + kHeaderBytes, id_bytes.data(), id_bytes.size());
    std::memcpy(p + kHeaderBytes + id_bytes.size(), record.data(), record.size());
    locations_.push_back(static_cast<uint32_t>(block << kOffsetBits | offset));
    if (block == current_) used_ += (size + 7) & ~size_t{7};  // entries start 8-aligned
    return true;
  }

  // After the last Add.
  void Build() {
    slots_.Reset(locations_.size());
    for (uint32_t location : locations_) slots_.Insert(Hash(EntryAt(location).id_bytes), location);
    locations_ = std::vector<uint32_t>();
    numbers_ = std::unordered_map<std::string_view, uint64_t>();
  }

  // Fetches the id's slot; and, for the id this thread announced before (whose
  // slot has had time to arrive when lookups are announced for a group of
  // records before any is made: Verifier::VerifyAll), the entry that slot points
  // to. A lookup then finds both in the cache.
  void Prefetch(std::string_view given) const override {
    thread_local std::string scratch;
    thread_local struct {
      const StatusSnapshot* of = nullptr;
      uint64_t hash = 0;
    } announced;
    const uint64_t hash = Hash(LookupKey(given, &scratch).bytes());
    if (announced.of == this) {
      slots_.Find(announced.hash, [&](uint32_t l) {
        // An entry (~40 bytes for a urn:uuid id) may span two cache lines. (The
        // second address may lie past the block: PrefetchLine takes any address.)
        const uintptr_t entry = reinterpret_cast<uintptr_t>(blocks_[l >> kOffsetBits].get()) + (l & (kBlockBytes - 1));
        PrefetchLine(reinterpret_cast<const void*>(entry));
        PrefetchLine(reinterpret_cast<const void*>(entry + 64));
        return true;  // the first candidate: most often the one
      });
    }
    slots_.Prefetch(hash);
    announced = {this, hash};
  }

  Result<std::optional<StatusRecord>> Lookup(std::string_view given) const override {
    thread_local std::string scratch;
    const Key key = LookupKey(given, &scratch);
    const std::string_view id_bytes = key.bytes();
    const uint32_t location = slots_.Find(Hash(id_bytes), [&](uint32_t l) {
      const Entry e = EntryAt(l);
      return e.packed == key.packed && e.id_bytes == id_bytes;
    });
    if (location == HashSlots::kNone) return std::optional<StatusRecord>();
    StatusRecord r;
    if (!Expand(EntryAt(location).record, &r)) {
      return Corruption("status record of '" + NormalizeCredentialId(given) + "' is damaged");
    }
    return std::optional<StatusRecord>(std::move(r));
  }

 private:
  // A record as kept: its state (kDamaged: the stored record did not decode, and
  // nothing follows), changed_at (zigzag), last_event, the list's number (0: none)
  // and then its index, the issuer's number (0: none), the reason.
  static constexpr uint8_t kDamaged = 0xFF;
  bool Compact(std::string_view stored, std::string* out) {
    StatusRecordView v;
    if (!DecodeStatusRecordView(stored, &v)) {
      out->push_back(static_cast<char>(kDamaged));
      return true;
    }
    uint64_t list = 0, issuer = 0;
    if (!Number(v.list_id, &list) || !Number(v.issuer, &issuer)) return false;
    out->push_back(static_cast<char>(v.state));
    PutZigzag64(out, v.changed_at);
    PutVarint64(out, v.last_event);
    PutVarint64(out, list);
    if (list != 0) PutVarint64(out, v.list_index);
    PutVarint64(out, issuer);
    PutLengthPrefixed(out, v.reason);
    return true;
  }
  bool Expand(std::string_view in, StatusRecord* r) const {
    uint8_t state = 0;
    int64_t changed = 0;
    uint64_t list = 0, issuer = 0;
    std::string_view reason;
    if (!GetByte(&in, &state) || state == kDamaged || !GetZigzag64(&in, &changed) || !GetVarint64(&in, &r->last_event) ||
        !GetVarint64(&in, &list) || (list != 0 && !GetVarint64(&in, &r->list_index)) || !GetVarint64(&in, &issuer) ||
        !GetLengthPrefixed(&in, &reason) || list > strings_.size() || issuer > strings_.size()) {
      return false;
    }
    r->state = static_cast<CredentialState>(state);
    r->changed_at = changed;
    if (list != 0) r->list_id = strings_[list - 1];
    if (issuer != 0) r->issuer = strings_[issuer - 1];
    r->reason = reason;
    return true;
  }
  // The number of `s` among the strings kept once (0 for ""), added when new;
  // false past the byte limit.
  bool Number(std::string_view s, uint64_t* n) {
    if (s.empty()) {
      *n = 0;
      return true;
    }
    if (auto it = numbers_.find(s); it != numbers_.end()) {
      *n = it->second;
      return true;
    }
    bytes_ += s.size() + sizeof(std::string);
    if (bytes_ > max_bytes_) return false;
    strings_.emplace_back(s);
    *n = strings_.size();
    numbers_.emplace(strings_.back(), *n);
    return true;
  }

  // An entry: the id's and the record's sizes (32 bits each, host order), the
  // id, the record; a urn:uuid id in normal form is kept as its UUID's 16 bytes,
  // its size then kPackedId. Its location: the block's number, then its offset in it.
  static constexpr size_t kHeaderBytes = 8;
  static constexpr uint32_t kPackedId = ~uint32_t{0};
  static constexpr size_t kOffsetBits = 20, kBlockBytes = size_t{1} << kOffsetBits;
  static constexpr size_t kMaxBlocks = size_t{1} << (32 - kOffsetBits);  // locations stay below kNone
  static constexpr size_t kMaxSize = ~uint32_t{0};  // of a record; an id stays below kPackedId
  static constexpr size_t kNoBlock = ~size_t{0};
  // Appends a block of `size` bytes as number *block, within the limits.
  bool NewBlock(size_t size, size_t* block) {
    bytes_ += size;
    if (bytes_ > max_bytes_ || blocks_.size() >= kMaxBlocks) return false;
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    *block = blocks_.size() - 1;
    return true;
  }
  struct Entry {
    bool packed;
    std::string_view id_bytes, record;  // id_bytes: Key::bytes()
  };
  Entry EntryAt(uint32_t location) const {
    const char* p = blocks_[location >> kOffsetBits].get() + (location & (kBlockBytes - 1));
    uint32_t sizes[2];
    std::memcpy(sizes, p, kHeaderBytes);
    const bool packed = sizes[0] == kPackedId;
    const size_t id_size = packed ? 16 : sizes[0];
    return {packed, std::string_view(p + kHeaderBytes, id_size), std::string_view(p + kHeaderBytes + id_size, sizes[1])};
  }
  // An id in normal form as entries hold it (entries and lookups hash bytes()).
  struct Key {
    bool packed = false;
    unsigned char uuid[16];
    std::string_view text;
    std::string_view bytes() const { return packed ? std::string_view(reinterpret_cast<const char*>(uuid), 16) : text; }
  };
  static Key KeyOf(std::string_view normal_id) {
    Key k;
    k.packed = PackNormalUuidId(normal_id, k.uuid);
    k.text = normal_id;
    return k;
  }
  // The key of an id given in any spelling (as KeyOf its normal form; a urn:uuid
  // one packed without making the normal form first, twice per record in a sweep).
  static Key LookupKey(std::string_view given, std::string* scratch) {
    Key k;
    k.packed = PackUuidId(given, k.uuid);
    if (!k.packed) k.text = NormalizeCredentialId(given, scratch);
    return k;
  }
  static size_t Hash(std::string_view id_bytes) { return std::hash<std::string_view>()(id_bytes); }

  const size_t max_bytes_, max_records_;
  size_t bytes_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t current_ = kNoBlock;        // the block being filled
  size_t used_ = 0;                  // of blocks_[current_]
  std::vector<uint32_t> locations_;  // until Build
  HashSlots slots_;                  // locations of the entries
  std::deque<std::string> strings_;  // lists and issuers, kept once; number n is strings_[n - 1]
  std::unordered_map<std::string_view, uint64_t> numbers_;  // until Build: the number of each of strings_
};

// The table files of `family` that may hold a key starting with `prefix` (all of
// them for an empty one), asked for in the order a scan reaches them.
uint64_t ReadAheadFamily(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, std::string_view prefix,
                         uint64_t max_bytes) {
  max_bytes = std::min(max_bytes, ReadAheadAllowance());
  if (!family || max_bytes == 0) return 0;
  rocksdb::ColumnFamilyMetaData meta;
  db->GetColumnFamilyMetaData(family, &meta);
  std::vector<const rocksdb::SstFileMetaData*> files;
  for (const auto& level : meta.levels) {
    for (const auto& f : level.files) {
      // The keys starting with `prefix` lie in [prefix, the first key past them).
      const bool below = std::string_view(f.largestkey) < prefix;
      const bool above = std::string_view(f.smallestkey) > prefix && !f.smallestkey.starts_with(prefix);
      if (!below && !above) files.push_back(&f);
    }
  }
  std::sort(files.begin(), files.end(), [](const auto* a, const auto* b) { return a->smallestkey < b->smallestkey; });
  uint64_t asked = 0;
  for (const rocksdb::SstFileMetaData* f : files) {
    if (asked >= max_bytes) break;
    const int fd = open((f->directory + "/" + f->relative_filename).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;  // compacted away since
    asked += AdviseWillNeed(fd, 0, std::min(f->size, max_bytes - asked));
    close(fd);
  }
  return asked;
}

}  // namespace

uint64_t StatusIndex::ReadAhead(std::string_view prefix, MetaSpace space, uint64_t max_bytes) const {
  return ReadAheadFamily(impl_->db.get(), impl_->Family(space), "user:" + std::string(prefix), max_bytes);
}

Result<std::shared_ptr<const StatusLookup>> StatusIndex::LoadSnapshot(size_t max_bytes, size_t max_records) const {
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;  // read once, kept here
  ro.readahead_size = 2u << 20;
  ReadAheadFamily(impl_->db.get(), impl_->status, "", max_bytes);
  auto snapshot = std::make_shared<StatusSnapshot>(max_bytes, max_records);
  snapshot->Reserve(ApproximateCount());
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->status));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!snapshot->Add(std::string_view(it->key().data(), it->key().size()),
                       std::string_view(it->value().data(), it->value().size()))) {
      return std::shared_ptr<const StatusLookup>();
    }
  }
  if (Status s = Translate(it->status(), "scan"); !s.ok()) return s;
  snapshot->Build();
  return std::shared_ptr<const StatusLookup>(std::move(snapshot));
}

Result<std::optional<Event>> StatusIndex::Apply(const Change& change, std::string_view actor) {
  if (impl_->read_only) return InvalidArgument("the index is open read-only");
  std::lock_guard lock(impl_->write_mu);
  Impl::HeadGuard head(*impl_);
  rocksdb::WriteBatch batch;
  std::unordered_map<std::string, StatusRecord> pending;
  auto e = impl_->Stage(change, actor, &batch, &pending);
  if (e.ok() && *e) {
    if (Status s = impl_->Commit(&batch, "write"); !s.ok()) return s;
  }
  if (e.ok()) head.Commit();
  return e;
}

Status StatusIndex::ApplyBatch(const std::vector<Change>& changes, std::string_view actor, size_t* applied,
                               std::vector<std::pair<size_t, Status>>* skipped,
                               const std::pair<std::string, std::string>* meta, size_t* new_ids) {
  if (impl_->read_only) return InvalidArgument("the index is open read-only");
  std::lock_guard lock(impl_->write_mu);
  Impl::HeadGuard head(*impl_);
  rocksdb::WriteBatch batch;
  std::unordered_map<std::string, StatusRecord> pending;
  size_t n = 0, fresh = 0;
  for (size_t i = 0; i < changes.size(); ++i) {
    auto e = impl_->Stage(changes[i], actor, &batch, &pending);
    if (!e.ok()) {
      if (e.status().code() != StatusCode::kNotFound && e.status().code() != StatusCode::kFailedPrecondition) {
        return e.status();
      }
      if (skipped) skipped->emplace_back(i, e.status());
      continue;
    }
    n += e->has_value();
    fresh += e->has_value() && !(*e)->old_state;
  }
  if (meta) {
    rocksdb::Status s = batch.Put(impl_->meta, "user:" + meta->first, meta->second);
    if (!s.ok()) return Translate(s, "write");
  }
  if (n > 0 || meta) {
    if (Status s = impl_->Commit(&batch, "write"); !s.ok()) return s;
  }
  head.Commit();
  if (applied) *applied = n;
  if (new_ids) *new_ids = fresh;
  return Status::Ok();
}

Result<std::vector<Event>> StatusIndex::History(std::string_view given) const {
  const std::string id = NormalizeCredentialId(given);
  std::string prefix = ByIdPrefix(id);
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->by_id));
  std::vector<Event> out;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() != prefix.size() + 8) continue;
    uint64_t seq = DecodeBigEndian64(std::string_view(it->key().data() + prefix.size(), 8));
    auto e = impl_->GetEvent(seq);
    if (!e.ok()) return e.status();
    if (!*e || (*e)->id != id) {
      return Corruption("the index names event " + std::to_string(seq) + " for '" + id +
                        "', but the log has no such event of it (run `credsweep audit`)");
    }
    out.push_back(std::move(**e));
  }
  if (!it->status().ok()) return Translate(it->status(), "history");
  return out;
}

Result<std::optional<StatusRecord>> StatusIndex::StateAt(std::string_view id, UnixSeconds t) const {
  auto history = History(id);
  if (!history.ok()) return history.status();
  std::optional<StatusRecord> state;
  for (const Event& e : *history) {
    if (e.time > t) break;
    StatusRecord r;
    r.state = e.new_state;
    r.reason = e.reason;
    r.changed_at = e.time;
    r.last_event = e.seq;
    state = r;
  }
  return state;
}

rocksdb::ColumnFamilyHandle* IndexState::Family(StatusIndex::MetaSpace space) const {
  switch (space) {
    case StatusIndex::MetaSpace::kCache:
      return cache;
    case StatusIndex::MetaSpace::kOutcomes:
      return outcomes;
    case StatusIndex::MetaSpace::kMeta:
      break;
  }
  return meta;
}

Result<std::optional<std::string>> StatusIndex::GetMeta(std::string_view key, MetaSpace space) const {
  rocksdb::ColumnFamilyHandle* family = impl_->Family(space);
  if (!family) return std::optional<std::string>();
  std::string v;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), family, std::string("user:") + std::string(key), &v);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return Translate(s, "meta");
  return std::optional<std::string>(std::move(v));
}

Status StatusIndex::PutMeta(std::string_view key, std::string_view value, MetaSpace space) {
  return WriteMeta({{std::string(key), std::string(value)}}, {}, space);
}

Status StatusIndex::WriteMeta(const std::vector<std::pair<std::string, std::string>>& puts,
                              const std::vector<std::string>& deletes, MetaSpace space) {
  if (impl_->read_only) return InvalidArgument("the index is open read-only");
  rocksdb::ColumnFamilyHandle* family = impl_->Family(space);
  // The batch's buffer sized once (a sweep writes tens of MB at a time): each
  // entry is a tag, the column family, two varint lengths and its bytes.
  size_t bytes = 64;
  for (const auto& key : deletes) bytes += key.size() + 16;
  for (const auto& [key, value] : puts) bytes += key.size() + value.size() + 24;
  rocksdb::WriteBatch batch(bytes);
  for (const auto& key : deletes) {
    rocksdb::Status s = batch.Delete(family, "user:" + key);
    if (!s.ok()) return Translate(s, "meta");
  }
  for (const auto& [key, value] : puts) {
    rocksdb::Status s = batch.Put(family, "user:" + key, value);
    if (!s.ok()) return Translate(s, "meta");
  }
  if (space == MetaSpace::kCache) {
    // Readings can be made again: not logged (a sweep's first run writes a GB of
    // them, which a log would hold twice and the next open would read back).
    // RocksDB flushes them when the index closes.
    rocksdb::WriteOptions w;
    w.disableWAL = true;
    return Translate(impl_->db->Write(w, &batch), "meta");
  }
  return impl_->Commit(&batch, "meta");
}

namespace {

// The first key after every key starting with `prefix` (non-empty, not all 0xff).
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

// A bulk space's prefix deletion: the table files that hold nothing else are
// dropped whole (bulk writes make one file per run), then one range deletion for
// what is left. Nothing is written when no key has the prefix.
Status DeleteBulkPrefix(IndexState& impl, std::string_view prefix) {
  rocksdb::ColumnFamilyHandle* family = impl.outcomes;
  if (!family) return Status::Ok();
  const std::string begin = "user:" + std::string(prefix), end = PrefixEnd(begin);
  auto any_left = [&]() -> Result<bool> {
    std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions(), family));
    it->Seek(begin);
    if (!it->status().ok()) return Translate(it->status(), "meta");
    return it->Valid() && it->key().starts_with(begin);
  };
  auto before = any_left();
  if (!before.ok() || !*before) return before.status();
  const rocksdb::Slice b(begin), e(end);
  rocksdb::Status s = rocksdb::DeleteFilesInRange(impl.db.get(), family, &b, &e, /*include_end=*/false);
  if (!s.ok()) return Translate(s, "meta");
  // Usually nothing is left: no range deletion then, which would stay in the
  // way of a later bulk write under the prefix (its file would go to level 0).
  auto after = any_left();
  if (!after.ok() || !*after) return after.status();
  rocksdb::WriteBatch batch;
  s = batch.DeleteRange(family, b, e);
  if (!s.ok()) return Translate(s, "meta");
  return impl.Commit(&batch, "meta");
}

class SstMetaBulkWriter final : public StatusIndex::MetaBulkWriter {
 public:
  SstMetaBulkWriter(IndexState& impl, rocksdb::ColumnFamilyHandle* family, std::string path)
      : impl_(impl),
        family_(family),
        path_(std::move(path)),
        // Left in the page cache: the next sweep reads it back.
        writer_(rocksdb::EnvOptions(), impl.db->GetOptions(family), family, /*invalidate_page_cache=*/false) {}
  ~SstMetaBulkWriter() override { RemoveFile(); }

  Status Open() { return Translate(writer_.Open(path_), "bulk write"); }

  Status Add(std::string_view key, std::string_view value) override {
    if (finished_) return InvalidArgument("MetaBulkWriter: Add after Finish");
    key_.assign("user:").append(key);
    rocksdb::Status s = writer_.Put(key_, rocksdb::Slice(value.data(), value.size()));
    if (!s.ok()) return Translate(s, "bulk write");
    ++added_;
    return Status::Ok();
  }

  Status Finish() override {
    if (finished_) return InvalidArgument("MetaBulkWriter: Finish twice");
    finished_ = true;
    if (added_ == 0) return Status::Ok();  // RocksDB makes no empty table file
    // Finish syncs the file; the ingestion links it into the index and syncs the
    // directory and the manifest.
    rocksdb::Status s = writer_.Finish();
    if (!s.ok()) return Translate(s, "bulk write");
    rocksdb::IngestExternalFileOptions o;
    o.move_files = true;
    s = impl_.db->IngestExternalFile(family_, {path_}, o);
    RemoveFile();
    return Translate(s, "bulk write");
  }

 private:
  void RemoveFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);  // gone already after a moving ingestion
  }

  IndexState& impl_;
  rocksdb::ColumnFamilyHandle* family_;
  const std::string path_;
  rocksdb::SstFileWriter writer_;
  std::string key_;
  uint64_t added_ = 0;
  bool finished_ = false;
};

class IteratorMetaCursor final : public StatusIndex::MetaCursor {
 public:
  // `it` null: an empty space.
  explicit IteratorMetaCursor(std::unique_ptr<rocksdb::Iterator> it) : it_(std::move(it)) {}

  Result<std::optional<std::string_view>> Get(std::string_view key) override {
    if (!it_) return std::optional<std::string_view>();
    target_.assign("user:").append(key);
    const rocksdb::Slice target(target_);
    // it_ stands at the first key at or after sought_ (or at the end). A target
    // from sought_ up to there is answered where it stands: no key lies between.
    // (A seek would skip again every deleted key up to it_, once per missing
    // record: after a namespace change, millions each time.)
    const bool onward = positioned_ && target.compare(sought_) >= 0;
    bool in_place = onward && (!it_->Valid() || it_->key().compare(target) >= 0);
    if (onward && !in_place) {
      // Forward a few steps; else a seek.
      for (int i = 0; i < kSteps && it_->Valid() && it_->key().compare(target) < 0; ++i) it_->Next();
      in_place = !it_->Valid() || it_->key().compare(target) >= 0;
    }
    if (!in_place) it_->Seek(target);
    positioned_ = it_->status().ok();
    if (!positioned_) return Translate(it_->status(), "meta");
    sought_.swap(target_);
    if (!it_->Valid() || it_->key() != rocksdb::Slice(sought_)) return std::optional<std::string_view>();
    return std::optional<std::string_view>(std::string_view(it_->value().data(), it_->value().size()));
  }

 private:
  static constexpr int kSteps = 16;
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string target_, sought_;
  bool positioned_ = false;  // it_ stands at the first key >= sought_
};

}  // namespace

Result<std::unique_ptr<StatusIndex::MetaBulkWriter>> StatusIndex::NewMetaBulkWriter(MetaSpace space) {
  if (impl_->read_only) return InvalidArgument("the index is open read-only");
  rocksdb::ColumnFamilyHandle* family = impl_->Family(space);
  // A writer makes every family when it opens the index: a missing one would be a
  // bug in the open, refused here rather than handed to RocksDB as null.
  if (!family) return InvalidArgument("the index has no space for bulk writes of this kind");
  static std::atomic<uint64_t> next{0};
  const std::string path = (std::filesystem::path(impl_->dir) / (std::string(kBulkFilePrefix) +
                                                                  std::to_string(getpid()) + "-" +
                                                                  std::to_string(next++) + ".sst"))
                               .string();
  auto writer = std::make_unique<SstMetaBulkWriter>(*impl_, family, path);
  if (Status s = writer->Open(); !s.ok()) return s;
  return std::unique_ptr<MetaBulkWriter>(std::move(writer));
}

std::unique_ptr<StatusIndex::MetaCursor> StatusIndex::NewMetaCursor(MetaSpace space) const {
  rocksdb::ColumnFamilyHandle* family = impl_->Family(space);
  if (!family) return std::make_unique<IteratorMetaCursor>(nullptr);
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;  // each block is read once, by the cursor that steps through it
  return std::make_unique<IteratorMetaCursor>(std::unique_ptr<rocksdb::Iterator>(impl_->db->NewIterator(ro, family)));
}

Status StatusIndex::DeleteMetaPrefix(std::string_view prefix, MetaSpace space) {
  if (impl_->read_only) return InvalidArgument("the index is open read-only");
  if (prefix.empty()) return InvalidArgument("DeleteMetaPrefix: empty prefix");
  if (space == MetaSpace::kOutcomes) return DeleteBulkPrefix(*impl_, prefix);
  std::vector<std::string> keys;
  Status st = ForEachMeta(
      prefix,
      [&](std::string_view key, std::string_view) {
        keys.emplace_back(key);
        return true;
      },
      space);
  if (!st.ok()) return st;
  if (keys.empty()) return Status::Ok();
  return WriteMeta({}, keys, space);
}

Status StatusIndex::ForEachMeta(std::string_view prefix,
                                const std::function<bool(std::string_view, std::string_view)>& fn,
                                MetaSpace space) const {
  rocksdb::ColumnFamilyHandle* family = impl_->Family(space);
  if (!family) return Status::Ok();
  const std::string start = "user:" + std::string(prefix);
  rocksdb::ReadOptions ro;
  // A scan reads each block once (a run's outcomes: tens of MB): through the
  // cache, it would only push out blocks that lookups use, and take fresh memory.
  ro.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, family));
  for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
    std::string_view key(it->key().data() + 5, it->key().size() - 5);
    if (!fn(key, std::string_view(it->value().data(), it->value().size()))) break;
  }
  if (!it->status().ok()) return Translate(it->status(), "meta");
  return Status::Ok();
}

Status StatusIndex::ForEach(const std::function<void(std::string_view, const StatusRecord&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->status));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    StatusRecord r;
    if (!DecodeStatusRecord(std::string_view(it->value().data(), it->value().size()), &r)) {
      return Corruption("status record of '" + it->key().ToString() + "' is damaged");
    }
    fn(std::string_view(it->key().data(), it->key().size()), r);
  }
  return Translate(it->status(), "scan");
}

Status StatusIndex::AssignSlots(const std::vector<std::tuple<std::string, std::string, uint64_t>>& slots) {
  if (impl_->read_only) return InvalidArgument("the index is open read-only");
  std::lock_guard lock(impl_->write_mu);
  rocksdb::WriteBatch batch;
  for (const auto& [given, list, index] : slots) {
    const std::string id = NormalizeCredentialId(given);
    auto r = impl_->Get(id);
    if (!r.ok()) return r.status();
    if (!*r) continue;
    StatusRecord rec = **r;
    rec.list_id = list;
    rec.list_index = index;
    rocksdb::Status s = batch.Put(impl_->status, id, EncodeStatusRecord(rec));
    if (!s.ok()) return Translate(s, "slot");
  }
  return impl_->Commit(&batch, "slot assignment");
}

Result<std::optional<StatusIndex::CachedList>> StatusIndex::GetCachedList(std::string_view url) const {
  std::string v;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), impl_->lists, rocksdb::Slice(url.data(), url.size()), &v);
  if (s.IsNotFound()) return std::optional<CachedList>();
  if (!s.ok()) return Translate(s, "list cache");
  std::string_view in(v);
  uint64_t fetched;
  if (!GetFixed64(&in, &fetched)) return Corruption("cached list of " + std::string(url) + " is damaged");
  return std::optional<CachedList>(CachedList{std::string(in), static_cast<UnixSeconds>(fetched)});
}

Status StatusIndex::PutCachedList(std::string_view url, std::string_view document, UnixSeconds fetched_at) {
  if (impl_->read_only) return InvalidArgument("the index is open read-only");
  std::string v;
  PutFixed64(&v, static_cast<uint64_t>(fetched_at));
  v.append(document);
  return Translate(impl_->db->Put(rocksdb::WriteOptions(), impl_->lists, rocksdb::Slice(url.data(), url.size()), v),
                   "list cache");
}

bool StatusIndex::read_only() const { return impl_->read_only; }

Status StatusIndex::Compact() {
  if (impl_->read_only) return InvalidArgument("the index is open read-only");
  rocksdb::CompactRangeOptions o;
  o.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  for (auto* cf : {impl_->status, impl_->by_id}) {
    if (Status s = Translate(impl_->db->CompactRange(o, cf, nullptr, nullptr), "compaction"); !s.ok()) return s;
  }
  return Status::Ok();
}

Status StatusIndex::CompactMeta(MetaSpace space) {
  if (impl_->read_only) return InvalidArgument("the index is open read-only");
  rocksdb::CompactRangeOptions o;
  o.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  return Translate(impl_->db->CompactRange(o, impl_->Family(space), nullptr, nullptr), "compaction");
}

std::string StatusIndex::DescribeLevels() const {
  std::string out;
  for (int level = 0; level < 7; ++level) {
    std::string v;
    if (impl_->db->GetProperty(impl_->status, "rocksdb.num-files-at-level" + std::to_string(level), &v) && v != "0") {
      out += (out.empty() ? "" : ", ") + std::string("L") + std::to_string(level) + ": " + v + " files";
    }
  }
  return out.empty() ? "empty" : out;
}

Status StatusIndex::CatchUp(std::vector<std::string>* changed_ids) {
  if (!impl_->follower) return InvalidArgument("only a follower catches up with the index's writer");
  rocksdb::Status s = impl_->db->TryCatchUpWithPrimary();
  if (!s.ok()) return Translate(s, "catching up with the writer of " + impl_->dir);
  uint64_t before;
  {
    std::lock_guard lock(impl_->write_mu);
    before = impl_->head_seq;
    if (Status st = impl_->LoadHead(); !st.ok()) return st;
    if (impl_->head_seq == before || !changed_ids) return Status::Ok();
  }
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->events));
  for (it->Seek(BigEndian64(before + 1)); it->Valid(); it->Next()) {
    Event e;
    if (!DecodeEvent(std::string_view(it->value().data(), it->value().size()), &e)) {
      return Corruption("an event after " + std::to_string(before) + " is damaged");
    }
    changed_ids->push_back(std::move(e.id));
  }
  return Translate(it->status(), "reading the events that arrived");
}

uint64_t StatusIndex::last_sequence() const {
  std::lock_guard lock(impl_->write_mu);
  return impl_->head_seq;
}

uint64_t StatusIndex::ApproximateCount() const {
  uint64_t n = 0;
  impl_->db->GetIntProperty(impl_->status, "rocksdb.estimate-num-keys", &n);
  return n;
}

}  // namespace credsweep::storage
