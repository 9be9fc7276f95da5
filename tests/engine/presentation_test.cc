// Verifiable presentations: vp+jwt (VC-JOSE), VC 1.1 JWT presentations and Data
// Integrity presentations, each enclosed credential verified as SOURCE#k after the
// presentation's own line; holder binding; the verifier's challenge; the W3C
// vc-jose-cose presentation vectors with their manifest outcomes.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "engine/checks/presentation.h"
#include "engine/encoding.h"
#include "engine/sha256.h"
#include "engine/signer.h"
#include "tests/fakes.h"
#include "tests/testutil.h"
#include "tools/data_integrity_signer.h"

namespace credsweep {
namespace {

using testing::Describe;

struct Line {
  VerificationResult result;
  bool verified;
};

// The lines a report writes for `r`: the presentation's, then its credentials'.
std::vector<Line> Lines(VerificationResult r, unsigned required = 0) {
  std::vector<Line> out;
  VerificationResult::Flatten(std::move(r), required,
                              [&](VerificationResult&& line, bool ok) { out.push_back({std::move(line), ok}); });
  return out;
}

std::string Describe(const std::vector<Line>& lines) {
  std::string out;
  for (const auto& l : lines) out += l.result.source() + (l.verified ? " verified: " : " not verified: ") + Describe(l.result) + "\n";
  return out;
}

constexpr const char* kV2 = "https://www.w3.org/ns/credentials/v2";
constexpr const char* kIssuer = "https://issuer.example";

class PresentationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    issuer_ = PrivateKey::Generate(JwsAlg::kES256).value();
    holder_ = PrivateKey::Generate(JwsAlg::kEdDSA).value();
    other_ = PrivateKey::Generate(JwsAlg::kEdDSA).value();
    holder_did_ = testing::Ed25519DidKey(*holder_);
    other_did_ = testing::Ed25519DidKey(*other_);
  }

  std::unique_ptr<Verifier> MakeVerifier(testing::VerifierSpec spec = {}) {
    spec.jwks_json.push_back(issuer_->ToPublicJwkJson());
    return testing::MakeVerifier(spec);
  }

  // A VC 2.0 vc+jwt by the issuer about `subject`.
  std::string Credential(const std::string& subject, const std::string& id = "urn:test:1") {
    std::string payload = std::string(R"({"@context":[")") + kV2 + R"("],"id":")" + id +
                          R"(","type":["VerifiableCredential"],"issuer":")" + kIssuer +
                          R"(","validFrom":"2025-01-01T00:00:00Z","credentialSubject":{"id":")" + subject + "\"}}";
    return SignCompact(*issuer_, R"({"alg":"ES256","typ":"vc+jwt","kid":")" + issuer_->kid() + "\"}", payload).value();
  }

  static std::string Enveloped(const std::string& jwt, const std::string& type = "application/vc+jwt") {
    return std::string(R"({"@context":")") + kV2 + R"(","type":"EnvelopedVerifiableCredential","id":"data:)" + type +
           "," + jwt + "\"}";
  }

  static std::string KidOf(const std::string& did) { return did + "#" + did.substr(8); }

  // A vp+jwt signed by `key` (kid: the DID URL of `did`) naming `holder`.
  std::string VpJwt(const PrivateKey& key, const std::string& did, const std::string& holder, const std::string& vcs,
                    const std::string& extra = "") {
    std::string payload = std::string(R"({"@context":[")") + kV2 + R"("],"type":["VerifiablePresentation"],"holder":")" +
                          holder + R"(","verifiableCredential":[)" + vcs + "]" + extra + "}";
    return SignCompact(key, R"({"alg":"EdDSA","typ":"vp+jwt","kid":")" + KidOf(did) + "\"}", payload).value();
  }

  // A Data Integrity presentation by the holder, with `vcs` embedded.
  std::string DiPresentation(const std::string& vcs, const std::string& challenge = "", const std::string& domain = "",
                             const std::string& purpose = "authentication") {
    std::string doc = std::string(R"({"@context":[")") + kV2 + R"("],"type":["VerifiablePresentation"],"holder":")" +
                      holder_did_ + R"(","verifiableCredential":[)" + vcs + "]}";
    tools::ProofOptions o;
    o.verification_method = KidOf(holder_did_);
    o.purpose = purpose;
    o.created = "2026-11-28T23:59:00Z";
    o.challenge = challenge;
    o.domain = domain;
    return tools::AddDataIntegrityProof(doc, *holder_, o).value();
  }

  std::unique_ptr<PrivateKey> issuer_, holder_, other_;
  std::string holder_did_, other_did_;
};

