// Selective Disclosure for JWTs (RFC 9901): splitting the compact form and putting
// the disclosed claims back into the issuer-signed payload. Checks no signature:
// the issuer's JWS goes to the seal check, the Key Binding JWT to
// engine/checks/key_binding.h. Private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_SD_JWT_H_
#define CREDSWEEP_ENGINE_INTERNAL_SD_JWT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.h"

namespace credsweep::internal {

// `<issuer JWS>~<disclosure>~...~<disclosure>~[<KB-JWT>]`, as views into the record.
struct SdJwtParts {
  std::string_view issuer_jws;
  std::vector<std::string_view> disclosures;  // base64url, as sent (their digests are over these)
  std::string_view kb_jwt;                    // empty when the presentation has none
  // What a KB-JWT's sd_hash covers: everything up to and including the last '~'.
  std::string_view sd_hash_input;
};

// nullopt when `record` has no '~' (not an SD-JWT). An empty disclosure between two
// '~' is kept (empty) for ProcessDisclosures to refuse.
std::optional<SdJwtParts> SplitSdJwt(std::string_view record);

struct DisclosedPayload {
  std::string json;        // the payload with every disclosed claim in place, no _sd/_sd_alg/...
  size_t disclosed = 0;    // disclosures used (all of them, when processing succeeds)
};

// Processes `disclosures` against the issuer-signed `payload_json` (RFC 9901 §7.1):
// each disclosure's digest (SHA-256 of its base64url text) must be referenced exactly
// once, by an `_sd` array (object property: [salt, name, value]) or a {"...": digest}
// array element ([salt, value]); digests no disclosure matches are decoys and
// dropped. Findings (format check codes):
//   sd_jwt_unsupported_hash     `_sd_alg` other than sha-256
//   sd_jwt_invalid_disclosure   not base64url, not a JSON array of 2 or 3 with a
//                               string salt (and name), or used in the wrong form
//   sd_jwt_reserved_claim       a disclosed name `_sd` or `...`
//   sd_jwt_claim_override       a disclosed name the object already has
//   sd_jwt_duplicate_digest     a digest referenced more than once, or the same
//                               disclosure sent twice
//   sd_jwt_unreferenced_disclosure  a disclosure no digest in the payload refers to
//   malformed_json / too_deep   the payload or a disclosure
Finding ProcessDisclosures(std::string_view payload_json, const std::vector<std::string_view>& disclosures,
                           size_t max_depth, DisclosedPayload* out);

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_SD_JWT_H_
