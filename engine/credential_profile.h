// Credential profiles: extra requirements the format check holds a credential to,
// chosen by name (`--profile`). Default: none.
#ifndef CREDSWEEP_ENGINE_CREDENTIAL_PROFILE_H_
#define CREDSWEEP_ENGINE_CREDENTIAL_PROFILE_H_

#include <optional>
#include <string_view>

namespace credsweep {

enum class CredentialProfile {
  kNone,
  // "eu-microcredential": the mandatory elements of a micro-credential per Annex I
  // of Council Recommendation 2022/C 243/02, in ELM or VC 2.0 / Open Badges 3.0
  // terms (docs/eu-microcredential-profile.md). A credential that lacks one fails
  // format with `profile_incomplete`, naming every missing element.
  kEuMicrocredential,
};

inline constexpr std::string_view kEuMicrocredentialProfileName = "eu-microcredential";

// The profile of that name; nullopt for an unknown name.
inline std::optional<CredentialProfile> CredentialProfileFromName(std::string_view name) {
  if (name == kEuMicrocredentialProfileName) return CredentialProfile::kEuMicrocredential;
  return std::nullopt;
}

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_CREDENTIAL_PROFILE_H_
