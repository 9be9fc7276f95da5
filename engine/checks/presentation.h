// Verifiable presentations (VC Data Model 2.0 §4.13, VC-JOSE-COSE §3.2, VC Data
// Model 1.1 §6.3.1): a holder's signed wrapper around credentials. This unit reads
// the presentation, says what it encloses, and judges what only a presentation
// has: the verifier's challenge and the binding of each credential's subject to
// the holder. The presentation's own proof is a seal (engine/checks/seal.h) by a
// key of its holder; each enclosed credential gets the five checks as a record of
// its own. Private to engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_PRESENTATION_H_
#define CREDSWEEP_ENGINE_CHECKS_PRESENTATION_H_

#include <optional>
#include <string>
#include <vector>

#include "engine/checks/format.h"
#include "engine/internal/envelope.h"

namespace credsweep::checks {

// More than this many credentials in one presentation fail its format check
// (too_many_credentials); each is verified like a record of its own.
inline constexpr size_t kMaxEnclosedCredentials = 1000;

// One credential a presentation encloses, as the record it is verified as.
struct EnclosedCredential {
  // A compact JWS or SD-JWT (a string entry, or an enveloped credential's data:
  // URL, decoded), or an embedded JSON credential (minified).
  std::string data;
  // Why the entry cannot be a credential record (bad_enveloped_credential,
  // unsupported_envelope, not_a_credential); `data` is then empty.
  Finding problem;
};

struct ParsedPresentation {
  // The presentation as a holder-sealed document, for the seal check: `holder` in
  // credential.issuer (present when one is named), the JWT's dates beside it.
  ParsedCredential as_sealed;
  std::string id;
  std::string holder;  // `holder` (or its id), else the JWT's iss; empty when none
  // What the holder signed for the verifier: the JWT's aud and nonce, or the Data
  // Integrity proof's domain and challenge.
  std::vector<std::string> audiences;
  std::optional<std::string> nonce;
  std::vector<EnclosedCredential> credentials;
};

// Whether the opened record is a presentation: a JWS with a presentation media
// type (vp+jwt) or whose payload is a VC-JOSE presentation or has a `vp` claim, or
// a JSON document whose type has VerifiablePresentation and not
// VerifiableCredential. False: read it as a credential. True: *format is the
// presentation's format check (pass, or its first problem) and *out what could be
// read. Parses into p.payload: views into it end at its next parse. When it answers
// false having parsed the payload as an object, *payload (if given) is that
// object, for CheckFormat to read without parsing again.
bool ReadPresentation(const internal::Envelope& env, internal::Parsers& p, ParsedPresentation* out,
                      CheckResult* format, std::optional<internal::object>* payload = nullptr);

// The verifier's challenge (--audience, --nonce, or the record's own), for a
// presentation whose proof passed: ok, audience_mismatch or nonce_mismatch. An
// empty audience or nonce is not asked for.
Finding CheckChallenge(const ParsedPresentation& presentation, std::string_view audience, std::string_view nonce);

// Holder binding for an enclosed credential whose subjects' ids are `subject_ids`:
// for each that is a DID, the presentation must be proven (its proof passed) and
// made by that DID. ok, or holder_mismatch saying which.
Finding CheckHolderBinding(const std::vector<std::string>& subject_ids, const ParsedPresentation& presentation,
                           bool proven);

// Whether any of `subject_ids` is a DID.
bool NamesDidSubject(const std::vector<std::string>& subject_ids);

// Holder binding for an enclosed SD-JWT without its own key binding JWT: the key
// it is bound to (`cnf_jwk`) must be the key that made the presentation (RFC 7638
// thumbprints compared). ok, or holder_mismatch.
Finding CheckKeyHolder(std::string_view cnf_jwk, std::string_view presentation_key_thumbprint, bool proven);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_PRESENTATION_H_