TEST_F(PresentationTest, VpJwtGivesOneLineAndOneLinePerCredentialInOrder) {
  auto v = MakeVerifier();
  std::string vp = VpJwt(*holder_, holder_did_, holder_did_,
                         Enveloped(Credential(holder_did_, "urn:test:1")) + "," + Enveloped(Credential(holder_did_, "urn:test:2")));
  auto lines = Lines(testing::VerifyText(*v, vp, "wallet/ana.jwt:1"));
  ASSERT_EQ(lines.size(), 3u) << Describe(lines);
  const VerificationResult& p = lines[0].result;
  EXPECT_EQ(p.kind(), ResultKind::kPresentation);
  EXPECT_TRUE(lines[0].verified) << Describe(lines);
  EXPECT_EQ(p.holder(), holder_did_);
  EXPECT_EQ(p.credential_count(), 2u);
  EXPECT_EQ(p.credentials_verified(), 2u);
  EXPECT_EQ(p.check(CheckId::kFormat).message, "VC 2.0 presentation (vp+jwt), 2 credentials");
  EXPECT_EQ(p.check(CheckId::kRevocation).code, "not_applicable");
  EXPECT_EQ(lines[1].result.source(), "wallet/ana.jwt:1#1");
  EXPECT_EQ(lines[1].result.id(), "urn:test:1");
  EXPECT_EQ(lines[2].result.source(), "wallet/ana.jwt:1#2");
  EXPECT_EQ(lines[2].result.id(), "urn:test:2");
  for (int i : {1, 2}) {
    EXPECT_EQ(lines[i].result.kind(), ResultKind::kCredential);
    EXPECT_TRUE(lines[i].verified) << Describe(lines);
    EXPECT_NE(lines[i].result.check(CheckId::kSeal).message.find("held by its subject"), std::string::npos);
  }
}

TEST_F(PresentationTest, AFailingCredentialLeavesThePresentationUnverifiedAndIsCounted) {
  auto v = MakeVerifier();
  std::string tampered = Credential(holder_did_, "urn:test:2");
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  std::string vp = VpJwt(*holder_, holder_did_, holder_did_,
                         Enveloped(Credential(holder_did_)) + "," + Enveloped(tampered));
  auto lines = Lines(testing::VerifyText(*v, vp));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_FALSE(lines[0].verified) << Describe(lines);
  EXPECT_EQ(lines[0].result.check(CheckId::kSeal).outcome, Outcome::kPass);  // its own proof is fine
  EXPECT_EQ(lines[0].result.credentials_verified(), 1u);
  EXPECT_TRUE(lines[1].verified);
  EXPECT_FALSE(lines[2].verified);
  EXPECT_EQ(lines[2].result.check(CheckId::kSeal).code, "signature_invalid");
}

TEST_F(PresentationTest, ACredentialOfAnotherSubjectIsAHolderMismatchUnderEachPolicy) {
  std::string vp = VpJwt(*holder_, holder_did_, holder_did_, Enveloped(Credential(other_did_)));
  {
    auto lines = Lines(testing::VerifyText(*MakeVerifier(), vp));
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_FALSE(lines[1].verified);
    EXPECT_EQ(lines[1].result.check(CheckId::kSeal).code, "holder_mismatch") << Describe(lines);
    EXPECT_NE(lines[1].result.check(CheckId::kSeal).message.find("presentation was made by " + holder_did_), std::string::npos);
    EXPECT_FALSE(lines[0].verified);
  }
  {
    testing::VerifierSpec warn;
    warn.holder_binding = HolderBinding::kWarn;
    auto lines = Lines(testing::VerifyText(*MakeVerifier(warn), vp));
    EXPECT_TRUE(lines[1].verified) << Describe(lines);
    EXPECT_NE(lines[1].result.check(CheckId::kSeal).message.find("warning (--holder-binding warn)"), std::string::npos);
  }
  {
    testing::VerifierSpec off;
    off.holder_binding = HolderBinding::kOff;
    auto lines = Lines(testing::VerifyText(*MakeVerifier(off), vp));
    EXPECT_TRUE(lines[0].verified) << Describe(lines);
    EXPECT_TRUE(lines[1].verified);
  }
}

