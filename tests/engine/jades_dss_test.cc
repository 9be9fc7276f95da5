// JAdES files of the EU DSS project's own tests (tests/testdata/jades-dss/README.md):
// what DSS asserts about them holds in credsweep.
#include <gtest/gtest.h>

#include "engine/encoding.h"
#include "engine/verifier.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

std::unique_ptr<Verifier> DssVerifier() {
  testing::VerifierSpec spec;
  spec.anchor_pem_files.push_back(testing::TestData("jades-dss/dss-test-root-ca-2024.pem"));
  spec.at = "2025-06-01T00:00:00Z";
  return testing::MakeVerifier(spec);
}

// JAdESLevelBWithXValsTest: no x5c; x5t#o names the signing certificate, which only
// the unsigned xVals carry.
TEST(JadesDss, TheSigningCertificateIsFoundInXValsByX5tO) {
  const std::string text = testing::ReadTestData("jades-dss/jades-b-with-xvals.json");
  auto r = testing::VerifyText(*DssVerifier(), text);
  ASSERT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find(
                "RS512 signature verified with RSA key of certificate 'C=LU,OU=PKI-TEST,O=Nowina Solutions,CN=good-user'"),
            std::string::npos)
      << Describe(r);
  // The payload is plain JSON, not a credential: the format check says so, the seal stands.
  EXPECT_EQ(r.check(CheckId::kFormat).code, "not_a_credential");
}

TEST(JadesDss, AnX5tOThatNamesNoCertificateFindsNoKey) {
  std::string text = testing::ReadTestData("jades-dss/jades-b-with-xvals.json");
  // The same header with another digest value.
  const size_t at = text.find("\"protected\":\"") + 13;
  const std::string header =
      R"({"alg":"RS512","cty":"json","typ":"jose+json","iat":1741078276,"x5t#o":{"digAlg":"S512","digVal":"AAAA"}})";
  text.replace(at, text.find('"', at) - at, Base64UrlEncode(header));
  auto r = testing::VerifyText(*DssVerifier(), text);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "key_not_found") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("x5t#o names a signing certificate that neither x5c nor the etsiU xVals hold"),
            std::string::npos)
      << Describe(r);
}

}  // namespace
}  // namespace credsweep
