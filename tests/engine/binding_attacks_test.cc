// Attacks on issuer binding: a sealer that holds a key or certificate of its own
// trying to make the verifier accept a seal for an issuer it is not. Each test
// is a concrete forgery that must fail.
#include <gtest/gtest.h>

#include "engine/encoding.h"
#include "engine/json_escape.h"
#include "engine/signer.h"
#include "engine/trust_registry.h"
#include "engine/verifier.h"
#include "tests/testutil.h"
#include "tools/certificate_authority.h"

namespace credsweep {
namespace {

using testing::Describe;

constexpr const char* kAt = "2026-06-01T00:00:00Z";
constexpr const char* kUgent = "https://uni.example/ugent";
constexpr const char* kUj = "https://uni.example/uj";
constexpr const char* kBody = "https://uni.example/alliance";  // an issuing body

std::string Q(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

class BindingAttacks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    now_ = *ParseDateTimeStamp(kAt);
    CertificateSpec root{"Attack Root", "Test", "", "BE", now_ - 1000 * 86400, now_ + 1000 * 86400, true};
    ca_ = CertificateAuthority::Create(root).value().release();
    seal_ = PrivateKey::Generate(JwsAlg::kRS256).value().release();
    // The alliance's own e-seal certificate, from an anchored CA.
    CertificateSpec alliance{"Alliance Seal", "Alliance", "VATBE-0000000097", "BE", now_ - 100 * 86400,
                             now_ + 100 * 86400, false};
    alliance_der_ = new std::string(ca_->Issue(*seal_, alliance, 10).value());
    // Any other organisation with a certificate from an anchored CA (a qualified
    // e-seal from any trust service provider on the EU lists will do).
    stranger_seal_ = PrivateKey::Generate(JwsAlg::kRS256).value().release();
    CertificateSpec stranger{"Stranger Seal", "Stranger SARL", "VATFR-11111111111", "FR", now_ - 100 * 86400,
                             now_ + 100 * 86400, false};
    stranger_der_ = new std::string(ca_->Issue(*stranger_seal_, stranger, 11).value());
    ugent_ = Key("ugent-1").release();
    uj_ = Key("uj-1").release();
  }

  static std::unique_ptr<PrivateKey> Key(const std::string& kid) {
    auto k = PrivateKey::Generate(JwsAlg::kES256).value();
    k->set_kid(kid);
    return k;
  }

  // Both members' keys configured unbound (as --jwks FILE, or a registry `jwk`
  // loaded into the key set), the test CA anchored, and `registry`.
  std::unique_ptr<Verifier> V(const std::string& registry, bool trust_any = false) {
    auto keys = std::make_shared<KeySet>();
    EXPECT_TRUE(keys->AddJwks("{\"keys\":[" + ugent_->ToPublicJwkJson() + "," + uj_->ToPublicJwkJson() + "]}", "t").ok());
    auto anchors = std::make_shared<ChainValidator>();
    EXPECT_TRUE(anchors->AddAnchorsPem(ca_->pem(), "test CA").ok());
    VerifierOptions o;
    o.keys = keys;
    o.anchors = anchors;
    o.at = now_;
    o.trust_any_configured_key = trust_any;
    if (!registry.empty()) {
      auto r = TrustRegistry::Parse(registry, "registry.json");
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (r.ok()) o.registry = *r;
    }
    return std::make_unique<Verifier>(o);
  }