TEST_F(PresentationTest, AProofByAnotherKeyProvesNoHolder) {
  // Someone else signs a presentation naming the credential's subject as holder.
  std::string vp = VpJwt(*other_, other_did_, holder_did_, Enveloped(Credential(holder_did_)));
  auto lines = Lines(testing::VerifyText(*MakeVerifier(), vp));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].result.check(CheckId::kSeal).code, "key_not_authorized_for_issuer") << Describe(lines);
  EXPECT_EQ(lines[1].result.check(CheckId::kSeal).code, "holder_mismatch");
  EXPECT_NE(lines[1].result.check(CheckId::kSeal).message.find("own proof did not pass"), std::string::npos);
  EXPECT_FALSE(lines[1].verified);
}

TEST_F(PresentationTest, TheVerifiersChallengeIsAudienceAndNonce) {
  testing::VerifierSpec spec;
  spec.audience = "https://employer.example";
  spec.nonce = "n-42";
  auto v = MakeVerifier(spec);
  auto with = [&](const std::string& extra) {
    return Lines(testing::VerifyText(*v, VpJwt(*holder_, holder_did_, holder_did_, Enveloped(Credential(holder_did_)), extra)));
  };
  EXPECT_TRUE(with(R"(,"aud":"https://employer.example","nonce":"n-42","iat":1795910300)")[0].verified);
  EXPECT_TRUE(with(R"(,"aud":["https://other.example","https://employer.example"],"nonce":"n-42","iat":1795910300)")[0].verified);
  EXPECT_EQ(with(R"(,"aud":"https://other.example","nonce":"n-42")")[0].result.check(CheckId::kSeal).code,
            "audience_mismatch");
  EXPECT_EQ(with(R"(,"nonce":"n-42")")[0].result.check(CheckId::kSeal).code, "audience_mismatch");
  EXPECT_EQ(with(R"(,"aud":"https://employer.example","nonce":"n-41")")[0].result.check(CheckId::kSeal).code,
            "nonce_mismatch");
  EXPECT_EQ(with(R"(,"aud":"https://employer.example")")[0].result.check(CheckId::kSeal).code, "nonce_mismatch");
  // A record's own challenge (a VC API request's options) takes the place of the verifier's.
  Record r{"test", VpJwt(*holder_, holder_did_, holder_did_, Enveloped(Credential(holder_did_)),
                         R"(,"aud":"https://employer.example","nonce":"per-request","iat":1795910300)"),
           {}, "", "per-request"};
  EXPECT_TRUE(Lines(v->Verify(r))[0].verified);
}

TEST_F(PresentationTest, Vc11JwtPresentationWithJwtCredentials) {
  std::string vc11 = SignCompact(*issuer_, R"({"alg":"ES256","kid":")" + issuer_->kid() + "\"}",
                                 R"({"iss":"https://issuer.example","sub":")" + holder_did_ +
                                     R"(","nbf":1735689600,"vc":{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuanceDate":"2025-01-01T00:00:00Z","credentialSubject":{"id":")" +
                                     holder_did_ + R"("}}})")
                         .value();
  std::string claims = R"({"iss":")" + holder_did_ + R"(","aud":"https://employer.example","nonce":"n-1","iat":1795910340,)" +
                       R"("vp":{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiablePresentation"],)" +
                       R"("verifiableCredential":[")" + vc11 + "\"]}}";
  std::string vp = SignCompact(*holder_, R"({"alg":"EdDSA","typ":"JWT","kid":")" + KidOf(holder_did_) + "\"}", claims).value();
  testing::VerifierSpec spec;
  spec.audience = "https://employer.example";
  spec.nonce = "n-1";
  auto lines = Lines(testing::VerifyText(*MakeVerifier(spec), vp));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].verified) << Describe(lines);
  EXPECT_EQ(lines[0].result.check(CheckId::kFormat).message, "VC 1.1 JWT presentation (JWT), 1 credential");
  EXPECT_EQ(lines[0].result.holder(), holder_did_);
  EXPECT_TRUE(lines[1].verified) << Describe(lines);
  EXPECT_EQ(lines[1].result.check(CheckId::kFormat).message, "VC 1.1 JWT credential");
}

