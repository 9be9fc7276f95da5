// verify --certificate-status and --crls with the real binary, on a real Europass
// ELM sample whose seal carries the OCSP response of its CA's delegated responder.
#include <gtest/gtest.h>

#include "tests/io/cli/cli_fixture.h"
#include "tests/testutil.h"

namespace credsweep::testing {
namespace {

class CertificateStatusCliTest : public CliTest {
 protected:
  // The seal certificate has expired since: judged at the sealer's sigT.
  std::string Args() const {
    return TestData("edc/upstream/elm-sample-mc-annex1-signed.jsonld") + " --ca " +
           TestData("edc/anchors/anf-ac-qualified-eseal-ca.pem") +
           " --signing-time claimed --trust-any-configured-key -o out.jsonl";
  }
};

TEST_F(CertificateStatusCliTest, RequireVerifiesOnTheEmbeddedOcspResponse) {
  CliRun run = Credsweep("verify " + Args() + " --certificate-status require");
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string out = ReadFile(Path("out.jsonl"));
  EXPECT_NE(out.find(R"("verified":true)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("signing_time":"2023-09-27T11:54:17Z","signing_time_basis":"claimed","certificate_status":"good","certificate_status_source":"ocsp","certificate_status_origin":"embedded"})"),
            std::string::npos)
      << out;
  // Off: the result says nothing about it.
  ASSERT_EQ(Credsweep("verify " + Args() + " --certificate-status off").code, 0);
  EXPECT_EQ(ReadFile(Path("out.jsonl")).find("certificate_status"), std::string::npos);
}

TEST_F(CertificateStatusCliTest, CrlsAreReadAtStartAndABadOneIsAUsageError) {
  Write("crls/seal-ca.crl", ReadTestData("edc/crl/dss-test-root-ca.crl"));
  CliRun good = Credsweep("verify " + Args() + " --crls crls --certificate-status require");
  EXPECT_EQ(good.code, 0) << good.err;
  Write("crls/broken.crl", "not a CRL");
  CliRun bad = Credsweep("verify " + Args() + " --crls crls");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--crls crls/broken.crl: not a CRL (DER or PEM)"), std::string::npos) << bad.err;
  CliRun unknown = Credsweep("verify " + Args() + " --certificate-status maybe");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("--certificate-status"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace credsweep::testing
