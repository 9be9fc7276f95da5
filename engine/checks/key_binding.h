// SD-JWT Key Binding (RFC 9901 §4.3, §7.3): the holder of an SD-JWT VC proves the
// presentation is theirs and fresh by a Key Binding JWT signed with the key the
// issuer bound into the credential (`cnf.jwk`). Part of the seal check: it runs
// once the issuer's signature passed. Private to engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_KEY_BINDING_H_
#define CREDSWEEP_ENGINE_CHECKS_KEY_BINDING_H_

#include <string>

#include "engine/checks/format.h"
#include "engine/finding.h"
#include "engine/internal/envelope.h"
#include "engine/verifier.h"

namespace credsweep::checks {

// For an SD-JWT envelope: ok with *note saying what was proven ("; key binding:
// ..."), or the failure:
//   kb_missing            options ask for an audience or nonce and no KB-JWT came
//   kb_invalid            not a compact JWS, typ not kb+jwt, no holder key in the
//                         credential, an alg the holder key does not permit, a
//                         signature that does not verify, a claim missing or mistyped
//   kb_sd_hash_mismatch   sd_hash does not cover this presentation
//   kb_not_fresh          iat more than kb_max_age before, or after, the verification time
//   audience_mismatch     aud is not options.audience
//   nonce_mismatch        nonce is not options.nonce
Finding CheckKeyBinding(const internal::Envelope& env, const ParsedCredential& cred, const VerifierOptions& options,
                        std::string* note);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_KEY_BINDING_H_
