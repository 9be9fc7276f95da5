// Issuer binding, part of the seal check: does the key that verified belong to
// the issuer the credential names, at the signing time? A key counts only when
// something the verifier trusts says so:
//   - it is a key of the issuer's DID;
//   - the trust registry (--trust) lists it, or the certificate, for the issuer;
//   - the certificate's organizationIdentifier is the issuer's own identifier (the
//     registry's identifiers for an issuer it knows, else the credential's);
//   - it was loaded with --jwks ISSUER=FILE for that issuer.
// And a seal binds the issuer only: the awarding bodies a credential names must be
// the issuer or bodies the registry says it may seal for (mandates). Private to
// engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_ISSUER_BINDING_H_
#define CREDSWEEP_ENGINE_CHECKS_ISSUER_BINDING_H_

#include <string>
#include <string_view>

#include "engine/credential.h"
#include "engine/finding.h"
#include "engine/keys.h"
#include "engine/verifier.h"
#include "engine/checks/verdict_window.h"
#include "engine/x509_chain.h"

namespace credsweep::checks {

// A passing binding has an ok() finding and says how the key is bound in `note`.
struct Binding {
  Finding finding;
  std::string note;
};

// A key from the configured JWK Sets that verified the seal; `via` names it for
// messages ("kid 'uj-1'"). `at` is the signing time; `at_now`: it is the
// verification time itself (no signing time is claimed and validFrom lies
// ahead). `window` (may be null) receives the verification times the binding
// holds for (a registry period that ends is judged against the verification time
// too, and with `at_now` its start as well).
Binding BindConfiguredKey(const PublicKey& key, std::string_view via, const Credential& cred, UnixSeconds at,
                          bool at_now, const VerifierOptions& options, VerdictWindow* window = nullptr);

// A key resolved from a DID URL (a JOSE kid, or a Data Integrity verificationMethod).
Binding BindDidKey(std::string_view did_url, const Credential& cred, UnixSeconds at, const VerifierOptions& options,
                   VerdictWindow* window = nullptr);

// The certificate of an X.509 seal whose chain reached a trust anchor.
Binding BindCertificate(const ChainVerdict& chain, const Credential& cred, UnixSeconds at,
                        const VerifierOptions& options, VerdictWindow* window = nullptr);

// Every awarding body must be the issuer or one of the issuer's mandates in the
// registry (issuer_not_mandated). Without a registry the mandates are unknown:
// the note says which bodies were not checked.
Binding CheckMandates(const Credential& cred, const VerifierOptions& options);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_ISSUER_BINDING_H_
