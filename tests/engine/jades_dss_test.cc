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

namespace credsweep {
namespace {

VerificationResult VerifyDss(const std::string& file) {
  return testing::VerifyText(*DssVerifier(), testing::ReadTestData("jades-dss/" + file));
}

TEST(JadesDss, DetachedContentIsRefusedByName) {
  auto r = VerifyDss("simple-detached.json");
  EXPECT_EQ(r.check(CheckId::kSeal).code, "detached_content_unsupported") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("sigD http://uri.etsi.org/19182/ObjectIdByURIHash"), std::string::npos)
      << Describe(r);
}

// sigPId, srAts and sigX5ts in crit are understood: the seal is judged on, and
// ends at the chain (DSS's test PKI is not among the anchors here).
TEST(JadesDss, CriticalJadesHeaderParametersAreUnderstood) {
  for (const char* file : {"jades-with-asn1policy.json", "jades-with-certified.json", "jades-with-multiple-sign-cert-refs.json"}) {
    auto r = VerifyDss(file);
    EXPECT_EQ(r.check(CheckId::kSeal).code, "chain_untrusted") << file << ": " << Describe(r);
  }
}

TEST(JadesDss, CritNamingAnAbsentParameterIsRefused) {
  auto etsi_u = VerifyDss("dss2620-jades-b-level-with-etsiu-in-crit.json");
  EXPECT_EQ(etsi_u.check(CheckId::kFormat).code, "malformed_jws") << Describe(etsi_u);
  EXPECT_NE(etsi_u.check(CheckId::kFormat).message.find("crit names 'etsiU', which is absent"), std::string::npos);
  auto extra = VerifyDss("dss2620-jades-with-extra-crit-entry.json");
  EXPECT_EQ(extra.check(CheckId::kFormat).code, "malformed_jws") << Describe(extra);
  EXPECT_NE(extra.check(CheckId::kFormat).message.find("crit names 'sigPl', which is absent"), std::string::npos);
}

TEST(JadesDss, TheSealsOwnExpiryIsHonoured) {
  auto r = VerifyDss("dss2620-jades-with-expiration-time-header-in-crit.json");
  EXPECT_EQ(r.check(CheckId::kSeal).code, "signature_expired") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("the seal's own expiry (exp) 2022-11-16T15:17:05Z"), std::string::npos)
      << Describe(r);
}

}  // namespace
}  // namespace credsweep
