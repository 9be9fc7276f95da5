// In-memory fakes of the engine's ports, for unit tests only.
#ifndef CREDSWEEP_TESTS_FAKES_H_
#define CREDSWEEP_TESTS_FAKES_H_

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ports.h"

namespace credsweep::testing {

// Published documents (status lists, issuer key documents) by URL; counts every
// fetch. Unknown URLs are NotFound.
class MapListSource : public DocumentSource {
 public:
  std::map<std::string, std::string, std::less<>> docs;
  mutable std::atomic<int> fetches{0};
  mutable std::vector<std::string> validated;  // URLs the verifier reported valid
  Result<std::string> Fetch(std::string_view url) const override {
    ++fetches;
    auto it = docs.find(url);
    if (it == docs.end()) return NotFound("connection refused");
    return it->second;
  }
  void Validated(std::string_view url, std::string_view) const override { validated.emplace_back(url); }
};

// Status records by credential id.
class MapIndex : public StatusLookup {
 public:
  std::map<std::string, StatusRecord, std::less<>> records;
  Result<std::optional<StatusRecord>> Lookup(std::string_view id) const override {
    auto it = records.find(id);
    if (it == records.end()) return std::optional<StatusRecord>();
    return std::optional<StatusRecord>(it->second);
  }
};

// Readings kept as the sweep keeps them (SweepReadingCache): one entry per
// source, found only for the same record (SHA-256); a stale one is dropped.
// Counts what it is asked, for tests of when readings are kept, used and dropped.
class InMemoryReadingCache final : public ReadingCache {
 public:
  std::optional<std::string_view> Find(std::string_view source, std::string_view record_sha256) const override {
    std::lock_guard lock(mu_);
    auto it = entries_.find(source);
    if (it == entries_.end() || it->second.sha256 != record_sha256) return std::nullopt;
    ++found_;
    // Valid until this thread's next call, whatever other threads add meanwhile.
    thread_local std::string found;
    found = it->second.reading;
    return std::string_view(found);
  }
  void Add(std::string_view source, std::string_view record_sha256, std::string entry) const override {
    std::lock_guard lock(mu_);
    entries_.insert_or_assign(std::string(source), Entry{std::string(record_sha256), std::move(entry)});
    ++added_;
  }
  void Stale(std::string_view source) const override {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(source); it != entries_.end()) entries_.erase(it);
    ++stale_;
  }
  int found() const { return Count(found_); }  // Finds that gave an entry
  int added() const { return Count(added_); }
  int stale() const { return Count(stale_); }

 private:
  struct Entry {
    std::string sha256, reading;
  };
  int Count(const int& n) const {
    std::lock_guard lock(mu_);
    return n;
  }
  mutable std::mutex mu_;
  mutable std::map<std::string, Entry, std::less<>> entries_;  // by source
  mutable int found_ = 0, added_ = 0, stale_ = 0;
};

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_FAKES_H_
