#include "io/sweep/reading_cache.h"

#include <simdjson.h>

#include "engine/json_writer.h"

namespace credsweep::io {
namespace {

// Meta keys: the cache's state record, and one entry per record digest (32 raw bytes).
constexpr std::string_view kStateKey = "sweep:cache:state";
constexpr std::string_view kEntryPrefix = "sweep:cache:r:";
// Entries buffered before one write.
constexpr size_t kEntriesPerWrite = 4096;


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

}  // namespace

std::string SweepReadingCache::EntryKey(std::string_view digest) const {
  return std::string(kEntryPrefix) + std::string(key_namespace()) + std::string(digest);
}

Result<std::unique_ptr<SweepReadingCache>> SweepReadingCache::Open(storage::StatusIndex* index,
                                                                   std::string namespace_digest, bool full,
                                                                   uint64_t* dropped) {
  if (dropped) *dropped = 0;
  auto stored = index->GetMeta(kStateKey);
  if (!stored.ok()) return stored.status();
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
  if (Status s = index->PutMeta(kStateKey, StateJson({namespace_digest, state->entries, false})); !s.ok()) return s;
  return std::unique_ptr<SweepReadingCache>(
      new SweepReadingCache(index, std::move(namespace_digest), full, state->entries, count_known));
}

std::optional<std::string> SweepReadingCache::Find(std::string_view digest) const {
  if (full_) return std::nullopt;
  auto entry = index_->GetMeta(EntryKey(digest));
  if (!entry.ok() || !*entry) return std::nullopt;
  {
    std::lock_guard lock(mu_);
    if (touched_.emplace(digest).second) ++found_distinct_;
  }
  ++found_;
  return std::move(*entry);
}

void SweepReadingCache::Stale(std::string_view digest) const {
  std::lock_guard lock(mu_);
  // Not kept unless added again; Finish then removes it.
  touched_.erase(std::string(digest));
  ++stale_;
}

void SweepReadingCache::Add(std::string_view digest, std::string entry) const {
  if (entry.size() > kMaxEntryBytes || failed_) return;
  std::vector<std::pair<std::string, std::string>> batch;
  {
    std::lock_guard lock(mu_);
    touched_.emplace(digest);
    pending_bytes_ += digest.size() + entry.size();
    pending_.emplace_back(EntryKey(digest), std::move(entry));
    if (pending_.size() < kEntriesPerWrite && pending_bytes_ < kBytesPerWrite) return;
    batch.swap(pending_);
    pending_bytes_ = 0;
  }
  Write(std::move(batch));
}

void SweepReadingCache::Write(std::vector<std::pair<std::string, std::string>> batch) const {
  std::lock_guard lock(write_mu_);
  if (!write_error_.ok()) return;
  write_error_ = index_->WriteMeta(batch);
  if (!write_error_.ok()) failed_ = true;
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
  if (!whole_corpus) {
    // Readings of records other parts or a later run will read stay; the count is
    // a lower bound until a whole run counts again.
    entries_ = std::max<uint64_t>(entries_, touched_.size());
    return index_->PutMeta(kStateKey, StateJson({namespace_, entries_, false}));
  }
  // Entries stored before that this run did not use: of records it did not read,
  // stale ones, or left uncounted by a run stopped half-way. (Under --full nothing
  // was looked up.)
  const bool may_hold_others = full_ || !count_known_ || stale_ > 0 || entries_ > found_distinct_;
  if (may_hold_others) {
    std::vector<std::string> gone;
    Status st = index_->ForEachMeta(kEntryPrefix, [&](std::string_view key, std::string_view) {
      // Another namespace's, or a record this run did not keep.
    const std::string_view rest = key.substr(kEntryPrefix.size());
    if (!rest.starts_with(key_namespace()) || !touched_.count(std::string(rest.substr(key_namespace().size())))) {
      gone.emplace_back(key);
    }
      return true;
    });
    if (!st.ok()) return st;
    for (size_t i = 0; i < gone.size(); i += kEntriesPerWrite) {
      const std::vector<std::string> keys(gone.begin() + i, gone.begin() + std::min(gone.size(), i + kEntriesPerWrite));
      if (Status s = index_->WriteMeta({}, keys); !s.ok()) return s;
    }
  }
  entries_ = touched_.size();
  return index_->PutMeta(kStateKey, StateJson({namespace_, entries_, true}));
}

}  // namespace credsweep::io
