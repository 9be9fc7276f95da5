// Credential status as the engine's own index records it: state, reason, time and
// the status-list slot it is published in.
#ifndef CREDSWEEP_ENGINE_CREDENTIAL_STATUS_H_
#define CREDSWEEP_ENGINE_CREDENTIAL_STATUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_CREDENTIAL_STATUS_H_
