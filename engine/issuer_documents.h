// Documents in which issuers publish their own keys, parsed and held to their
// rules. Fetching them and caching the result is the verifier's
// (engine/internal/published_keys.h); docs/issuer-keys.md describes both.
//
//   - A DID document (did:web): its `id` must be the DID, and only verification
//     methods referenced under `assertionMethod` (a DID URL, or a method embedded
//     there) may seal; keys only for `authentication`, `keyAgreement` and others do
//     not count. A holder's presentation is signed by a method under
//     `authentication`. Key material: `publicKeyJwk`, or a `publicKeyMultibase` multikey.
//   - JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc, "JWT VC Issuer
//     Metadata"): `issuer` must be identical to the credential's issuer, and the
//     keys are an inline `jwks` or the JWK Set at `jwks_uri`, never both.
//
// Pure functions; the results are immutable and safe to share across threads.
#ifndef CREDSWEEP_ENGINE_ISSUER_DOCUMENTS_H_
#define CREDSWEEP_ENGINE_ISSUER_DOCUMENTS_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "engine/key_set.h"
#include "engine/keys.h"
#include "engine/result.h"

namespace credsweep {

// The keys a DID document lets its DID use for one verification relationship.
struct DidRelationshipKeys {
  // Absolute DID URL ("did:web:example.com#key-1") -> key.
  std::map<std::string, PublicKeyPtr, std::less<>> keys;
  // Methods referenced under the relationship that cannot be used, with the reason
  // (unsupported key type, no usable key material, a method of another DID).
  std::map<std::string, std::string, std::less<>> rejected;
};

// The keys a DID document lets its DID make assertions (seal credentials) with,
// and authenticate with (sign the presentations it hands in).
struct DidDocumentKeys {
  DidRelationshipKeys assertion;       // assertionMethod
  DidRelationshipKeys authentication;  // authentication
  // Methods the document lists outside assertionMethod; named in messages.
  std::set<std::string, std::less<>> not_for_assertions;
};

// InvalidArgument, naming the rule, when the document is not a JSON object, has
// a member twice, its `id` is not `did`, or verificationMethod / assertionMethod
// is not an array.
Result<DidDocumentKeys> ParseDidDocument(std::string_view json, std::string_view did);

// The JWT VC Issuer Metadata URL of an issuer: "/.well-known/jwt-vc-issuer"
// inserted between the host and the path, a terminating '/' removed:
//   https://issuer.example           -> https://issuer.example/.well-known/jwt-vc-issuer
//   https://issuer.example/tenant/1/ -> https://issuer.example/.well-known/jwt-vc-issuer/tenant/1
// InvalidArgument unless the issuer is an https URL with a host and no user info,
// query, fragment, spaces or control characters.
Result<std::string> IssuerMetadataUrl(std::string_view issuer);

struct IssuerMetadata {
  std::shared_ptr<const KeySet> jwks;  // the inline JWK Set, or null
  std::string jwks_uri;                // else where the JWK Set is published (https)
};

// InvalidArgument when the document is not a JSON object, has a member twice, its
// `issuer` is not identical to `issuer`, it has neither or both of jwks and
// jwks_uri, jwks is not a JWK Set, or jwks_uri is not an https URL.
Result<IssuerMetadata> ParseIssuerMetadata(std::string_view json, std::string_view issuer);

// A JWK Set document ({"keys":[...]}, as jwks_uri serves it); `origin` names it in
// the key set's rejection reasons. InvalidArgument when it is not one.
Result<std::shared_ptr<const KeySet>> ParseJwkSet(std::string_view json, std::string_view origin);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_ISSUER_DOCUMENTS_H_
