#include "engine/keys.h"

#include <gtest/gtest.h>

#include "engine/did.h"
#include "engine/encoding.h"
#include "engine/key_set.h"
#include "engine/signer.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::ReadTestData;

TEST(PublicKey, ParsesRfcJwks) {
  auto ec = PublicKey::FromJwk(ReadTestData("jws-rfc/upstream/rfc7515-A3-es256-public.jwk.json"));
  ASSERT_TRUE(ec.ok()) << ec.status().ToString();
  EXPECT_EQ((*ec)->kind(), KeyKind::kP256);
  EXPECT_TRUE((*ec)->Permits(JwsAlg::kES256));
  EXPECT_FALSE((*ec)->Permits(JwsAlg::kES384));
  EXPECT_FALSE((*ec)->Permits(JwsAlg::kRS256));
  auto ed = PublicKey::FromJwk(ReadTestData("jws-rfc/upstream/rfc8037-A2-ed25519-public.jwk.json"));
  ASSERT_TRUE(ed.ok());
  EXPECT_EQ((*ed)->kind(), KeyKind::kEd25519);
  EXPECT_TRUE((*ed)->Permits(JwsAlg::kEdDSA));
  EXPECT_FALSE((*ed)->Permits(JwsAlg::kES256));
}

TEST(PublicKey, JwkAlgNarrowsPermittedAlgorithms) {
  auto k = PrivateKey::Generate(JwsAlg::kPS256).value();
  auto pub = PublicKey::FromJwk(k->ToPublicJwkJson());
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_TRUE((*pub)->Permits(JwsAlg::kPS256));
  EXPECT_FALSE((*pub)->Permits(JwsAlg::kRS256));
}

TEST(PublicKey, RejectsWeakAndSymmetricKeys) {
  auto small = PrivateKey::Generate(JwsAlg::kRS256, 1024).value();
  auto r = PublicKey::FromJwk(small->ToPublicJwkJson());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("2048"), std::string::npos);
  EXPECT_FALSE(PublicKey::FromJwk(R"({"kty":"oct","k":"c2VjcmV0"})").ok());
  // A point not on the curve.
  EXPECT_FALSE(PublicKey::FromJwk(
      R"({"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"})").ok());
  EXPECT_FALSE(PublicKey::FromJwk("not json").ok());
}

TEST(KeySet, RemembersWhyAKeyWasRejected) {
  auto small = PrivateKey::Generate(JwsAlg::kRS256, 1024).value();
  small->set_kid("weak");
  KeySet set;
  ASSERT_TRUE(set.AddJwks("{\"keys\":[" + small->ToPublicJwkJson() + "]}", "test.jwks").ok());
  EXPECT_TRUE(set.FindByKid("weak").empty());
  EXPECT_NE(set.RejectionReason("weak").find("2048"), std::string::npos);
}

class SignVerifyRoundTrip : public ::testing::TestWithParam<JwsAlg> {};

TEST_P(SignVerifyRoundTrip, VerifiesOwnSignaturesAndRejectsTampering) {
  auto key = PrivateKey::Generate(GetParam()).value();
  auto pub = PublicKey::FromJwk(key->ToPublicJwkJson()).value();
  ASSERT_TRUE(pub->Permits(GetParam()));
  std::string sig = key->Sign("message").value();
  EXPECT_EQ(pub->Verify(GetParam(), "message", sig), SignatureCheck::kValid);
  EXPECT_EQ(pub->Verify(GetParam(), "messagf", sig), SignatureCheck::kInvalid);
  std::string flipped = sig;
  flipped[flipped.size() / 2] ^= 1;
  EXPECT_NE(pub->Verify(GetParam(), "message", flipped), SignatureCheck::kValid);
  EXPECT_EQ(pub->Verify(GetParam(), "message", sig.substr(1)), SignatureCheck::kMalformed);
  // The private JWK round-trips to a key that signs verifiably.
  auto again = PrivateKey::FromJwk(key->ToPrivateJwkJson());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(pub->Verify(GetParam(), "m2", (*again)->Sign("m2").value()), SignatureCheck::kValid);
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, SignVerifyRoundTrip,
                         ::testing::Values(JwsAlg::kES256, JwsAlg::kES384, JwsAlg::kES512,
                                           JwsAlg::kES256K, JwsAlg::kEdDSA, JwsAlg::kRS256,
                                           JwsAlg::kRS384, JwsAlg::kRS512, JwsAlg::kPS256,
                                           JwsAlg::kPS384, JwsAlg::kPS512),
                         [](const auto& info) { return std::string(JwsAlgName(info.param)); });

