// The ports the engine declares for what it reads from outside: the status index
// (StatusLookup) and status list credentials (StatusListSource). storage/ and io/
// implement them; tests use in-memory fakes (tests/fakes.h).
#ifndef CREDSWEEP_ENGINE_PORTS_H_
#define CREDSWEEP_ENGINE_PORTS_H_

#include <optional>
#include <string>
#include <string_view>

#include "engine/credential_status.h"
#include "engine/result.h"

namespace credsweep {

// Read side of the status index, as the verifier needs it. Implementations must be
// safe to call from many threads at once.
class StatusLookup {
 public:
  virtual ~StatusLookup() = default;
  // nullopt: the id was never registered ("unknown", never "active").
  virtual Result<std::optional<StatusRecord>> Lookup(std::string_view credential_id) const = 0;
};

// Where status list credentials come from (a folder, the index's cache, HTTP).
// Implementations must be safe to call from many threads at once.
class StatusListSource {
 public:
  virtual ~StatusListSource() = default;
  // The list credential document at `url`, as published (a compact JWS or JSON).
  // NotFound / IoError when it cannot be had; never a guess.
  virtual Result<std::string> Fetch(std::string_view url) const = 0;
  // Called by the verifier after the document fetched from `url` passed every check
  // (seal, issuer, type, purpose, dates). Sources that persist what they fetch store it
  // only then. Default: nothing.
  virtual void Validated(std::string_view url, std::string_view document) const {}
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_PORTS_H_
