// In-memory fakes of the engine's ports, for unit tests only.
#ifndef CREDSWEEP_TESTS_FAKES_H_
#define CREDSWEEP_TESTS_FAKES_H_

#include <atomic>
#include <map>
#include <vector>
#include <string>

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

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_FAKES_H_