TEST(Did, ResolvesMultikeyVectors) {
  // Public keys from the W3C Data Integrity test vectors.
  auto ed = ResolveDidKey("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
  ASSERT_TRUE(ed.ok()) << ed.status().ToString();
  EXPECT_EQ((*ed)->kind(), KeyKind::kEd25519);
  auto p256 = ResolveDidKey("did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP");
  ASSERT_TRUE(p256.ok()) << p256.status().ToString();
  EXPECT_EQ((*p256)->kind(), KeyKind::kP256);
  auto p384 = ResolveDidKey("did:key:z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ");
  ASSERT_TRUE(p384.ok()) << p384.status().ToString();
  EXPECT_EQ((*p384)->kind(), KeyKind::kP384);
}

TEST(Did, MatchesThePrivateKeyOfTheVector) {
  // privateKeyMultibase = 'z' base58btc(0x80 0x26 || 32-byte seed).
  auto priv = Base58BtcDecode("3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq").value();
  ASSERT_EQ(priv.size(), 34u);
  auto key = PrivateKey::FromJwk(R"({"kty":"OKP","crv":"Ed25519","x":"","d":")" +
                                 Base64UrlEncode(priv.substr(2)) + "\"}");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto resolved = ResolveDidKey("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2").value();
  EXPECT_EQ(resolved->Verify(JwsAlg::kEdDSA, "x", (*key)->Sign("x").value()), SignatureCheck::kValid);
}

TEST(Did, ResolvesDidJwkAndRejectsOthers) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  std::string did = "did:jwk:" + Base64UrlEncode(key->ToPublicJwkJson());
  auto resolved = ResolveDidKey(did + "#0");
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ((*resolved)->Verify(JwsAlg::kES256, "x", key->Sign("x").value()), SignatureCheck::kValid);
  EXPECT_FALSE(ResolveDidKey("did:web:example.com").ok());
  EXPECT_FALSE(ResolveDidKey("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#other").ok());
  EXPECT_FALSE(ResolveDidKey("did:key:notbase58!").ok());
}

}  // namespace
}  // namespace credsweep

namespace credsweep {
namespace {

// A point off the curve, or with a coordinate past the field, is no key (an
// invalid-curve attack would otherwise leak a holder's or issuer's secrets through
// verification); the curve's own points are keys.
TEST(EcPublicKeys, PointsOffTheCurveAreRefused) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  const std::string jwk = key->ToPublicJwkJson();
  ASSERT_TRUE(PublicKey::FromJwk(jwk).ok());
  // Flip one bit of y: (x, y') is not on P-256.
  size_t y = jwk.find("\"y\":\"") + 5;
  std::string bent = jwk;
  bent[y + 3] = bent[y + 3] == 'A' ? 'B' : 'A';
  auto off = PublicKey::FromJwk(bent);
  ASSERT_FALSE(off.ok());
  EXPECT_NE(off.status().message().find("not on curve"), std::string::npos) << off.status().message();
  // x = y = 0, and coordinates of all ones (beyond p).
  const std::string zero = Base64UrlEncode(std::string(32, '\0'));
  const std::string ones = Base64UrlEncode(std::string(32, '\xff'));
  for (const auto& [x, yy] : {std::pair{zero, zero}, std::pair{ones, ones}}) {
    EXPECT_FALSE(PublicKey::FromJwk(R"({"kty":"EC","crv":"P-256","x":")" + x + R"(","y":")" + yy + "\"}").ok());
  }
  for (JwsAlg alg : {JwsAlg::kES384, JwsAlg::kES512, JwsAlg::kES256K}) {
    auto k = PrivateKey::Generate(alg).value();
    EXPECT_TRUE(PublicKey::FromJwk(k->ToPublicJwkJson()).ok()) << JwsAlgName(alg);
  }
}

}  // namespace
}  // namespace credsweep
