#include "engine/key_set.h"

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

}  // namespace
}  // namespace credsweep
