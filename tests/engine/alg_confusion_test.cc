// The algorithm comes from the key: every way a token might choose its own
// verification is refused with its own code.
#include <gtest/gtest.h>

#include <atomic>

#include "engine/encoding.h"
#include "engine/signer.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

std::string Credential(const std::string& issuer) {
  return R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
         R"("id":"urn:uuid:0b6a3a4e-1","issuer":")" + issuer +
         R"(","validFrom":"2025-01-01T00:00:00Z","credentialSubject":{"id":"did:example:learner"}})";
}

std::string Token(const std::string& header, const std::string& payload, const std::string& sig) {
  return Base64UrlEncode(header) + "." + Base64UrlEncode(payload) + "." + Base64UrlEncode(sig);
}

class AlgConfusion : public ::testing::Test {
 protected:
  void SetUp() override {
    ec_ = PrivateKey::Generate(JwsAlg::kES256).value();
    ec_->set_kid("ec");
    rsa_ = PrivateKey::Generate(JwsAlg::kRS256).value();
    rsa_->set_kid("rsa");
    v_ = testing::MakeVerifier({{"{\"keys\":[" + ec_->ToPublicJwkJson() + "," +
                                 rsa_->ToPublicJwkJson() + "]}"}});
  }
  std::string SealCode(const std::string& token) {
    auto r = testing::VerifyText(*v_, token);
    EXPECT_FALSE(r.verified()) << Describe(r);
    return r.check(CheckId::kSeal).code;
  }
  std::string Signed(const PrivateKey& key, const std::string& header) {
    return SignCompact(key, header, Credential("https://issuer.example")).value();
  }
  std::unique_ptr<PrivateKey> ec_, rsa_;
  std::unique_ptr<Verifier> v_;
};

TEST_F(AlgConfusion, GenuineTokensVerify) {
  auto r = testing::VerifyText(*v_, Signed(*ec_, R"({"alg":"ES256","kid":"ec","typ":"vc+jwt"})"));
  EXPECT_TRUE(r.verified()) << Describe(r);
  r = testing::VerifyText(*v_, Signed(*rsa_, R"({"alg":"RS256","kid":"rsa"})"));
  EXPECT_TRUE(r.verified()) << Describe(r);
}

TEST_F(AlgConfusion, RejectsAlgNone) {
  EXPECT_EQ(SealCode(Token(R"({"alg":"none","kid":"ec"})", Credential("https://issuer.example"), "")),
            "alg_none");
}

TEST_F(AlgConfusion, RejectsHmacKeyedWithThePublicKey) {
  // The classic attack: HS256 with the verifier's public key as the MAC secret.
  EXPECT_EQ(SealCode(Token(R"({"alg":"HS256","kid":"rsa"})", Credential("https://issuer.example"),
                           std::string(32, 'x'))),
            "alg_hmac");
}

TEST_F(AlgConfusion, RejectsAlgThatDoesNotFitTheKey) {
  // An RSA signature presented under the EC key's kid, and vice versa.
  std::string t = Signed(*rsa_, R"({"alg":"RS256","kid":"ec"})");
  EXPECT_EQ(SealCode(t), "alg_key_mismatch");
  t = Signed(*ec_, R"({"alg":"ES256","kid":"rsa"})");
  EXPECT_EQ(SealCode(t), "alg_key_mismatch");
  t = Signed(*rsa_, R"({"alg":"PS256","kid":"rsa"})");  // RS256 signature, PS256 claimed
  EXPECT_EQ(SealCode(t), "alg_key_mismatch");  // the JWK says alg RS256
}

TEST_F(AlgConfusion, RejectsUnknownAlgAndCrit) {
  EXPECT_EQ(SealCode(Signed(*ec_, R"({"alg":"ES257","kid":"ec"})")), "unsupported_alg");
  EXPECT_EQ(SealCode(Signed(*ec_, R"({"alg":"ES256","kid":"ec","crit":["zzz"],"zzz":1})")),
            "crit_not_understood");
  EXPECT_EQ(SealCode(Signed(*ec_, R"({"alg":"ES256","kid":"ec","b64":false})")),
            "crit_not_understood");
}