  static std::string Credential(const std::string& issuer, const std::string& extra = "") {
    return R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential"],"issuer":)" +
           issuer + R"(,"validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s")" + extra + "}}";
  }
  static std::string Compact(const PrivateKey& key, const std::string& credential, const std::string& header_extra = "") {
    return SignCompact(key,
                       R"({"alg":")" + std::string(JwsAlgName(key.alg())) + R"(","kid":")" + key.kid() + "\"" +
                           header_extra + "}",
                       credential)
        .value();
  }
  // Flattened JWS JSON with x5c = `der`, sealed by `key`.
  static std::string X5c(const std::string& credential, const std::string& der, const PrivateKey& key) {
    std::string h = R"({"alg":"RS256","crit":["sigT"],"sigT":"2026-05-01T00:00:00Z","x5c":[")" + Base64Encode(der) + "\"]}";
    std::string p64 = Base64UrlEncode(h), b64 = Base64UrlEncode(credential);
    return R"({"payload":")" + b64 + R"(","protected":")" + p64 + R"(","signature":")" +
           Base64UrlEncode(key.Sign(p64 + "." + b64).value()) + "\"}";
  }
  static std::string Registry(const std::string& issuers) { return R"({"version":1,"issuers":[)" + issuers + "]}"; }
  static std::string Entry(const std::string& id, const std::string& members) {
    return R"({"ids":[)" + Q(id) + "]" + (members.empty() ? "" : "," + members) + "}";
  }
  static std::string KeyEntry(const PrivateKey& k, const std::string& period = "") {
    return R"({"jwkThumbprint":")" + k.Thumbprint() + "\"" + period + "}";
  }
  static std::string Hex(const std::string& der) { return HexEncode(CertificateSha256(der)); }
  static std::string Org(const std::string& id, const std::string& notation) {
    return R"({"id":)" + Q(id) + R"(,"type":"Organisation","eIDASIdentifier":{"type":"LegalIdentifier","notation":)" +
           Q(notation) + "}}";
  }
  static const CheckResult& Seal(const VerificationResult& r) { return r.check(CheckId::kSeal); }

  static inline UnixSeconds now_;
  static inline CertificateAuthority* ca_;
  static inline PrivateKey* seal_;
  static inline PrivateKey* stranger_seal_;
  static inline std::string* alliance_der_;
  static inline std::string* stranger_der_;
  static inline PrivateKey* ugent_;
  static inline PrivateKey* uj_;
};

// --- Certificate identity: the credential's own identifiers are the sealer's words ----

// UJ is in the registry with its own identifier. The alliance's certificate seals a
// credential that names UJ as issuer and gives the alliance's identifier as UJ's.
TEST_F(BindingAttacks, ASelfDeclaredIdentifierDoesNotBindARegisteredIssuer) {
  auto v = V(Registry(Entry(kUj, R"("identifiers":["VATSE-202100293201"],"keys":[)" + KeyEntry(*uj_) + "]")));
  auto forged = testing::VerifyText(*v, X5c(Credential(Org(kUj, "VATBE-0000000097")), *alliance_der_, *seal_));
  EXPECT_EQ(Seal(forged).code, "key_not_authorized_for_issuer") << Describe(forged);
  EXPECT_FALSE(forged.verified());
}

// The alliance may seal for UGent (mandates). A stranger with any anchored
// certificate names the alliance as issuer, with its own identifier, and UGent as
// awarding body: it must not inherit the alliance's mandates.
TEST_F(BindingAttacks, AStrangerCannotClaimARegisteredIssuingBodyAndItsMandates) {
  auto v = V(Registry(Entry(kBody, R"("identifiers":["VATBE-0000000097"],"certificates":[{"organizationIdentifier":"VATBE-0000000097","caSha256":")" +
                                       Hex(ca_->der()) + R"("}],"mandates":[")" + kUgent + "\"]")));
  const std::string awarded = R"(,"hasClaim":{"awardedBy":{"awardingBody":{"id":)" + Q(kUgent) + "}}}";
  auto own = testing::VerifyText(*v, X5c(Credential(Org(kBody, "VATBE-0000000097"), awarded), *alliance_der_, *seal_));
  EXPECT_TRUE(own.verified()) << Describe(own);
  auto forged =
      testing::VerifyText(*v, X5c(Credential(Org(kBody, "VATFR-11111111111"), awarded), *stranger_der_, *stranger_seal_));
  EXPECT_EQ(Seal(forged).code, "key_not_authorized_for_issuer") << Describe(forged);
  EXPECT_FALSE(forged.verified());
}

// A registered issuer's identifier, claimed under an id the registry does not know.
TEST_F(BindingAttacks, AnIdentifierTheRegistryGivesToAnotherIssuerDoesNotBindAnUnknownId) {
  auto v = V(Registry(Entry(kBody, R"("identifiers":["VATBE-0000000097"])")));
  auto forged = testing::VerifyText(
      *v, X5c(Credential(Org("https://evil.example/alliance", "VATBE-0000000097")), *alliance_der_, *seal_));
  EXPECT_EQ(Seal(forged).code, "key_not_authorized_for_issuer") << Describe(forged);
}

