// Status lists resolved once per Verifier and shared by all its threads: a second
// thread asking for a URL that is being resolved waits for the first. Resolved
// lists are kept up to a byte budget, least recently used dropped first (a dropped
// list is resolved again when a record needs it). Each thread also remembers the
// lists it was handed (up to kPerThread; a corpus's records name the same lists
// over and over): asked again, it hands them out without the shared lock (most of the
// time: see kTouchEvery), for as long as no list has left the cache since. (A
// thread's remembered lists outlive a destroyed cache until that thread next
// resolves a list through another.)
// Private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_STATUS_LIST_CACHE_H_
#define CREDSWEEP_ENGINE_INTERNAL_STATUS_LIST_CACHE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/checks/revocation.h"

namespace credsweep::internal {

// The byte of `list`'s bits that holds entry `index` (of `bits_per_entry` bits;
// 0: the list's own width, a Status List Token's); null when there is none (an
// index past the end, no width, a list with a problem and so no bits).
const char* StatusEntryByte(const checks::ResolvedList& list, uint64_t index, unsigned bits_per_entry);

class StatusListCache final : public checks::ListResolver {
 public:
  using Loader = std::function<std::shared_ptr<checks::ResolvedList>(const std::string& url)>;
  StatusListCache(Loader load, size_t max_bytes);

  // If the loader throws, every thread waiting on that URL gets the exception
  // (each record's task fence turns it into that record's internal error).
  std::shared_ptr<const checks::ResolvedList> Resolve(const std::string& url) const override;
  // Only for a list this thread was handed since the cache last dropped one.
  void Prefetch(const std::string& url, uint64_t index, unsigned bits_per_entry) const override;

  // Lists each thread remembers, and how often a thread's use of one counts in
  // the shared least-recently-used order (its first use, then one in this many).
  static constexpr size_t kPerThread = 1024;
  static constexpr uint32_t kTouchEvery = 64;

 private:
  std::shared_ptr<const checks::ResolvedList> ResolveShared(const std::string& url) const;
  struct Slot {
    std::shared_future<std::shared_ptr<const checks::ResolvedList>> future;  // while being resolved
    std::shared_ptr<const checks::ResolvedList> list;                        // when done
    size_t bytes = 0;
    bool done = false;
    std::list<std::string>::iterator lru;  // valid when done
  };
  void Keep(const std::string& url, const std::shared_ptr<const checks::ResolvedList>& list) const;

  Loader load_;
  size_t max_bytes_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Slot> slots_;
  mutable std::list<std::string> lru_;  // resolved URLs, most recently used first
  mutable size_t bytes_ = 0;
  // Which cache a thread's remembered lists are of, and since when: bumped (under
  // mu_) whenever a resolved list leaves slots_.
  const uint64_t instance_;
  mutable std::atomic<uint64_t> removals_{0};
};

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_STATUS_LIST_CACHE_H_