TEST_F(PresentationTest, DataIntegrityPresentationWithEmbeddedAndEnvelopedCredentials) {
  // An embedded credential with its own Data Integrity proof, by a did:key issuer.
  auto di_issuer = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  const std::string di_issuer_did = testing::Ed25519DidKey(*di_issuer);
  tools::ProofOptions po;
  po.verification_method = KidOf(di_issuer_did);
  std::string embedded = tools::AddDataIntegrityProof(
                             std::string(R"({"@context":[")") + kV2 + R"("],"type":["VerifiableCredential"],"issuer":")" +
                                 di_issuer_did + R"(","credentialSubject":{"id":")" + holder_did_ + "\"}}",
                             *di_issuer, po)
                             .value();
  testing::VerifierSpec spec;
  spec.audience = "https://employer.example";
  spec.nonce = "c-9";
  auto v = MakeVerifier(spec);
  std::string vp = DiPresentation(embedded + "," + Enveloped(Credential(holder_did_)), "c-9", "https://employer.example");
  auto lines = Lines(testing::VerifyText(*v, vp));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[0].verified) << Describe(lines);
  EXPECT_EQ(lines[0].result.check(CheckId::kFormat).message, "VC 2.0 presentation (Data Integrity), 2 credentials");
  EXPECT_TRUE(lines[1].verified) << Describe(lines);
  EXPECT_EQ(lines[1].result.check(CheckId::kFormat).message, "VC 2.0 credential (Data Integrity)");
  EXPECT_TRUE(lines[2].verified) << Describe(lines);

  // The challenge is signed: another one fails, and so does a changed document.
  EXPECT_EQ(Lines(testing::VerifyText(*v, DiPresentation(embedded, "c-8", "https://employer.example")))[0]
                .result.check(CheckId::kSeal).code, "nonce_mismatch");
  std::string changed = vp;
  changed.replace(changed.find("c-9"), 3, "c-8");
  EXPECT_EQ(Lines(testing::VerifyText(*v, changed))[0].result.check(CheckId::kSeal).code, "signature_invalid");
  // A credential's proof purpose does not authenticate a presentation.
  EXPECT_EQ(Lines(testing::VerifyText(*v, DiPresentation(embedded, "c-9", "https://employer.example", "assertionMethod")))[0]
                .result.check(CheckId::kSeal).code, "malformed_proof");
}

TEST_F(PresentationTest, AnUnsignedPresentationIsAContainerOnlyWithHolderBindingOff) {
  std::string vp = std::string(R"({"@context":[")") + kV2 + R"("],"type":["VerifiablePresentation"],"verifiableCredential":[)" +
                   Enveloped(Credential(holder_did_)) + "]}";
  auto strict = Lines(testing::VerifyText(*MakeVerifier(), vp));
  EXPECT_EQ(strict[0].result.check(CheckId::kSeal).code, "not_sealed");
  EXPECT_FALSE(strict[0].verified);
  EXPECT_EQ(strict[1].result.check(CheckId::kSeal).code, "holder_mismatch") << Describe(strict);
  testing::VerifierSpec off;
  off.holder_binding = HolderBinding::kOff;
  auto loose = Lines(testing::VerifyText(*MakeVerifier(off), vp));
  EXPECT_EQ(loose[0].result.check(CheckId::kSeal).outcome, Outcome::kSkipped);
  EXPECT_TRUE(loose[0].verified) << Describe(loose);
  EXPECT_TRUE(loose[1].verified);
}

// What a record is comes from its parsed members, not from a look at its text: a
// presentation that spells its type and member names with JSON escapes is one.
TEST_F(PresentationTest, APresentationIsKnownByItsParsedMembersEvenWhenEscaped) {
  std::string vp = std::string(R"({"@context":[")") + kV2 +
                   R"("],"type":["Verifiable\u0050resentation"],"verifiable\u0043redential":[)" +
                   Enveloped(Credential(holder_did_)) + "]}";
  testing::VerifierSpec off;
  off.holder_binding = HolderBinding::kOff;
  VerificationResult r = testing::VerifyText(*MakeVerifier(off), vp);
  EXPECT_EQ(r.kind(), ResultKind::kPresentation) << Describe(r);
  EXPECT_EQ(r.credential_count(), 1u);
  auto lines = Lines(std::move(r));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[1].verified) << Describe(lines);
}

