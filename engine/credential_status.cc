#include "engine/credential_status.h"

namespace credsweep {

std::string_view StateName(CredentialState s) {
  switch (s) {
    case CredentialState::kActive: return "active";
    case CredentialState::kRevoked: return "revoked";
    case CredentialState::kSuspended: return "suspended";
  }
  return "unknown";
}

std::optional<CredentialState> StateFromName(std::string_view name) {
  if (name == "active") return CredentialState::kActive;
  if (name == "revoked") return CredentialState::kRevoked;
  if (name == "suspended") return CredentialState::kSuspended;
  return std::nullopt;
}

}  // namespace credsweep