TEST_F(AlgConfusion, RejectsDerEncodedEcdsa) {
  std::string input = Base64UrlEncode(R"({"alg":"ES256","kid":"ec"})") + "." +
                      Base64UrlEncode(Credential("https://issuer.example"));
  std::string raw = ec_->Sign(input).value();
  // Re-encode r||s as DER (SEQUENCE of two INTEGERs), as a non-JOSE signer would.
  auto integer = [](std::string v) {
    while (v.size() > 1 && v[0] == 0 && !(v[1] & 0x80)) v.erase(0, 1);
    if (v[0] & 0x80) v.insert(0, 1, '\0');
    return std::string("\x02", 1) + static_cast<char>(v.size()) + v;
  };
  std::string body = integer(raw.substr(0, 32)) + integer(raw.substr(32));
  std::string der = std::string("\x30", 1) + static_cast<char>(body.size()) + body;
  EXPECT_EQ(SealCode(input + "." + Base64UrlEncode(der)), "signature_malformed");
}

TEST_F(AlgConfusion, IgnoresEmbeddedJwkHeader) {
  auto attacker = PrivateKey::Generate(JwsAlg::kES256).value();
  std::string h = R"({"alg":"ES256","kid":"attacker","jwk":)" + attacker->ToPublicJwkJson() + "}";
  EXPECT_EQ(SealCode(Signed(*attacker, h)), "key_not_found");
}

TEST_F(AlgConfusion, WithoutKidTriesOnlyKeysThatFitTheAlg) {
  auto r = testing::VerifyText(*v_, Signed(*ec_, R"({"alg":"ES256"})"));
  EXPECT_TRUE(r.verified()) << Describe(r);
  auto other = PrivateKey::Generate(JwsAlg::kES256).value();
  EXPECT_EQ(SealCode(Signed(*other, R"({"alg":"ES256"})")), "signature_invalid");
}

TEST(Vc11Jwt, IssuerAndIdMayComeFromTheClaims) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  auto v = testing::MakeVerifier({{key->ToPublicJwkJson()}});
  std::string payload =
      R"({"iss":"https://uni.example","jti":"urn:uuid:77","nbf":1735689600,"vc":{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuanceDate":"2025-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"}}})";
  auto r = testing::VerifyText(*v, SignCompact(*key, R"({"alg":"ES256","kid":")" + key->kid() + "\"}", payload).value());
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_EQ(r.issuer(), "https://uni.example");
  EXPECT_EQ(r.id(), "urn:uuid:77");
  std::string no_iss = payload.substr(0, 1) + payload.substr(payload.find("\"jti\""));
  auto bad = testing::VerifyText(*v, SignCompact(*key, R"({"alg":"ES256","kid":")" + key->kid() + "\"}", no_iss).value());
  EXPECT_EQ(bad.check(CheckId::kFormat).code, "missing_field") << Describe(bad);
}

TEST(KeyRejection, WeakRsaKeyIsNamed) {
  auto weak = PrivateKey::Generate(JwsAlg::kRS256, 1024).value();
  weak->set_kid("weak");
  auto v = testing::MakeVerifier({{"{\"keys\":[" + weak->ToPublicJwkJson() + "]}"}});
  auto r = testing::VerifyText(*v, SignCompact(*weak, R"({"alg":"RS256","kid":"weak"})",
                                               Credential("https://issuer.example")).value());
  EXPECT_EQ(r.check(CheckId::kSeal).code, "key_rejected") << Describe(r);
}

