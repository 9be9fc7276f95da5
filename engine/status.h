// Credential status as the engine's own index records it, and the port through
// which the revocation check reads it.
#ifndef CREDSWEEP_ENGINE_STATUS_H_
#define CREDSWEEP_ENGINE_STATUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/result.h"
#include "engine/timestamp.h"

namespace credsweep {

enum class CredentialState : uint8_t { kActive = 0, kRevoked = 1, kSuspended = 2 };

std::string_view StateName(CredentialState s);
std::optional<CredentialState> StateFromName(std::string_view name);

struct StatusRecord {
  CredentialState state = CredentialState::kActive;
  std::string reason;
  UnixSeconds changed_at = 0;
  std::string list_id;       // status list the credential is published in; empty if none
  uint64_t list_index = 0;   // its slot in that list
  uint64_t last_event = 0;   // sequence number of the event that set this state
  std::string issuer;        // issuer URL when known (register records it), for publishing
};

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

#endif  // CREDSWEEP_ENGINE_STATUS_H_
