// Documents an issuer publishes its keys in (docs/issuer-keys.md), written by the
// tests that serve them from a folder or over HTTPS, and credentials sealed with
// those keys.
#ifndef CREDSWEEP_TESTS_PUBLISHED_DOCUMENTS_H_
#define CREDSWEEP_TESTS_PUBLISHED_DOCUMENTS_H_

#include <string>

#include "engine/json_escape.h"
#include "engine/signer.h"

namespace credsweep::testing {

inline std::string JsonString(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

// A DID document for `did` whose one method, `did#fragment`, is `key` (publicKeyJwk)
// and is referenced under assertionMethod.
inline std::string DidDocumentFor(const std::string& did, const std::string& fragment, const PrivateKey& key) {
  const std::string id = JsonString(did + "#" + fragment);
  return R"({"@context":["https://www.w3.org/ns/did/v1"],"id":)" + JsonString(did) + R"(,"verificationMethod":[{"id":)" +
         id + R"(,"type":"JsonWebKey2020","controller":)" + JsonString(did) + R"(,"publicKeyJwk":)" +
         key.ToPublicJwkJson() + R"(}],"assertionMethod":[)" + id + "]}";
}

// JWT VC issuer metadata for `issuer` with `key` inline (its JWK carries its kid).
inline std::string IssuerMetadataFor(const std::string& issuer, const PrivateKey& key) {
  return R"({"issuer":)" + JsonString(issuer) + R"(,"jwks":{"keys":[)" + key.ToPublicJwkJson() + "]}}";
}

// A compact VC 2.0 JWS issued by `issuer`, sealed by `key` (ES256) under `kid`.
inline std::string CredentialSealedBy(const PrivateKey& key, const std::string& kid, const std::string& issuer) {
  const std::string payload =
      R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"id":"urn:uuid:p1",)"
      R"("issuer":)" + JsonString(issuer) + R"(,"validFrom":"2026-01-01T00:00:00Z","credentialSubject":{}})";
  return SignCompact(key, R"({"alg":"ES256","kid":)" + JsonString(kid) + "}", payload).value();
}

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_PUBLISHED_DOCUMENTS_H_
