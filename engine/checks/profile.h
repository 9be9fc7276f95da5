// The EU micro-credential profile (`--profile eu-microcredential`): does the
// credential state each mandatory element of Annex I of Council Recommendation
// 2022/C 243/02 on micro-credentials? Each element has alternative JSON paths in
// ELM v3 (EDC) and in VC 2.0 / Open Badges 3.0 terms; docs/eu-microcredential-
// profile.md is the table this unit implements. Presence is checked, not meaning:
// a non-blank string, a number, a boolean, or an array or object holding one
// (an object's `type` alone does not count). Private to engine/; stateless.
#ifndef CREDSWEEP_ENGINE_CHECKS_PROFILE_H_
#define CREDSWEEP_ENGINE_CHECKS_PROFILE_H_

#include <string_view>
#include <vector>

#include "engine/credential_profile.h"
#include "engine/internal/json.h"
#include "engine/verification_result.h"

namespace credsweep::checks {

// What the EU micro-credential profile found in one credential.
struct ProfileReport {
  // Plain names of the mandatory elements not found, in Annex I order, e.g.
  // "notional workload". Empty when the credential passes.
  std::vector<std::string_view> missing;
  // The level (EQF, QF-EHEA, national framework) is mandatory only "if
  // applicable", which a verifier cannot tell: its absence is reported, never failed.
  bool level_stated = false;
  // How many elements were found present (level included when stated).
  size_t present = 0;
};

// `credential` is the credential object: the payload, or a VC 1.1 JWT's `vc` claim.
ProfileReport CheckEuMicrocredential(internal::object credential);

// Holds a format result that passed to `profile`: with every mandatory element
// present, appends "; EU micro-credential profile: all N elements present" (and
// the level note) to its message; otherwise turns it into a fail with code
// `profile_incomplete` whose message lists every missing element. A result that
// did not pass, or kNone, is left alone.
void ApplyProfile(CredentialProfile profile, internal::object credential, CheckResult* format);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_PROFILE_H_
