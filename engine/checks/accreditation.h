// The accreditation check: is the awarding body accredited for this kind of
// credential at issue time? No accreditation source exists yet, so the check is
// skipped with `not_configured` (`--require accreditation` turns that into a
// failure). Private to engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_ACCREDITATION_H_
#define CREDSWEEP_ENGINE_CHECKS_ACCREDITATION_H_

#include "engine/checks/format.h"
#include "engine/verifier.h"

namespace credsweep::checks {

CheckResult CheckAccreditation(const ParsedCredential& cred, const VerifierOptions& options);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_ACCREDITATION_H_
