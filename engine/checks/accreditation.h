// The accreditation check: is the awarding body accredited for this kind of
// credential at issue time? Records come from the trusted-issuer registry
// (`accreditations`) and, for records a credential names by URI, from
// --accreditations DIR / --online (docs/accreditation.md). Private to engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_ACCREDITATION_H_
#define CREDSWEEP_ENGINE_CHECKS_ACCREDITATION_H_

#include <memory>
#include <string>

#include "engine/accreditation.h"
#include "engine/checks/format.h"
#include "engine/verifier.h"

namespace credsweep::checks {

// One Verifiable Accreditation of an EBSI trust chain, read and sealed by the
// verifier's own rules (its issuer bound to its key as any credential's is).
struct AccreditationLink {
  std::string source;         // the URL it was read from
  std::string registry_type;  // the TIR attribute's issuerType ("TI", "TAO", "RootTAO", "Revoked"), if given
  ParsedCredential cred;
  CheckResult format, seal;
  CheckResult revocation;  // its own credentialStatus; skipped when not configured or not sealed
};

// Records fetched by URI, parsed once per Verifier.
class AccreditationResolver {
 public:
  virtual ~AccreditationResolver() = default;
  // NotFound: no source has a record at `uri`; any other error: it could not be
  // had (never read as "not accredited").
  virtual Result<std::shared_ptr<const AccreditationRecord>> Resolve(const std::string& uri) const = 0;
  // The Verifiable Accreditations at `url`: a Trusted Issuers Registry issuer
  // document (each of its attributes), an attribute document (one), or one
  // credential as such. Errors as for Resolve.
  virtual Result<std::vector<std::shared_ptr<const AccreditationLink>>> Links(const std::string& url) const = 0;
};

// At most this many accreditations make a chain up to its root.
inline constexpr int kMaxAccreditationChain = 8;

// Whether any accreditation source is configured (else the check is skipped
// with `not_configured`).
bool AccreditationConfigured(const VerifierOptions& options);

// `records` may be null when no source fetches records by URI.
CheckResult CheckAccreditation(const ParsedCredential& cred, const VerifierOptions& options,
                               const AccreditationResolver* records);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_ACCREDITATION_H_
