#include "engine/key_set.h"
#include "tests/testutil.h"
#include "engine/verifier.h"

#include <gtest/gtest.h>

#include "engine/signer.h"

namespace credsweep {
namespace {

TEST(KeySet, APrivateJwkIsUsedForItsPublicPartAndNoted) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  KeySet set;
  ASSERT_TRUE(set.AddJwks("{\"keys\":[" + key->ToPrivateJwkJson() + "]}", "issuer.jwk").ok());
  ASSERT_EQ(set.size(), 1u);
  ASSERT_EQ(set.FindByKid(key->kid()).size(), 1u);
  // The key found is the public half: it verifies what the private key signed.
  EXPECT_EQ(set.FindByKid(key->kid())[0]->Verify(JwsAlg::kES256, "message", key->Sign("message").value()),
            SignatureCheck::kValid);
  ASSERT_EQ(set.warnings().size(), 1u);
  EXPECT_EQ(set.warnings()[0], "issuer.jwk: key '" + key->kid() +
                                   "' is a private JWK; only its public part is used (give the public JWK Set instead)");
}

TEST(KeySet, APrivateRsaJwkIsNotedToo) {
  auto key = PrivateKey::Generate(JwsAlg::kRS256).value();
  KeySet set;
  ASSERT_TRUE(set.AddJwks(key->ToPrivateJwkJson(), "rsa.jwk").ok());
  EXPECT_EQ(set.size(), 1u);
  EXPECT_EQ(set.warnings().size(), 1u);
}

TEST(KeySet, APublicJwkSetGivesNoWarning) {
  auto key = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  KeySet set;
  ASSERT_TRUE(set.AddJwks("{\"keys\":[" + key->ToPublicJwkJson() + "]}", "public.jwks.json").ok());
  EXPECT_EQ(set.size(), 1u);
  EXPECT_TRUE(set.warnings().empty());
}

// --jwks ISSUER=FILE: the file's keys seal for that issuer only; keys added without an
// issuer stay unbound (and the seal message says so).
TEST(KeySet, KeysBoundToAnIssuerSealOnlyForIt) {
  auto ugent = PrivateKey::Generate(JwsAlg::kES256).value();
  ugent->set_kid("ugent-key");
  auto loose = PrivateKey::Generate(JwsAlg::kES256).value();
  loose->set_kid("loose-key");
  auto keys = std::make_shared<KeySet>();
  ASSERT_TRUE(keys->AddJwks("{\"keys\":[" + ugent->ToPublicJwkJson() + "]}", "ugent.jwks", "https://uni.example/ugent").ok());
  ASSERT_TRUE(keys->AddJwks("{\"keys\":[" + loose->ToPublicJwkJson() + "]}", "loose.jwks").ok());
  EXPECT_EQ(keys->IssuerOf(*keys->FindByKid("ugent-key")[0]), "https://uni.example/ugent");
  EXPECT_EQ(keys->IssuerOf(*keys->FindByKid("loose-key")[0]), "");
  VerifierOptions o;
  o.keys = keys;
  o.at = *ParseDateTimeStamp("2026-06-01T00:00:00Z");
  Verifier v(o);
  auto cred = [](const std::string& issuer) {
    return R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":")" + issuer +
           R"(","validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"}})";
  };
  auto sealed = [&](const PrivateKey& key, const std::string& issuer) {
    return testing::VerifyText(v, SignCompact(key, R"({"alg":"ES256","kid":")" + key.kid() + "\"}", cred(issuer)).value());
  };
  auto own = sealed(*ugent, "https://uni.example/ugent");
  EXPECT_TRUE(own.verified()) << testing::Describe(own);
  EXPECT_NE(own.check(CheckId::kSeal).message.find("key bound to issuer 'https://uni.example/ugent'"), std::string::npos)
      << testing::Describe(own);
  auto forged = sealed(*ugent, "https://uni.example/uj");  // another member's name, UGent's key
  EXPECT_EQ(forged.check(CheckId::kSeal).code, "key_not_authorized_for_issuer") << testing::Describe(forged);
  EXPECT_FALSE(forged.verified());
  // A key bound to no issuer seals for none, unless loosened by name.
  auto unbound = sealed(*loose, "https://uni.example/uj");
  EXPECT_EQ(unbound.check(CheckId::kSeal).code, "key_not_authorized_for_issuer") << testing::Describe(unbound);
  EXPECT_NE(unbound.check(CheckId::kSeal).message.find("--jwks https://uni.example/uj=FILE"), std::string::npos)
      << "the message says how to bind the key";
  o.trust_any_configured_key = true;
  Verifier loosened(o);
  auto accepted = testing::VerifyText(
      loosened, SignCompact(*loose, R"({"alg":"ES256","kid":"loose-key"})", cred("https://uni.example/uj")).value());
  EXPECT_TRUE(accepted.verified()) << testing::Describe(accepted);
  EXPECT_NE(accepted.check(CheckId::kSeal).message.find("accepted because of --trust-any-configured-key"),
            std::string::npos);
  // Loosening never lets a key bound to one issuer seal for another.
  auto still_forged = testing::VerifyText(
      loosened, SignCompact(*ugent, R"({"alg":"ES256","kid":"ugent-key"})", cred("https://uni.example/uj")).value());
  EXPECT_EQ(still_forged.check(CheckId::kSeal).code, "key_not_authorized_for_issuer");
}

