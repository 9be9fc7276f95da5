// A CLI test with an issuer's ES256 key (issuer.jwk, issuer.jwks.json) and an empty
// status index (db): the registrar's tests start here.
#ifndef CREDSWEEP_TESTS_IO_CLI_ISSUER_FIXTURE_H_
#define CREDSWEEP_TESTS_IO_CLI_ISSUER_FIXTURE_H_

#include <memory>

#include "engine/signer.h"
#include "tests/io/cli/cli_fixture.h"

namespace credsweep::testing {

class IssuerCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    Write("issuer.jwk", key_->ToPrivateJwkJson());
    Write("issuer.jwks.json", "{\"keys\":[" + key_->ToPublicJwkJson() + "]}");
    ASSERT_EQ(Credsweep("init --db db").code, 0);
  }
  std::unique_ptr<PrivateKey> key_;
};

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_IO_CLI_ISSUER_FIXTURE_H_