TEST_F(PresentationTest, AskedForAChallengeAnOldPresentationIsNotFresh) {
  testing::VerifierSpec spec;
  spec.nonce = "n-1";
  auto v = MakeVerifier(spec);
  // at is 2026-11-29T00:00:00Z (1795910400); --kb-max-age 300 s by default.
  auto old = Lines(testing::VerifyText(*v, VpJwt(*holder_, holder_did_, holder_did_, Enveloped(Credential(holder_did_)),
                                                 R"(,"nonce":"n-1","iat":1795900000)")));
  EXPECT_EQ(old[0].result.check(CheckId::kSeal).code, "presentation_not_fresh") << Describe(old);
  auto fresh = Lines(testing::VerifyText(*v, VpJwt(*holder_, holder_did_, holder_did_, Enveloped(Credential(holder_did_)),
                                                   R"(,"nonce":"n-1","iat":1795910300)")));
  EXPECT_TRUE(fresh[0].verified) << Describe(fresh);
  // Without a challenge, a presentation handed in as a file keeps: no age is asked.
  auto file = Lines(testing::VerifyText(*MakeVerifier(), VpJwt(*holder_, holder_did_, holder_did_,
                                                               Enveloped(Credential(holder_did_)), R"(,"iat":1795900000)")));
  EXPECT_TRUE(file[0].verified) << Describe(file);
}

TEST_F(PresentationTest, ExpiredPresentationFailsItsValidityNotItsCredentials) {
  std::string vp = VpJwt(*holder_, holder_did_, holder_did_, Enveloped(Credential(holder_did_)), R"(,"exp":1735689600)");
  auto lines = Lines(testing::VerifyText(*MakeVerifier(), vp));
  EXPECT_EQ(lines[0].result.check(CheckId::kValidity).code, "expired");
  EXPECT_FALSE(lines[0].verified);
  EXPECT_TRUE(lines[1].verified) << Describe(lines);
}

TEST_F(PresentationTest, EnclosedEntriesThatAreNoCredentialGetTheirOwnCodes) {
  std::string inner = VpJwt(*holder_, holder_did_, holder_did_, "");
  std::string percent = "data:application/vc," + std::string(R"(%7B%22a%22%3A1%7D)");
  std::string vcs = Enveloped(inner, "application/vp+jwt") + "," +                           // not a credential type
                    "\"" + inner + "\"," +                                                    // a presentation in a presentation
                    R"({"type":"EnvelopedVerifiableCredential","id":")" + percent + "\"}," +  // percent-decoded JSON
                    R"({"type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt;base64,)" +
                    Base64Encode(Credential(holder_did_)) + "\"}," +  // base64
                    R"({"type":"EnvelopedVerifiableCredential"},42)";
  auto lines = Lines(testing::VerifyText(*MakeVerifier(), VpJwt(*holder_, holder_did_, holder_did_, vcs)));
  ASSERT_EQ(lines.size(), 7u) << Describe(lines);
  EXPECT_EQ(lines[1].result.check(CheckId::kFormat).code, "bad_enveloped_credential");
  EXPECT_EQ(lines[2].result.check(CheckId::kFormat).code, "not_a_credential");
  EXPECT_EQ(lines[3].result.check(CheckId::kFormat).code, "missing_field") << Describe(lines);  // {"a":1} read
  EXPECT_TRUE(lines[4].verified) << Describe(lines);
  EXPECT_EQ(lines[5].result.check(CheckId::kFormat).code, "bad_enveloped_credential");
  EXPECT_EQ(lines[6].result.check(CheckId::kFormat).code, "not_a_credential");
  EXPECT_EQ(lines[0].result.credentials_verified(), 1u);
}