// Still binds: a registered issuer whose registry entry lists the certificate's
// identifier, and an issuer the registry does not know at all.
TEST_F(BindingAttacks, IdentityBindingStillWorksWhereTheRegistryAgrees) {
  auto listed = testing::VerifyText(*V(Registry(Entry(kBody, R"("identifiers":["VATBE-0000000097"])"))),
                                    X5c(Credential(Org(kBody, "VATBE-0000000097")), *alliance_der_, *seal_));
  EXPECT_TRUE(listed.verified()) << Describe(listed);
  auto unknown = testing::VerifyText(*V(Registry(Entry(kUj, ""))),
                                     X5c(Credential(Org(kBody, "VATBE-0000000097")), *alliance_der_, *seal_));
  EXPECT_TRUE(unknown.verified()) << Describe(unknown);
}

// --- --trust-any-configured-key must not free keys the registry binds ----------------

TEST_F(BindingAttacks, TrustAnyDoesNotLetARegistryKeySealForAnotherIssuer) {
  auto v = V(Registry(Entry(kUgent, R"("keys":[{"jwk":)" + ugent_->ToPublicJwkJson() + "}]")), /*trust_any=*/true);
  auto forged = testing::VerifyText(*v, Compact(*ugent_, Credential(Q(kUj))));
  EXPECT_EQ(Seal(forged).code, "key_not_authorized_for_issuer") << Describe(forged);
  // A key no issuer owns still seals for anyone, as the option says.
  auto loose = testing::VerifyText(*v, Compact(*uj_, Credential(Q(kUj))));
  EXPECT_TRUE(loose.verified()) << Describe(loose);
}

TEST_F(BindingAttacks, TrustAnyDoesNotLetARegistryCertificateSealForAnotherIssuer) {
  auto v = V(Registry(Entry(kUj, R"("certificates":[{"sha256":")" + Hex(*alliance_der_) + "\"}]")), /*trust_any=*/true);
  auto forged = testing::VerifyText(*v, X5c(Credential(Q(kUgent)), *alliance_der_, *seal_));
  EXPECT_EQ(Seal(forged).code, "key_not_authorized_for_issuer") << Describe(forged);
}

// --- Signing time claims for keys ----------------------------------------------------

// UGent's next key is registered from 2027. A seal made now cannot claim 2027.
TEST_F(BindingAttacks, AKeySealCannotClaimASigningTimeInTheFuture) {
  auto v = V(Registry(Entry(kUgent, R"("keys":[)" + KeyEntry(*ugent_, R"(,"validFrom":"2027-01-01T00:00:00Z")") + "]")));
  const UnixSeconds in_2027 = *ParseDateTimeStamp("2027-06-01T00:00:00Z");
  auto r = testing::VerifyText(*v, Compact(*ugent_, Credential(Q(kUgent)), ",\"iat\":" + std::to_string(in_2027)));
  EXPECT_EQ(Seal(r).code, "signing_time_in_future") << Describe(r);
}

// --- Awarding bodies the mandate check cannot read ------------------------------------

TEST_F(BindingAttacks, AnAwardingBodyWithoutAStringIdIsNotSkipped) {
  auto v = V(Registry(Entry(kBody, R"("certificates":[{"sha256":")" + Hex(*alliance_der_) + R"("}],"mandates":[")" +
                                       kUgent + "\"]")));
  for (const std::string& body : {std::string(R"({"@id":"https://other.example/sorbonne"})"),
                                  std::string(R"({"id":["https://other.example/sorbonne"]})"),
                                  std::string(R"({"type":"Organisation","legalName":"Sorbonne"})"),
                                  std::string(R"(42)")}) {
    auto r = testing::VerifyText(
        *v, X5c(Credential(Q(kBody), R"(,"hasClaim":{"awardedBy":{"awardingBody":)" + body + "}}"), *alliance_der_, *seal_));
    EXPECT_EQ(Seal(r).code, "issuer_not_mandated") << body << ": " << Describe(r);
  }
  // A process referenced by id only hides its awarding body.
  auto ref = testing::VerifyText(
      *v, X5c(Credential(Q(kBody), R"(,"hasClaim":{"awardedBy":"urn:epass:awardingProcess:1"})"), *alliance_der_, *seal_));
  EXPECT_EQ(Seal(ref).code, "issuer_not_mandated") << Describe(ref);
  // Mandated bodies in either id spelling still pass.
  auto ok = testing::VerifyText(
      *v, X5c(Credential(Q(kBody), R"(,"hasClaim":{"awardedBy":{"awardingBody":[{"@id":")" + std::string(kUgent) +
                                       R"("},")" + kUgent + "\"]}}"),
              *alliance_der_, *seal_));
  EXPECT_TRUE(ok.verified()) << Describe(ok);
}

}  // namespace
}  // namespace credsweep
