// Status lists resolved once per Verifier and shared by all its threads: a second
// thread asking for a URL that is being resolved waits for the first. Resolved
// lists are kept up to a byte budget, least recently used dropped first (a dropped
// list is resolved again when a record needs it). Private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_STATUS_LIST_CACHE_H_
#define CREDSWEEP_ENGINE_INTERNAL_STATUS_LIST_CACHE_H_

#include <functional>
#include <future>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/checks/revocation.h"

namespace credsweep::internal {

class StatusListCache final : public checks::ListResolver {
 public:
  using Loader = std::function<std::shared_ptr<checks::ResolvedList>(const std::string& url)>;
  StatusListCache(Loader load, size_t max_bytes) : load_(std::move(load)), max_bytes_(max_bytes) {}

  // If the loader throws, every thread waiting on that URL gets the exception
  // (each record's task fence turns it into that record's internal error).
  std::shared_ptr<const checks::ResolvedList> Resolve(const std::string& url) const override;

 private:
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
};

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_STATUS_LIST_CACHE_H_