// An SD-JWT VC bound to a holder key (cnf.jwk) and brought without its own key
// binding JWT is the holder's only when that key made the presentation.
TEST_F(PresentationTest, AnSdJwtWithoutKeyBindingIsBoundToThePresentationsKey) {
  const std::string disclosure = Base64UrlEncode(R"(["s4lt","given_name","Ana"])");
  const std::string payload = std::string(R"({"iss":")") + kIssuer + R"(","vct":"https://credentials.example/micro",)" +
                              R"("iat":1780000000,"cnf":{"jwk":)" + holder_->ToPublicJwkJson() +
                              R"(},"_sd_alg":"sha-256","_sd":[")" + Base64UrlEncode(Sha256(disclosure)) + "\"]}";
  const std::string sd_jwt = SignCompact(*issuer_, R"({"alg":"ES256","typ":"dc+sd-jwt","kid":")" + issuer_->kid() + "\"}",
                                         payload).value() + "~" + disclosure + "~";
  const std::string enveloped = Enveloped(sd_jwt, "application/dc+sd-jwt");
  testing::VerifierSpec spec;
  spec.nonce = "n-7";
  auto v = MakeVerifier(spec);
  const std::string fresh = R"(,"nonce":"n-7","iat":1795910300)";
  // By the holder's own key: bound.
  auto own = Lines(testing::VerifyText(*v, VpJwt(*holder_, holder_did_, holder_did_, enveloped, fresh)));
  ASSERT_EQ(own.size(), 2u);
  EXPECT_TRUE(own[1].verified) << Describe(own);
  EXPECT_NE(own[1].result.check(CheckId::kSeal).message.find("bound to the presentation's key (cnf.jwk)"), std::string::npos);
  // Someone else wraps the stolen SD-JWT in a presentation of their own.
  auto stolen = Lines(testing::VerifyText(*v, VpJwt(*other_, other_did_, other_did_, enveloped, fresh)));
  EXPECT_TRUE(stolen[0].result.check(CheckId::kSeal).outcome == Outcome::kPass) << Describe(stolen);
  EXPECT_EQ(stolen[1].result.check(CheckId::kSeal).code, "holder_mismatch") << Describe(stolen);
  EXPECT_FALSE(stolen[1].verified);
  // In an unsigned presentation nothing binds it.
  const std::string unsigned_vp = std::string(R"({"@context":[")") + kV2 +
                                  R"("],"type":["VerifiablePresentation"],"verifiableCredential":[)" + enveloped + "]}";
  EXPECT_EQ(Lines(testing::VerifyText(*MakeVerifier(), unsigned_vp))[1].result.check(CheckId::kSeal).code, "holder_mismatch");
}

// An SD-JWT VC names its subject by `sub`: a DID there is bound like credentialSubject.id.
TEST_F(PresentationTest, AnSdJwtsSubDidMustBeTheHolder) {
  const std::string disclosure = Base64UrlEncode(R"(["s4lt","given_name","Ana"])");
  const std::string payload = std::string(R"({"iss":")") + kIssuer + R"(","vct":"https://credentials.example/micro",)" +
                              R"("sub":")" + other_did_ + R"(","_sd_alg":"sha-256","_sd":[")" +
                              Base64UrlEncode(Sha256(disclosure)) + "\"]}";
  const std::string sd_jwt = SignCompact(*issuer_, R"({"alg":"ES256","typ":"dc+sd-jwt","kid":")" + issuer_->kid() + "\"}",
                                         payload).value() + "~" + disclosure + "~";
  auto lines = Lines(testing::VerifyText(
      *MakeVerifier(), VpJwt(*holder_, holder_did_, holder_did_, Enveloped(sd_jwt, "application/dc+sd-jwt"))));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].result.check(CheckId::kSeal).code, "holder_mismatch") << Describe(lines);
}

