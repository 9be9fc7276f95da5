#include "engine/checks/accreditation.h"

namespace credsweep::checks {

CheckResult CheckAccreditation(const ParsedCredential&, const VerifierOptions&) {
  return {Outcome::kSkipped, "not_configured", "accreditation checking is not configured"};
}

}  // namespace credsweep::checks
