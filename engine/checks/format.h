// The format check: is the envelope's payload a well-formed credential of a known
// kind (VC 1.1 / 2.0, VC 1.1 JWT, ELM/EDC spellings), with JWT claims that agree
// with it? Private to engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_FORMAT_H_
#define CREDSWEEP_ENGINE_CHECKS_FORMAT_H_

#include <optional>

#include "engine/credential.h"
#include "engine/credential_profile.h"
#include "engine/internal/envelope.h"
#include "engine/verification_result.h"

namespace credsweep::checks {

// The credential as the later checks see it.
struct ParsedCredential {
  bool present = false;  // a credential was read (possibly with a format problem)
  Credential credential;
  // Registered JWT claims beside the credential (VC-JOSE, VC 1.1 JWT).
  std::optional<UnixSeconds> nbf, exp, iat;
  // SD-JWT VC: the holder's key (`cnf.jwk`, minified JSON) a Key Binding JWT must
  // be signed with; empty when the credential names none.
  std::string holder_jwk;
};

// The registered JWT dates (nbf, exp, iat) of `claims` into *out as NumericDates,
// or bad_date. `document`: the claims are a VC-JOSE document itself, in which a
// member of such a name that is not a number is not a JWT claim (and is skipped).
Finding ReadJwtDates(internal::object claims, bool document, ParsedCredential* out);

// Reads env.payload into *out. pass, or fail with the first problem (including
// the envelope's own); `present` tells whether id/issuer are worth reporting.
// A well-formed credential is then held to `profile` (engine/checks/profile.h) on
// the same parse: fail `profile_incomplete`, or the profile's finding appended.
// `payload`: env.payload already parsed into p.payload (ReadPresentation), or null.
CheckResult CheckFormat(const internal::Envelope& env, internal::Parsers& p, ParsedCredential* out,
                        CredentialProfile profile = CredentialProfile::kNone,
                        const internal::object* payload = nullptr);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_FORMAT_H_