TEST_F(PresentationTest, ACredentialMadeOutToADidMustComeInAPresentationWhenAChallengeIsAsked) {
  const std::string alone = Credential(holder_did_);
  testing::VerifierSpec spec;
  spec.nonce = "n-1";
  auto r = testing::VerifyText(*MakeVerifier(spec), alone);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "holder_not_proven") << Describe(r);
  spec.holder_binding = HolderBinding::kWarn;
  r = testing::VerifyText(*MakeVerifier(spec), alone);
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("warning (--holder-binding warn)"), std::string::npos);
  // Without a challenge a credential handed in as a file is judged on its own.
  EXPECT_TRUE(testing::VerifyText(*MakeVerifier(), alone).verified());
}

TEST_F(PresentationTest, EverySubjectNamedByDidMustBeTheHolder) {
  const std::string payload = std::string(R"({"@context":[")") + kV2 + R"("],"type":["VerifiableCredential"],"issuer":")" +
                              kIssuer + R"(","credentialSubject":[{"name":"x"},{"id":")" + other_did_ + "\"}]}";
  const std::string vc =
      SignCompact(*issuer_, R"({"alg":"ES256","typ":"vc+jwt","kid":")" + issuer_->kid() + "\"}", payload).value();
  auto lines = Lines(testing::VerifyText(*MakeVerifier(), VpJwt(*holder_, holder_did_, holder_did_, Enveloped(vc))));
  EXPECT_EQ(lines[1].result.check(CheckId::kSeal).code, "holder_mismatch") << Describe(lines);
}

TEST_F(PresentationTest, AskedForAChallengeAPresentationMustSayWhenItWasMade) {
  testing::VerifierSpec spec;
  spec.nonce = "c-9";
  auto v = MakeVerifier(spec);
  auto no_iat = Lines(testing::VerifyText(*v, VpJwt(*holder_, holder_did_, holder_did_, Enveloped(Credential(holder_did_)),
                                                    R"(,"nonce":"c-9")")));
  EXPECT_EQ(no_iat[0].result.check(CheckId::kSeal).code, "presentation_not_fresh") << Describe(no_iat);
  // A Data Integrity presentation is aged by its proof's created.
  std::string doc = std::string(R"({"@context":[")") + kV2 + R"("],"type":["VerifiablePresentation"],"holder":")" +
                    holder_did_ + R"(","verifiableCredential":[)" + Enveloped(Credential(holder_did_)) + "]}";
  tools::ProofOptions o;
  o.verification_method = KidOf(holder_did_);
  o.purpose = "authentication";
  o.challenge = "c-9";
  o.created = "2020-01-01T00:00:00Z";
  auto old = Lines(testing::VerifyText(*v, tools::AddDataIntegrityProof(doc, *holder_, o).value()));
  EXPECT_EQ(old[0].result.check(CheckId::kSeal).code, "presentation_not_fresh") << Describe(old);
}

