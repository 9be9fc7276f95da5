#include "io/sweep/reading_cache.h"

#include <simdjson.h>

#include "engine/json_writer.h"

namespace credsweep::io {
namespace {

// Meta keys: the cache's state record, and one entry per record digest (32 raw bytes).
constexpr std::string_view kPrefix = "sweep:cache:";
constexpr std::string_view kStateKey = "sweep:cache:state";
constexpr std::string_view kEntryPrefix = "sweep:cache:r:";
// Entries buffered before one write.
constexpr size_t kEntriesPerWrite = 4096;

std::string EntryKey(std::string_view digest) { return std::string(kEntryPrefix) + std::string(digest); }

struct State {
  std::string namespace_digest;
  uint64_t entries = 0;
};

std::optional<State> ParseState(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  std::string_view digest;
  uint64_t entries = 0;
  if (parser.parse(json.data(), json.size()).get_object().get(o) != simdjson::SUCCESS ||
      o["namespace"].get_string().get(digest) != simdjson::SUCCESS ||
      o["entries"].get_uint64().get(entries) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return State{std::string(digest), entries};
}

std::string StateJson(std::string_view namespace_digest, uint64_t entries) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Member("namespace", namespace_digest).Member("entries", entries).EndObject();
  return out;
}

}  // namespace

Result<std::unique_ptr<SweepReadingCache>> SweepReadingCache::Open(storage::StatusIndex* index,
                                                                   std::string namespace_digest, bool full,
                                                                   uint64_t* dropped) {
  if (dropped) *dropped = 0;
  auto stored = index->GetMeta(kStateKey);
  if (!stored.ok()) return stored.status();
  std::optional<State> state = *stored ? ParseState(**stored) : std::nullopt;
  if (!state || state->namespace_digest != namespace_digest) {
    // Readings made under another trust configuration or policy, or a damaged
    // state record: none can be used.
    if (state && dropped) *dropped = state->entries;
    if (Status s = index->DeleteMetaPrefix(kPrefix); !s.ok()) return s;
    state = State{namespace_digest, 0};
  }
  return std::unique_ptr<SweepReadingCache>(
      new SweepReadingCache(index, std::move(namespace_digest), full, state->entries));
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
  std::lock_guard lock(mu_);
  touched_.emplace(digest);
  ++added_;
  pending_.emplace_back(EntryKey(digest), std::move(entry));
  if (pending_.size() >= kEntriesPerWrite && write_error_.ok()) write_error_ = WritePending();
}

Status SweepReadingCache::WritePending() const {
  Status s = index_->WriteMeta(pending_);
  pending_.clear();
  return s;
}

Status SweepReadingCache::Finish() {
  std::lock_guard lock(mu_);
  if (write_error_.ok() && !pending_.empty()) write_error_ = WritePending();
  if (!write_error_.ok()) return Status(write_error_.code(), "the reading cache: " + write_error_.message());
  // Entries stored before that this run did not use: of records it did not read,
  // or stale ones. (Under --full nothing was looked up.)
  const bool may_hold_others = full_ || stale_ > 0 || entries_ > found_distinct_;
  if (may_hold_others) {
    std::vector<std::string> stale;
    Status st = index_->ForEachMeta(kEntryPrefix, [&](std::string_view key, std::string_view) {
      if (!touched_.count(std::string(key.substr(kEntryPrefix.size())))) stale.emplace_back(key);
      return true;
    });
    if (!st.ok()) return st;
    for (size_t i = 0; i < stale.size(); i += kEntriesPerWrite) {
      const std::vector<std::string> batch(stale.begin() + i, stale.begin() + std::min(stale.size(), i + kEntriesPerWrite));
      if (Status s = index_->WriteMeta({}, batch); !s.ok()) return s;
    }
  }
  entries_ = touched_.size();
  return index_->PutMeta(kStateKey, StateJson(namespace_, entries_));
}

}  // namespace credsweep::io
