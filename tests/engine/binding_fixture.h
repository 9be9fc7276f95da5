// Shared by the issuer-binding tests: a test CA with the alliance's e-seal
// certificate (organizationIdentifier VATBE-0000000097), two members' ES256 keys,
// and builders for credentials, seals and registry documents.
#ifndef CREDSWEEP_TESTS_ENGINE_BINDING_FIXTURE_H_
#define CREDSWEEP_TESTS_ENGINE_BINDING_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "engine/encoding.h"
#include "engine/json_escape.h"
#include "engine/signer.h"
#include "engine/trust_registry.h"
#include "engine/verifier.h"
#include "tests/testutil.h"
#include "tools/certificate_authority.h"

namespace credsweep::testing {

inline constexpr const char* kBindingAt = "2026-06-01T00:00:00Z";
inline constexpr const char* kUgent = "https://uni.example/ugent";
inline constexpr const char* kUj = "https://uni.example/uj";
inline constexpr const char* kBody = "https://uni.example/alliance";  // an issuing body

inline std::string Q(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

class BindingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    now_ = *ParseDateTimeStamp(kBindingAt);
    CertificateSpec root{"Binding Root", "Test", "", "BE", now_ - 1000 * 86400, now_ + 1000 * 86400, true};
    ca_ = CertificateAuthority::Create(root).value().release();
    seal_ = PrivateKey::Generate(JwsAlg::kRS256).value().release();
    CertificateSpec leaf{"Alliance Seal", "Alliance", "VATBE-0000000097", "BE", now_ - 100 * 86400,
                         now_ + 100 * 86400, false};
    leaf_der_ = new std::string(ca_->Issue(*seal_, leaf, 10).value());
    ugent_ = Key("ugent-1").release();
    uj_ = Key("uj-1").release();
  }

  static std::unique_ptr<PrivateKey> Key(const std::string& kid) {
    auto k = PrivateKey::Generate(JwsAlg::kES256).value();
    k->set_kid(kid);
    return k;
  }

  // Both members' keys configured unbound (as --jwks FILE), the test CA anchored,
  // and `registry` (empty: none).
  std::unique_ptr<Verifier> V(const std::string& registry = "",
                              std::shared_ptr<const StatusListSource> lists = nullptr, bool trust_any = false) {
    auto keys = std::make_shared<KeySet>();
    EXPECT_TRUE(keys->AddJwks("{\"keys\":[" + ugent_->ToPublicJwkJson() + "," + uj_->ToPublicJwkJson() + "]}", "t").ok());
    auto anchors = std::make_shared<ChainValidator>();
    EXPECT_TRUE(anchors->AddAnchorsPem(ca_->pem(), "test CA").ok());
    VerifierOptions o;
    o.keys = keys;
    o.anchors = anchors;
    o.at = now_;
    o.status_lists = std::move(lists);
    o.trust_any_configured_key = trust_any;
    if (!registry.empty()) {
      auto r = TrustRegistry::Parse(registry, "registry.json");
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (r.ok()) o.registry = *r;
    }
    return std::make_unique<Verifier>(o);
  }

  static std::string Credential(const std::string& issuer, const std::string& extra = "",
                                const std::string& valid_from = "2026-01-01T00:00:00Z") {
    return R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential"],"issuer":)" +
           issuer + R"(,"validFrom":")" + valid_from + R"(","credentialSubject":{"id":"did:example:s")" + extra + "}}";
  }
  static std::string Compact(const PrivateKey& key, const std::string& credential, const std::string& header_extra = "") {
    return SignCompact(key,
                       R"({"alg":")" + std::string(JwsAlgName(key.alg())) + R"(","kid":")" + key.kid() + "\"" +
                           header_extra + "}",
                       credential)
        .value();
  }
  // Flattened JWS JSON with x5c = `der`, sealed by `key` (default: the alliance's seal).
  static std::string X5c(const std::string& credential, const std::string& der, const PrivateKey& key) {
    std::string h = R"({"alg":"RS256","crit":["sigT"],"sigT":"2026-05-01T00:00:00Z","x5c":[")" + Base64Encode(der) + "\"]}";
    std::string p64 = Base64UrlEncode(h), b64 = Base64UrlEncode(credential);
    return R"({"payload":")" + b64 + R"(","protected":")" + p64 + R"(","signature":")" +
           Base64UrlEncode(key.Sign(p64 + "." + b64).value()) + "\"}";
  }
  static std::string X5c(const std::string& credential) { return X5c(credential, *leaf_der_, *seal_); }

  static std::string Registry(const std::string& issuers) { return R"({"version":1,"issuers":[)" + issuers + "]}"; }
  static std::string Entry(const std::string& id, const std::string& members) {
    return R"({"ids":[)" + Q(id) + "]" + (members.empty() ? "" : "," + members) + "}";
  }
  static std::string KeyEntry(const PrivateKey& k, const std::string& period = "") {
    return R"({"jwkThumbprint":")" + k.Thumbprint() + "\"" + period + "}";
  }
  static std::string Hex(const std::string& der) { return HexEncode(CertificateSha256(der)); }
  static const CheckResult& Seal(const VerificationResult& r) { return r.check(CheckId::kSeal); }

  static inline UnixSeconds now_;
  static inline CertificateAuthority* ca_;
  static inline PrivateKey* seal_;         // the alliance's seal key
  static inline std::string* leaf_der_;    // its certificate
  static inline PrivateKey* ugent_;
  static inline PrivateKey* uj_;
};

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_ENGINE_BINDING_FIXTURE_H_