// The refusal names the key file by its path; a sweep's kept readings do not
// depend on paths (a moved file keeps them), so this verdict is never kept.
TEST(KeyRejection, ARefusedKeysVerdictIsNotKeptForTheNextRun) {
  class AddCounter final : public ReadingCache {
   public:
    std::optional<std::string_view> Find(std::string_view, std::string_view) const override { return std::nullopt; }
    void Add(std::string_view, std::string_view, std::string) const override { ++added; }
    void Stale(std::string_view) const override {}
    mutable std::atomic<int> added{0};
  };
  auto weak = PrivateKey::Generate(JwsAlg::kRS256, 1024).value();
  weak->set_kid("weak");
  auto good = PrivateKey::Generate(JwsAlg::kES256).value();
  good->set_kid("good");
  auto v = testing::MakeVerifier(
      {{"{\"keys\":[" + weak->ToPublicJwkJson() + "," + good->ToPublicJwkJson() + "]}"}});
  VerifierOptions o = v->options();
  auto cache = std::make_shared<AddCounter>();
  o.reading_cache = cache;
  Verifier cached(o);
  auto r = testing::VerifyText(cached, SignCompact(*weak, R"({"alg":"RS256","kid":"weak"})",
                                                   Credential("https://issuer.example")).value());
  EXPECT_EQ(r.check(CheckId::kSeal).code, "key_rejected") << Describe(r);
  EXPECT_EQ(cache->added, 0);
  // A seal by a key that loaded is kept, as before.
  auto ok = testing::VerifyText(cached, SignCompact(*good, R"({"alg":"ES256","kid":"good"})",
                                                    Credential("https://issuer.example")).value());
  EXPECT_EQ(ok.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(ok);
  EXPECT_EQ(cache->added, 1);
}

TEST(DidBinding, DidKeyMustBelongToTheIssuer) {
  auto key = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  std::string did = testing::Ed25519DidKey(*key);
  std::string kid = did + "#" + did.substr(8);
  auto v = testing::MakeVerifier({});
  std::string header = R"({"alg":"EdDSA","kid":")" + kid + "\"}";
  auto good = testing::VerifyText(*v, SignCompact(*key, header, Credential(did)).value());
  EXPECT_TRUE(good.verified()) << Describe(good);
  auto bad = testing::VerifyText(*v, SignCompact(*key, header, Credential("did:example:other")).value());
  EXPECT_EQ(bad.check(CheckId::kSeal).code, "key_not_authorized_for_issuer") << Describe(bad);
  // A relative kid under a did:key issuer resolves against the issuer.
  auto rel = testing::VerifyText(
      *v, SignCompact(*key, R"({"alg":"EdDSA","kid":"#)" + did.substr(8) + "\"}", Credential(did)).value());
  EXPECT_TRUE(rel.verified()) << Describe(rel);
}

// RFC 7797 in compact form: with b64:false the payload part is the payload itself,
// never base64url-decoded (the signature covers those exact bytes).
TEST_F(AlgConfusion, CompactUnencodedPayloadIsUsedAsIs) {
  std::string header = Base64UrlEncode(R"({"alg":"ES256","kid":"ec","b64":false,"crit":["b64"]})");
  std::string payload = R"({"claim":"no-dots-here"})";
  std::string token = header + "." + payload + "." + Base64UrlEncode(ec_->Sign(header + "." + payload).value());
  auto r = testing::VerifyText(*v_, token);
  EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_EQ(r.check(CheckId::kFormat).code, "not_a_credential") << Describe(r);
}

// A NumericDate no integer can hold is a bad date, not a pass (nor undefined behaviour).
TEST_F(AlgConfusion, NumericDatesOutOfRangeAreBadDates) {
  for (const char* claims : {R"("nbf":1e300)", R"("exp":-1)", R"("iat":18446744073709551615)", R"("nbf":"soon")"}) {
    std::string payload = std::string(R"({"iss":"https://issuer.example","vc":{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuanceDate":"2025-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"}},)") + claims + "}";
    auto r = testing::VerifyText(*v_, SignCompact(*ec_, R"({"alg":"ES256","kid":"ec"})", payload).value());
    EXPECT_EQ(r.check(CheckId::kFormat).code, "bad_date") << claims << " " << Describe(r);
  }
  auto h = testing::VerifyText(*v_, Signed(*ec_, R"({"alg":"ES256","kid":"ec","iat":1e300})"));
  EXPECT_EQ(h.check(CheckId::kFormat).code, "bad_date") << Describe(h);
}

}  // namespace
}  // namespace credsweep
