// An EBSI accreditation chain for tests: a Root TAO accredits a TAO to accredit,
// the TAO accredits a university to attest, the university issues a diploma.
// Each is a VC 1.1 JWT as EBSI issues them, served in the Trusted Issuers
// Registry API's documents (docs/accreditation.md, "EBSI accreditation chains").
#ifndef CREDSWEEP_TESTS_EBSI_CHAIN_H_
#define CREDSWEEP_TESTS_EBSI_CHAIN_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/signer.h"
#include "engine/timestamp.h"
#include "tests/published_documents.h"

namespace credsweep::testing::ebsi {

inline constexpr const char* kRoot = "did:ebsi:zRootTao";
inline constexpr const char* kTao = "did:ebsi:zTao";
inline constexpr const char* kTi = "did:ebsi:zUniversity";
inline constexpr const char* kSchema = "https://tsr.example/schemas/0xdiploma";
inline constexpr const char* kDiplomaTypes = R"(["VerifiableCredential","VerifiableAttestation","VerifiableDiploma"])";
inline constexpr const char* kToAttestTypes =
    R"(["VerifiableCredential","VerifiableAttestation","VerifiableAccreditation","VerifiableAccreditationToAttest"])";
inline constexpr const char* kToAccreditTypes =
    R"(["VerifiableCredential","VerifiableAttestation","VerifiableAccreditation","VerifiableAccreditationToAccredit"])";

// A VC 1.1 JWT: `vc` holds the credential; iss, sub, jti and nbf repeat it.
inline std::string Jwt(const PrivateKey& key, const std::string& issuer, const std::string& subject,
                       const std::string& id, const std::string& types, const std::string& subject_members,
                       const std::string& extra = "", const std::string& from = "2024-01-01T00:00:00Z") {
  const std::string vc = R"({"@context":["https://www.w3.org/2018/credentials/v1"],"id":)" + JsonString(id) +
                         R"(,"type":)" + types + R"(,"issuer":)" + JsonString(issuer) + R"(,"issuanceDate":)" +
                         JsonString(from) + R"(,"validFrom":)" + JsonString(from) + R"(,"credentialSubject":{"id":)" +
                         JsonString(subject) + subject_members + "}" + extra + "}";
  const std::string claims = R"({"iss":)" + JsonString(issuer) + R"(,"sub":)" + JsonString(subject) + R"(,"jti":)" +
                             JsonString(id) + R"(,"nbf":)" + std::to_string(*ParseDateTimeStamp(from)) + R"(,"vc":)" +
                             vc + "}";
  return SignCompact(key, R"({"alg":"ES256","typ":"JWT","kid":)" + JsonString(key.kid()) + "}", claims).value();
}

// `accreditedFor` with one permission: these types under kSchema, plus `extra` members.
inline std::string Permits(const std::string& types = kDiplomaTypes, const std::string& extra = "") {
  return R"(,"accreditedFor":[{"schemaId":)" + JsonString(kSchema) + R"(,"types":)" + types + extra + "}]";
}

// A Trusted Issuers Registry issuer document holding these (body, issuerType) attributes.
inline std::string IssuerDocument(const std::string& did, const std::vector<std::pair<std::string, std::string>>& bodies) {
  std::string out = R"({"did":)" + JsonString(did) + R"(,"attributes":[)";
  for (size_t i = 0; i < bodies.size(); ++i) {
    out += (i ? "," : "") + std::string(R"({"hash":"0x0)") + std::to_string(i) + R"(","body":)" +
           JsonString(bodies[i].first) + R"(,"issuerType":)" + JsonString(bodies[i].second) + "}";
  }
  return out + "]}";
}

// A Trusted Issuers Registry attribute document.
inline std::string AttributeDocument(const std::string& did, const std::string& body, const std::string& type) {
  return R"({"did":)" + JsonString(did) + R"(,"attribute":{"hash":"0x01","body":)" + JsonString(body) +
         R"(,"issuerType":)" + JsonString(type) + "}}";
}

// The three organisations' keys and the chain's documents under one TIR URL.
struct Chain {
  explicit Chain(std::string tir) : tir(std::move(tir)) {
    for (auto [slot, kid] : {std::pair{&root, "root-1"}, std::pair{&tao, "tao-1"}, std::pair{&ti, "ti-1"}}) {
      *slot = PrivateKey::Generate(JwsAlg::kES256).value();
      (*slot)->set_kid(kid);
    }
  }

  std::string IssuerUrl(const std::string& did) const { return tir + "/issuers/" + did; }
  std::string AttributeUrl(const std::string& did, const std::string& id) const {
    return IssuerUrl(did) + "/attributes/" + id;
  }

  // The TAO's accreditation to attest, for the university; `key` signs it (default: the TAO's).
  std::string ToAttest(const std::string& permits = Permits(), const std::string& extra = "",
                       const PrivateKey* key = nullptr) const {
    return Jwt(key ? *key : *tao, kTao, kTi, "urn:uuid:attest-1", kToAttestTypes, permits,
               R"(,"termsOfUse":{"type":"IssuanceCertificate","id":)" + JsonString(AttributeUrl(kTao, "0xtao")) + "}" +
                   extra);
  }

  // The root's accreditation to accredit, for the TAO; `key` signs it (default: the root's).
  std::string ToAccredit(const PrivateKey* key = nullptr, const std::string& permits = Permits()) const {
    return Jwt(key ? *key : *root, kRoot, kTao, "urn:uuid:accredit-1", kToAccreditTypes, permits);
  }

  // The university's diploma for a learner.
  std::string Diploma(const std::string& extra = "", const std::string& from = "2026-01-15T00:00:00Z") const {
    return Jwt(*ti, kTi, "did:key:zLearner", "urn:uuid:diploma-1", kDiplomaTypes, R"(,"title":"MSc")",
               R"(,"credentialSchema":{"id":)" + JsonString(kSchema) + R"(,"type":"FullJsonSchemaValidator2021"})" + extra,
               from);
  }

  // URL -> document: the university's issuer document and the TAO's attribute.
  std::map<std::string, std::string> Documents() const {
    return {{IssuerUrl(kTi), IssuerDocument(kTi, {{ToAttest(), "TI"}})},
            {AttributeUrl(kTao, "0xtao"), AttributeDocument(kTao, ToAccredit(), "TAO")}};
  }

  // A trust registry naming the root as accreditation root.
  static std::string Registry(bool root_trusted = true) {
    return std::string(R"({"version":1,"issuers":[{"ids":[")") + kRoot + R"("],"name":"Ministry","accreditationRoot":)" +
           (root_trusted ? "true" : "false") + "}]}";
  }

  std::string tir;
  std::unique_ptr<PrivateKey> root, tao, ti;
};

}  // namespace credsweep::testing::ebsi

#endif  // CREDSWEEP_TESTS_EBSI_CHAIN_H_
