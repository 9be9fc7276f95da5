// Resolved did:key / did:jwk keys, shared by all threads of one Verifier. Private
// to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_DID_CACHE_H_
#define CREDSWEEP_ENGINE_INTERNAL_DID_CACHE_H_

#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "engine/did.h"

namespace credsweep::internal {

class DidKeyCache {
 public:
  // The key a DID URL names; resolved once, then served from memory (bounded:
  // the cache starts over past kMax entries).
  Result<PublicKeyPtr> Resolve(std::string_view did_url) {
    std::string k(did_url);
    {
      std::shared_lock lock(mu_);
      if (auto it = keys_.find(k); it != keys_.end()) return it->second;
    }
    auto key = ResolveDidKey(did_url);
    if (!key.ok()) return key;
    std::unique_lock lock(mu_);
    if (keys_.size() >= kMax) keys_.clear();
    keys_.emplace(std::move(k), key.value());
    return key;
  }

 private:
  static constexpr size_t kMax = 65536;
  std::shared_mutex mu_;
  std::unordered_map<std::string, PublicKeyPtr> keys_;
};

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_DID_CACHE_H_
