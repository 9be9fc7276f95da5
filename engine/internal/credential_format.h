// The format check: VC Data Model 1.1 / 2.0 structure (and the EDC spellings) read
// from a parsed JSON object into a Credential.
#ifndef CREDSWEEP_ENGINE_INTERNAL_CREDENTIAL_FORMAT_H_
#define CREDSWEEP_ENGINE_INTERNAL_CREDENTIAL_FORMAT_H_

#include <string>

#include "engine/credential.h"
#include "engine/finding.h"
#include "engine/internal/json.h"

namespace credsweep::internal {

using credsweep::Finding;

// Values a VC 1.1 JWT carries in its registered claims: the credential may leave
// `issuer` to `iss` and `id` to `jti` (VC Data Model 1.1, section 6.3.1).
struct ClaimDefaults {
  std::string_view issuer;
  std::string_view id;
};

// Fills *out and returns the first structural problem, if any. On a problem, *out
// still holds whatever could be read (id and issuer for the report).
Finding ReadCredential(object obj, Credential* out, const ClaimDefaults& defaults = {});

// The format message for a presentation read where a credential belongs (one
// enclosed in another presentation).
inline constexpr std::string_view kPresentationWhereCredential =
    "a presentation, where a credential was expected (a presentation does not enclose presentations)";

// True for an absolute URI: a scheme, ':', and no whitespace or control characters.
bool IsAbsoluteUri(std::string_view s);

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_CREDENTIAL_FORMAT_H_
