// EBSI accreditation chains, the accreditation check's second source: a
// credential's issuer holds a Verifiable Accreditation to attest, issued by an
// accreditation organisation that holds one to accredit, and so on up to a root
// the trust registry marks `accreditationRoot` (docs/accreditation.md, "EBSI
// accreditation chains"). Private to engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_ACCREDITATION_CHAIN_H_
#define CREDSWEEP_ENGINE_CHECKS_ACCREDITATION_CHAIN_H_

#include <optional>

#include "engine/checks/accreditation.h"

namespace credsweep::checks {

// Whether the credential is one an EBSI chain accredits: its `termsOfUse` names
// the accreditation its issuer holds, or its issuer is a did:ebsi DID.
bool ClaimsAccreditationChain(const Credential& c);

// Follows the chain from the credential's issuer. nullopt when no source holds
// any accreditation of the issuer and the credential names none (it claims
// nothing: the caller goes on to its other sources).
std::optional<CheckResult> CheckAccreditationChain(const Credential& c, const VerifierOptions& options,
                                                   const AccreditationResolver& links);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_ACCREDITATION_CHAIN_H_
