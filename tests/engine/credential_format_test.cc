// VC Data Model 1.1 / 2.0 structure, from the W3C suites' fixtures. Unsecured
// credentials never verify (seal: not_sealed); these tests judge the format check.
#include <gtest/gtest.h>

#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

struct FormatCase {
  const char* file;
  const char* code;  // "ok" for a well-formed credential
};

class CredentialFormat : public ::testing::TestWithParam<FormatCase> {};

TEST_P(CredentialFormat, GetsTheExpectedFormatOutcome) {
  auto v = testing::MakeVerifier({});
  auto r = testing::VerifyText(*v, testing::ReadTestData(std::string("vc-data-model/") + GetParam().file));
  EXPECT_EQ(r.check(CheckId::kFormat).code, GetParam().code) << Describe(r);
  EXPECT_EQ(r.check(CheckId::kFormat).outcome,
            std::string_view(GetParam().code) == "ok" ? Outcome::kPass : Outcome::kFail);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "not_sealed");
  EXPECT_FALSE(r.verified());
}

INSTANTIATE_TEST_SUITE_P(
    W3c, CredentialFormat,
    ::testing::Values(
        FormatCase{"derived/credential-validfrom-ms-ok.with-issuer.json", "ok"},
        FormatCase{"derived/credential-validfrom-tz-ok.with-issuer.json", "ok"},
        FormatCase{"derived/credential-validuntil-tz-ok.with-issuer.json", "ok"},
        FormatCase{"derived/credential-type-string-ok.json", "ok"},
        FormatCase{"derived/credential-v2-with-v1-issuanceDate.json", "ok"},
        FormatCase{"derived/credential-context-string-not-array.json", "ok"},
        FormatCase{"upstream-vcdm2-test-suite/credential-issuer-object-ok.json", "ok"},
        FormatCase{"upstream-vc-jose-cose-test-suite-v1.1/valid-credential.json", "ok"},
        FormatCase{"upstream-vcdm2-test-suite/credential-validfrom-ms-ok.json", "missing_field"},
        FormatCase{"derived/credential-validfrom-invalid-fail.with-issuer.json", "bad_date"},
        FormatCase{"derived/credential-validuntil-invalid-fail.with-issuer.json", "bad_date"},
        FormatCase{"derived/credential-validfrom-no-offset.json", "bad_date"},
        FormatCase{"derived/credential-missing-base-context-fail.with-issuer.json", "bad_context"},
        FormatCase{"derived/credential-no-context-fail.with-issuer.json", "missing_field"},
        FormatCase{"derived/credential-missing-required-type-fail.with-issuer.json", "bad_type"},
        FormatCase{"upstream-vcdm2-test-suite/credential-issuer-object-no-id-fail.json", "bad_issuer"},
        FormatCase{"upstream-vcdm2-test-suite/credential-issuer-nonurl-fail.json", "bad_issuer"},
        FormatCase{"derived/credential-no-subject-fail.with-issuer.json", "missing_field"},
        FormatCase{"derived/credential-status-missing-type-fail.with-issuer.json", "missing_field"},
        FormatCase{"derived/credential-schema-no-type-fail.with-issuer.json", "missing_field"},
        FormatCase{"derived/credential-not-url-id-fail.with-issuer.json", "bad_id"},
        FormatCase{"derived/credential-validuntil-before-validfrom-fail.json", "invalid_validity_period"},
        FormatCase{"upstream-vc-jose-cose-test-suite-v1.1/invalid-issuance-date-credential.json", "bad_date"},
        FormatCase{"upstream-vc-jose-cose-test-suite-v1.1/invalid-type-credential.json", "bad_type"},
        FormatCase{"upstream-vc-jose-cose-test-suite-v1.1/invalid-identifier-credential.json", "bad_id"}),
    [](const auto& info) { return testing::TestName(info.param.file); });

TEST(CredentialFormat, V2IssuanceDateIsAWarningNotAValidFrom) {
  auto v = testing::MakeVerifier({});
  auto r = testing::VerifyText(
      *v, testing::ReadTestData("vc-data-model/derived/credential-v2-with-v1-issuanceDate.json"));
  EXPECT_NE(r.check(CheckId::kFormat).message.find("warning"), std::string::npos) << Describe(r);
}

}  // namespace
}  // namespace credsweep
