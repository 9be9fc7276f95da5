// The validity check: is the verification time inside validFrom/validUntil (and
// the JWT nbf/exp beside them), widened by the clock skew? Private to engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_VALIDITY_H_
#define CREDSWEEP_ENGINE_CHECKS_VALIDITY_H_

#include "engine/checks/format.h"

namespace credsweep::checks {

// Requires a credential that passed the format check. `explain_pass` false: a pass
// carries its code without the message that gives the period (VerifierOptions::
// explain_passes); a failure still says why.
CheckResult CheckValidity(const ParsedCredential& cred, UnixSeconds at, int64_t skew, bool explain_pass = true);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_VALIDITY_H_
