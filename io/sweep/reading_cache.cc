#include "io/sweep/reading_cache.h"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iterator>

#include "engine/json_writer.h"

namespace credsweep::io {
namespace {

// The cache's state record, in the cache space beside the entries (both written
// without the log: after a crash they agree; see Open). Builds before 2026-12-06
// kept it in the meta space, from where Open moves it.
constexpr std::string_view kStateKey = "sweep:readings:state";
// One entry per record source (AppendSortableSource), in the cache space.
constexpr auto kSpace = storage::StatusIndex::MetaSpace::kCache;
constexpr std::string_view kEntryPrefix = "sweep:cache:s:";
// The cache as earlier versions kept it in the meta space (its state, entries by
// source, and before those by digest): removed by the first whole run that cleans up.
constexpr std::string_view kMetaSpacePrefix = "sweep:cache:";
// An entry's value starts with the record's SHA-256.
constexpr size_t kDigestBytes = 32;
// Entries buffered before one write.
constexpr size_t kEntriesPerWrite = 4096;


// Readings a run must have added for CompactIfRewritten to compact the cache
// (fewer are left to RocksDB's own compactions).
constexpr size_t kCompactAfterAdding = 50000;
// Entries (or bytes of them) buffered before one write.
constexpr size_t kBytesPerWrite = 8u << 20;

struct State {
  std::string namespace_digest;
  uint64_t entries = 0;
  bool complete = false;  // the run that wrote it finished; else `entries` is a lower bound
};

std::optional<State> ParseState(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  std::string_view digest;
  uint64_t entries = 0;
  bool complete = false;
  if (parser.parse(json.data(), json.size()).get_object().get(o) != simdjson::SUCCESS ||
      o["namespace"].get_string().get(digest) != simdjson::SUCCESS ||
      o["entries"].get_uint64().get(entries) != simdjson::SUCCESS ||
      o["complete"].get_bool().get(complete) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return State{std::string(digest), entries, complete};
}

std::string StateJson(const State& s) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Member("namespace", s.namespace_digest).Member("entries", s.entries);
  w.Member("complete", s.complete).EndObject();
  return out;
}

// Appends `source` with its file's path made absolute (against `cwd`, lexically: the
// inputs named relative or absolute give the same keys) and the line or item
// number after its last ':' or '#' zero-padded to 20 digits ("c/a.jsonl:7" ->
// "/srv/c/a.jsonl:00000000000000000007"), so that key order is line order. (A
// file literally named with such a padded number shares its key with the line:
// the digest tells them apart, at worst a cache miss.)
void AppendSortableSource(std::string_view source, const std::filesystem::path& cwd, std::string* out) {
  const size_t sep = source.find_last_of(":#");
  const std::string_view number = sep == std::string_view::npos ? std::string_view() : source.substr(sep + 1);
  const bool numbered = !number.empty() && number.size() < 20 &&
                        std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
  const std::string_view path = numbered ? source.substr(0, sep) : source;
  if (path == "-" || path.empty() || path.front() == '/' || cwd.empty()) {
    out->append(path);  // stdin, or already absolute
  } else {
    // The records of one file come one after another: its path is made absolute once.
    thread_local std::string last_path, last_absolute, last_cwd;
    if (path != last_path || cwd.native() != last_cwd) {
      last_absolute = (cwd / std::filesystem::path(path)).lexically_normal().string();
      last_path = path;
      last_cwd = cwd.native();
    }
    out->append(last_absolute);
  }
  if (!numbered) return;
  out->push_back(source[sep]);
  out->append(20 - number.size(), '0');
  out->append(number);
}

}  // namespace

struct SweepReadingCache::Cursors {
  struct PerThread {
    std::unique_ptr<storage::StatusIndex::MetaCursor> cursor;
    std::vector<uint64_t> found_keys;  // taken into found_keys_ by Finish
  };
  tbb::enumerable_thread_specific<PerThread> per_thread;
};

SweepReadingCache::SweepReadingCache(storage::StatusIndex* index, std::string namespace_digest, bool full,
                                     uint64_t entries, bool count_known)
    : index_(index),
      namespace_(std::move(namespace_digest)),
      full_(full),
      entries_(entries),
      count_known_(count_known),
      cwd_([] {
        std::error_code ec;
        std::filesystem::path cwd = std::filesystem::current_path(ec);
        return ec ? std::filesystem::path() : cwd;  // unknown: sources are keyed as given
      }()),
      cursors_(std::make_unique<Cursors>()) {}

SweepReadingCache::~SweepReadingCache() = default;

std::string SweepReadingCache::EntryKey(std::string_view source) const {
  std::string key;
  AppendEntryKey(source, &key);
  return key;
}

void SweepReadingCache::AppendEntryKey(std::string_view source, std::string* key) const {
  key->append(kEntryPrefix);
  key->append(key_namespace());
  AppendSortableSource(source, cwd_, key);
}

uint64_t SweepReadingCache::KeyHash(std::string_view entry_key) { return std::hash<std::string_view>()(entry_key); }

Result<std::unique_ptr<SweepReadingCache>> SweepReadingCache::Open(storage::StatusIndex* index,
                                                                   std::string namespace_digest, bool full,
                                                                   uint64_t* dropped) {
  if (dropped) *dropped = 0;
  // The state is kept beside the readings, in the cache space: both are written
  // without the log, so after a crash the family holds what was written up to
  // some point, and a run that wrote anything marked the state incomplete first
  // (below): the state never claims an exact count the readings do not have.
  auto stored = index->GetMeta(kStateKey, kSpace);
  if (!stored.ok()) return stored.status();
  bool in_meta = false;  // where builds before 2026-12-06 kept it
  if (!*stored) {
    stored = index->GetMeta(kStateKey);
    if (!stored.ok()) return stored.status();
    in_meta = stored->has_value();
  }
  std::optional<State> state = *stored ? ParseState(**stored) : std::nullopt;
  if (!state || state->namespace_digest != namespace_digest) {
    // Readings made under another trust configuration or policy, or a damaged
    // state record: none can be used (entry keys name their namespace), and the
    // next complete run of the whole corpus removes them.
    if (state && dropped) *dropped = state->entries;
    state = State{namespace_digest, 0, false};
  }
  // Until Finish, the count is not exact: a run stopped half-way leaves entries
  // the state does not count, which the next Finish then looks for.
  const bool count_known = state->complete;
  if (Status s = index->PutMeta(kStateKey, StateJson({namespace_digest, state->entries, false}), kSpace); !s.ok()) {
    return s;
  }
  if (in_meta) {
    if (Status s = index->WriteMeta({}, {std::string(kStateKey)}); !s.ok()) return s;
  }
  std::unique_ptr<SweepReadingCache> cache(
      new SweepReadingCache(index, std::move(namespace_digest), full, state->entries, count_known));
  // The run's cursors will step through all of this namespace's readings.
  if (!full && state->entries > 0) {
    index->ReadAhead(std::string(kEntryPrefix) + std::string(cache->key_namespace()), kSpace, UINT64_MAX);
  }
  return cache;
}

std::optional<std::string_view> SweepReadingCache::Find(std::string_view source, std::string_view digest) const {
  if (full_) return std::nullopt;
  thread_local std::string key;  // its allocation kept from one record to the next
  key.clear();
  AppendEntryKey(source, &key);
  // Records come in corpus order, and so do the keys: each thread's cursor steps
  // through them.
  Cursors::PerThread& mine = cursors_->per_thread.local();
  if (!mine.cursor) mine.cursor = index_->NewMetaCursor(kSpace);
  auto entry = mine.cursor->Get(key);
  if (!entry.ok() || !*entry) return std::nullopt;
  const std::string_view value = **entry;
  // Another record at this source (the file changed): not found, and replaced
  // when this one's reading is added.
  if (value.size() < kDigestBytes || value.substr(0, kDigestBytes) != digest) return std::nullopt;
  mine.found_keys.push_back(KeyHash(key));
  found_.fetch_add(1, std::memory_order_relaxed);
  return value.substr(kDigestBytes);  // the cursor stays there until this thread's next Find
}

void SweepReadingCache::Stale(std::string_view source) const {
  const uint64_t hash = KeyHash(EntryKey(source));
  std::lock_guard lock(mu_);
  // Not kept unless added again; Finish then removes it.
  stale_keys_.push_back(hash);
  ++stale_count_;
}

void SweepReadingCache::Add(std::string_view source, std::string_view digest, std::string entry) const {
  if (entry.size() > kMaxEntryBytes || digest.size() != kDigestBytes || failed_) return;
  std::string key = EntryKey(source);
  const uint64_t hash = KeyHash(key);
  entry.insert(0, digest);
  std::vector<std::pair<std::string, std::string>> batch;
  {
    std::lock_guard lock(mu_);
    added_keys_.push_back(hash);
    pending_bytes_ += key.size() + entry.size();
    pending_.emplace_back(std::move(key), std::move(entry));
    if (pending_.size() < kEntriesPerWrite && pending_bytes_ < kBytesPerWrite) return;
    batch.swap(pending_);
    pending_bytes_ = 0;
  }
  Write(std::move(batch));
}

void SweepReadingCache::Write(std::vector<std::pair<std::string, std::string>> batch) const {
  std::lock_guard lock(write_mu_);
  if (!write_error_.ok()) return;
  write_error_ = index_->WriteMeta(batch, {}, kSpace);
  if (!write_error_.ok()) failed_ = true;
}

// A run that wrote readings for more than a quarter of those it kept (the first,
// --full, a new build or trust configuration) leaves each key in two versions
// until RocksDB compacts them in its own time: the next run's cursors would step
// over both. The run that wrote them compacts them, a few seconds at a million.
bool SweepReadingCache::Rewritten(size_t kept) const {
  return added_keys_.size() >= kCompactAfterAdding && added_keys_.size() > kept / 4;
}

Status SweepReadingCache::CompactIfRewritten() {
  {
    std::lock_guard lock(mu_);
    if (!rewritten_) return Status::Ok();
    rewritten_ = false;
  }
  Status s = index_->CompactMeta(kSpace);
  return s.ok() ? s : Status(s.code(), "compacting the kept readings: " + s.message());
}

Status SweepReadingCache::Finish(bool whole_corpus) {
  std::vector<std::pair<std::string, std::string>> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
  }
  if (!batch.empty()) Write(std::move(batch));
  {
    std::lock_guard lock(write_mu_);
    if (!write_error_.ok()) return Status(write_error_.code(), "the reading cache: " + write_error_.message());
  }
  std::lock_guard lock(mu_);
  for (Cursors::PerThread& t : cursors_->per_thread) {
    found_keys_.insert(found_keys_.end(), t.found_keys.begin(), t.found_keys.end());
    t.found_keys = {};
  }
  auto sort_unique = [](std::vector<uint64_t>* v) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  };
  sort_unique(&found_keys_);
  sort_unique(&stale_keys_);
  sort_unique(&added_keys_);
  // Kept: found and still holding, or added this run.
  std::vector<uint64_t> holding, kept;
  std::set_difference(found_keys_.begin(), found_keys_.end(), stale_keys_.begin(), stale_keys_.end(),
                      std::back_inserter(holding));
  std::set_union(holding.begin(), holding.end(), added_keys_.begin(), added_keys_.end(), std::back_inserter(kept));
  if (!whole_corpus) {
    // Readings of records other parts or a later run will read stay; the count is
    // a lower bound until a whole run counts again.
    entries_ = std::max<uint64_t>(entries_, kept.size());
    rewritten_ = Rewritten(kept.size());
    return index_->PutMeta(kStateKey, StateJson({namespace_, entries_, false}), kSpace);
  }
  // Entries stored before that this run did not use: of records it did not read or
  // that changed, stale ones, or left uncounted by a run stopped half-way. (Under
  // --full nothing was looked up.)
  const bool may_hold_others = full_ || !count_known_ || !stale_keys_.empty() || entries_ > found_keys_.size();
  if (may_hold_others) {
    std::vector<std::string> gone;
    Status st = index_->ForEachMeta(
        kEntryPrefix,
        [&](std::string_view key, std::string_view) {
          // Another namespace's, or a record this run did not keep.
          if (!key.substr(kEntryPrefix.size()).starts_with(key_namespace()) ||
              !std::binary_search(kept.begin(), kept.end(), KeyHash(key))) {
            gone.emplace_back(key);
          }
          return true;
        },
        kSpace);
    if (!st.ok()) return st;
    for (size_t i = 0; i < gone.size(); i += kEntriesPerWrite) {
      const std::vector<std::string> keys(gone.begin() + i, gone.begin() + std::min(gone.size(), i + kEntriesPerWrite));
      if (Status s = index_->WriteMeta({}, keys, kSpace); !s.ok()) return s;
    }
    // The cache as earlier versions kept it.
    if (Status s = index_->DeleteMetaPrefix(kMetaSpacePrefix); !s.ok()) return s;
  }
  entries_ = kept.size();
  rewritten_ = Rewritten(kept.size());
  return index_->PutMeta(kStateKey, StateJson({namespace_, entries_, true}), kSpace);
}

}  // namespace credsweep::io
