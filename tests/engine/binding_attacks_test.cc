// Attacks on issuer binding: a sealer that holds a key or certificate of its own
// trying to make the verifier accept a seal for an issuer it is not. Each test
// is a concrete forgery that must fail.
#include <gtest/gtest.h>

#include "tests/engine/binding_fixture.h"

namespace credsweep {
namespace {

using testing::Describe;

using testing::kBody;
using testing::kUgent;
using testing::kUj;
using testing::Q;

class BindingAttacks : public testing::BindingTest {
 protected:
  static void SetUpTestSuite() {
    BindingTest::SetUpTestSuite();
    // Any other organisation with a certificate from an anchored CA (a qualified
    // e-seal from any trust service provider on the EU lists will do).
    stranger_seal_ = PrivateKey::Generate(JwsAlg::kRS256).value().release();
    CertificateSpec stranger{"Stranger Seal", "Stranger SARL", "VATFR-11111111111", "FR", now_ - 100 * 86400,
                             now_ + 100 * 86400, false};
    stranger_der_ = new std::string(ca_->Issue(*stranger_seal_, stranger, 11).value());
  }
  std::unique_ptr<Verifier> V(const std::string& registry, bool trust_any = false) {
    return BindingTest::V(registry, nullptr, trust_any);
  }
  static std::string Org(const std::string& id, const std::string& notation) {
    return R"({"id":)" + Q(id) + R"(,"type":"Organisation","eIDASIdentifier":{"type":"LegalIdentifier","notation":)" +
           Q(notation) + "}}";
  }

  static inline PrivateKey* stranger_seal_;
  static inline std::string* stranger_der_;
};

// --- Certificate identity: the credential's own identifiers are the sealer's words ----

// UJ is in the registry with its own identifier. The alliance's certificate seals a
// credential that names UJ as issuer and gives the alliance's identifier as UJ's.
TEST_F(BindingAttacks, ASelfDeclaredIdentifierDoesNotBindARegisteredIssuer) {
  auto v = V(Registry(Entry(kUj, R"("identifiers":["VATSE-202100293201"],"keys":[)" + KeyEntry(*uj_) + "]")));
  auto forged = testing::VerifyText(*v, X5c(Credential(Org(kUj, "VATBE-0000000097")), *leaf_der_, *seal_));
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
  auto own = testing::VerifyText(*v, X5c(Credential(Org(kBody, "VATBE-0000000097"), awarded), *leaf_der_, *seal_));
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
      *v, X5c(Credential(Org("https://evil.example/alliance", "VATBE-0000000097")), *leaf_der_, *seal_));
  EXPECT_EQ(Seal(forged).code, "key_not_authorized_for_issuer") << Describe(forged);
}

// Still binds: a registered issuer whose registry entry lists the certificate's
// identifier, and an issuer the registry does not know at all.
TEST_F(BindingAttacks, IdentityBindingStillWorksWhereTheRegistryAgrees) {
  auto listed = testing::VerifyText(*V(Registry(Entry(kBody, R"("identifiers":["VATBE-0000000097"])"))),
                                    X5c(Credential(Org(kBody, "VATBE-0000000097")), *leaf_der_, *seal_));
  EXPECT_TRUE(listed.verified()) << Describe(listed);
  auto unknown = testing::VerifyText(*V(Registry(Entry(kUj, ""))),
                                     X5c(Credential(Org(kBody, "VATBE-0000000097")), *leaf_der_, *seal_));
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
  auto v = V(Registry(Entry(kUj, R"("certificates":[{"sha256":")" + Hex(*leaf_der_) + "\"}]")), /*trust_any=*/true);
  auto forged = testing::VerifyText(*v, X5c(Credential(Q(kUgent)), *leaf_der_, *seal_));
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
  auto v = V(Registry(Entry(kBody, R"("certificates":[{"sha256":")" + Hex(*leaf_der_) + R"("}],"mandates":[")" +
                                       kUgent + "\"]")));
  for (const std::string& body : {std::string(R"({"@id":"https://other.example/sorbonne"})"),
                                  std::string(R"({"id":["https://other.example/sorbonne"]})"),
                                  std::string(R"({"type":"Organisation","legalName":"Sorbonne"})"),
                                  std::string(R"(42)")}) {
    auto r = testing::VerifyText(
        *v, X5c(Credential(Q(kBody), R"(,"hasClaim":{"awardedBy":{"awardingBody":)" + body + "}}"), *leaf_der_, *seal_));
    EXPECT_EQ(Seal(r).code, "issuer_not_mandated") << body << ": " << Describe(r);
  }
  // A process referenced by id only hides its awarding body.
  auto ref = testing::VerifyText(
      *v, X5c(Credential(Q(kBody), R"(,"hasClaim":{"awardedBy":"urn:epass:awardingProcess:1"})"), *leaf_der_, *seal_));
  EXPECT_EQ(Seal(ref).code, "issuer_not_mandated") << Describe(ref);
  // Mandated bodies in either id spelling still pass.
  auto ok = testing::VerifyText(
      *v, X5c(Credential(Q(kBody), R"(,"hasClaim":{"awardedBy":{"awardingBody":[{"@id":")" + std::string(kUgent) +
                                       R"("},")" + kUgent + "\"]}}"),
              *leaf_der_, *seal_));
  EXPECT_TRUE(ok.verified()) << Describe(ok);
}

}  // namespace
}  // namespace credsweep