// FindByKid: every key with the kid, in the order added, and nothing for a kid that
// only shares a prefix with one.
TEST(KeySet, FindByKidGivesEveryKeyWithTheKidInTheOrderAdded) {
  KeySet set;
  std::vector<std::unique_ptr<PrivateKey>> made;
  std::string jwks;
  for (const char* kid : {"b", "shared", "a", "shared", "shared-2", "shared", "shared", "0"}) {
    made.push_back(PrivateKey::Generate(JwsAlg::kEdDSA).value());
    made.back()->set_kid(kid);
  }
  // The first four in one JWK Set (sorted once), then one at a time both ways.
  for (size_t i = 0; i < 4; ++i) jwks += (i ? "," : "") + made[i]->ToPublicJwkJson();
  ASSERT_TRUE(set.AddJwks("{\"keys\":[" + jwks + "]}", "set").ok());
  ASSERT_TRUE(set.AddJwks(made[4]->ToPublicJwkJson(), "one").ok());
  ASSERT_TRUE(set.AddJwks(made[5]->ToPublicJwkJson(), "one").ok());
  set.Add(PublicKey::FromJwk(made[6]->ToPublicJwkJson()).value());
  set.Add(PublicKey::FromJwk(made[7]->ToPublicJwkJson()).value());
  auto found = set.FindByKid("shared");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0]->thumbprint(), made[1]->Thumbprint());
  EXPECT_EQ(found[1]->thumbprint(), made[3]->Thumbprint());
  EXPECT_EQ(found[2]->thumbprint(), made[5]->Thumbprint());
  EXPECT_EQ(found[3]->thumbprint(), made[6]->Thumbprint());
  EXPECT_EQ(set.FindByKid("0")[0]->thumbprint(), made[7]->Thumbprint());
  EXPECT_EQ(set.FindByKid("b")[0]->thumbprint(), made[0]->Thumbprint());
  EXPECT_EQ(set.FindByKid("shared-2").size(), 1u);
  EXPECT_EQ(set.FindByKid("a")[0]->thumbprint(), made[2]->Thumbprint());
  EXPECT_TRUE(set.FindByKid("shar").empty());
  EXPECT_TRUE(set.FindByKid("").empty());
  EXPECT_TRUE(set.FindByKid("zzz").empty());
}

// Two issuers' key sets that use the same kid: a credential's seal is tried with the
// keys of its own issuer only, whichever set was loaded first.
TEST(KeySet, KeysSharingAKidSealEachForItsOwnIssuer) {
  auto first = PrivateKey::Generate(JwsAlg::kES256).value();
  auto second = PrivateKey::Generate(JwsAlg::kES256).value();
  first->set_kid("k1");
  second->set_kid("k1");
  auto keys = std::make_shared<KeySet>();
  ASSERT_TRUE(keys->AddJwks(first->ToPublicJwkJson(), "a.jwks", "https://uni.example/a").ok());
  ASSERT_TRUE(keys->AddJwks(second->ToPublicJwkJson(), "b.jwks", "https://uni.example/b").ok());
  VerifierOptions o;
  o.keys = keys;
  o.at = *ParseDateTimeStamp("2026-06-01T00:00:00Z");
  Verifier v(o);
  auto sealed = [&](const PrivateKey& key, const std::string& issuer) {
    return testing::VerifyText(
        v, SignCompact(key, R"({"alg":"ES256","kid":"k1"})",
                       R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":")" +
                           issuer + R"(","validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"}})")
               .value());
  };
  auto a = sealed(*first, "https://uni.example/a");
  auto b = sealed(*second, "https://uni.example/b");
  EXPECT_TRUE(a.verified()) << testing::Describe(a);
  EXPECT_TRUE(b.verified()) << testing::Describe(b);
  // B's key for A's credential: only A's key is tried, and it does not verify.
  auto crossed = sealed(*second, "https://uni.example/a");
  EXPECT_EQ(crossed.check(CheckId::kSeal).code, "signature_invalid") << testing::Describe(crossed);
  // An issuer neither set belongs to: no key may be tried, and the message names an owner.
  auto other = sealed(*first, "https://uni.example/c");
  EXPECT_EQ(other.check(CheckId::kSeal).code, "key_not_authorized_for_issuer") << testing::Describe(other);
  EXPECT_NE(other.check(CheckId::kSeal).message.find("key kid 'k1' belongs to issuer 'https://uni.example/a'"),
            std::string::npos)
      << testing::Describe(other);
}

}  // namespace
}  // namespace credsweep