// Published keys are fetched before any signature is checked: one presentation may
// make the verifier fetch the documents of at most 8 issuers.
TEST_F(PresentationTest, APresentationFetchesThePublishedKeysOfAtMostEightIssuers) {
  auto docs = std::make_shared<testing::MapListSource>();
  VerifierOptions o;
  o.at = *ParseDateTimeStamp("2026-11-29T00:00:00Z");
  o.issuer_documents = docs;
  Verifier v(o);
  std::string vcs;
  for (int i = 0; i < 12; ++i) {
    const std::string did = "did:web:h" + std::to_string(i) + ".example";
    std::string payload = std::string(R"({"@context":[")") + kV2 + R"("],"type":["VerifiableCredential"],"issuer":")" +
                          did + R"(","credentialSubject":{"id":")" + holder_did_ + "\"}}";
    vcs += (i ? "," : "") + Enveloped(SignCompact(*issuer_, R"({"alg":"ES256","kid":")" + did + "#k\"}", payload).value());
  }
  auto lines = Lines(testing::VerifyText(v, VpJwt(*holder_, holder_did_, holder_did_, vcs)));
  ASSERT_EQ(lines.size(), 13u);
  EXPECT_EQ(docs->fetches.load(), 8);
  for (size_t k = 1; k < lines.size(); ++k) EXPECT_EQ(lines[k].result.check(CheckId::kSeal).code, "key_unavailable");
  EXPECT_NE(lines[12].result.check(CheckId::kSeal).message.find("not fetched: the presentation names more than 8 issuers"),
            std::string::npos)
      << Describe(lines);
}

TEST_F(PresentationTest, TooManyCredentialsIsAFormatFailure) {
  std::string vcs;
  for (size_t i = 0; i <= checks::kMaxEnclosedCredentials; ++i) vcs += (i ? ",\"x\"" : "\"x\"");
  auto lines = Lines(testing::VerifyText(*MakeVerifier(), VpJwt(*holder_, holder_did_, holder_did_, vcs)));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].result.check(CheckId::kFormat).code, "too_many_credentials");
}

// The W3C vc-jose-cose suite's presentations (tests/testdata/manifest.json).
std::string PublicJwkOf(const std::string& file) {
  simdjson::dom::parser p;
  std::string text = testing::ReadTestData(file);
  return simdjson::minify(p.parse(text)["publicKeyJwk"].value());
}

std::unique_ptr<Verifier> VectorVerifier(HolderBinding binding) {
  testing::VerifierSpec spec;
  spec.at = "2024-12-16T12:00:00Z";  // the manifest's valid_clock
  spec.holder_binding = binding;
  for (const char* k : {"p256", "p384", "ed25519"}) spec.jwks_json.push_back(PublicJwkOf(std::string("vc-jose-cose/upstream/cid-") + k + ".json"));
  return testing::MakeVerifier(spec);
}

TEST(PresentationVectors, MultipleVerifiesItsOwnProofAndTheCredentialsCredsweepReads) {
  auto lines = Lines(testing::VerifyText(*VectorVerifier(HolderBinding::kOff),
                                         testing::ReadTestData("vc-jose-cose/upstream/presentation-jose-multiple.jwt")));
  ASSERT_EQ(lines.size(), 4u) << Describe(lines);
  const VerificationResult& p = lines[0].result;
  // valid-at-fixed-time: the presentation's own checks pass.
  for (CheckId c : {CheckId::kFormat, CheckId::kSeal, CheckId::kValidity}) {
    EXPECT_EQ(p.check(c).outcome, Outcome::kPass) << Describe(lines);
  }
  EXPECT_EQ(p.holder(), "https://example.issuer/vc-jose-cose");
  EXPECT_TRUE(lines[1].verified) << Describe(lines);  // data:application/vc+jwt
  EXPECT_TRUE(lines[2].verified) << Describe(lines);  // data:application/vc+sd-jwt
  EXPECT_EQ(lines[3].result.check(CheckId::kFormat).code, "unsupported_envelope");  // vc+cose
  EXPECT_FALSE(lines[0].verified);  // not every credential could be verified
  // Its credentials name their subject by a DID the https holder is not.
  auto strict = Lines(testing::VerifyText(*VectorVerifier(HolderBinding::kRequire),
                                          testing::ReadTestData("vc-jose-cose/upstream/presentation-jose-multiple.jwt")));
  EXPECT_EQ(strict[1].result.check(CheckId::kSeal).code, "holder_mismatch") << Describe(strict);
}

TEST(PresentationVectors, BadCredentialIsInvalid) {
  auto lines = Lines(testing::VerifyText(*VectorVerifier(HolderBinding::kOff),
                                         testing::ReadTestData("vc-jose-cose/upstream/presentation-jose-bad-credential.jwt")));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_FALSE(lines[0].verified);
  EXPECT_EQ(lines[0].result.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(lines);
  EXPECT_EQ(lines[0].result.check(CheckId::kValidity).code, "expired");
  EXPECT_EQ(lines[1].result.check(CheckId::kFormat).code, "bad_enveloped_credential");
}

}  // namespace
}  // namespace credsweep
