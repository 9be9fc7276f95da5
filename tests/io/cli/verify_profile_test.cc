// verify --profile eu-microcredential through the real binary: a sealed credential
// that lacks the Annex I elements fails format with profile_incomplete (exit 1),
// one that has them verifies, and an unknown profile name is a usage error.
#include <gtest/gtest.h>

#include "engine/signer.h"
#include "tests/io/cli/cli_fixture.h"

namespace credsweep::testing {
namespace {

// A VC 2.0 Open Badges 3.0 micro-credential with every Annex I element.
constexpr const char* kCompletePayload =
    R"({"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],)"
    R"("id":"urn:test:complete","type":["VerifiableCredential","OpenBadgeCredential"],)"
    R"("issuer":{"id":"https://i.example","type":["Profile"],"name":"Universiteit Gent",)"
    R"("address":{"type":["Address"],"addressCountryCode":"BE"}},"validFrom":"2025-01-01T00:00:00Z",)"
    R"("credentialSubject":{"type":["AchievementSubject"],"name":"Ana Andromeda","achievement":{)"
    R"("id":"urn:test:achievement","type":["Achievement"],"name":"Data stewardship",)"
    R"("criteria":{"narrative":"Pass the written examination."},)"
    R"("alignment":[{"type":["Alignment"],"targetName":"Plan research data management"},)"
    R"({"type":["Alignment"],"targetName":"EQF level 6","targetFramework":"EQF","targetCode":"6"}],)"
    R"("creditsAvailable":3,"resultDescription":[{"type":["ResultDescription"],"name":"Written examination",)"
    R"("resultType":"LetterGrade"}],"mode":"online","accreditation":{"type":"Accreditation","title":"ESG review"}}}})";

class VerifyProfile : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    Write("public.jwks.json", "{\"keys\":[" + key_->ToPublicJwkJson() + "]}");
  }
  std::string Verify(const std::string& file, const std::string& extra) {
    return "verify " + file + " --jwks https://i.example=public.jwks.json -o - -q --at 2026-11-29T00:00:00Z " + extra;
  }
  std::unique_ptr<PrivateKey> key_;
};

TEST_F(VerifyProfile, ACredentialMissingElementsExitsOneWithProfileIncomplete) {
  std::string cred = Write("bare.jwt", SignedCredential(*key_, "urn:test:bare") + "\n");
  CliRun plain = Credsweep(Verify(cred, ""));
  EXPECT_EQ(plain.code, 0) << plain.out << plain.err;  // sealed and well formed: verified without the profile
  CliRun r = Credsweep(Verify(cred, "--profile eu-microcredential"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.out, R"("format":{"result":"fail","code":"profile_incomplete")")) << r.out;
  EXPECT_TRUE(Contains(r.out, "EU micro-credential profile: missing: identification of the learner, title of the "
                              "micro-credential, country or region of the issuer, awarding body, date of issuing, "
                              "learning outcomes, notional workload, type of assessment, form of participation, "
                              "type of quality assurance"))
      << r.out;
  EXPECT_TRUE(Contains(r.out, "\"verified\":false")) << r.out;
}

TEST_F(VerifyProfile, ACompleteCredentialVerifiesWithTheProfile) {
  auto jws = SignCompact(*key_, R"({"alg":"ES256","kid":")" + key_->kid() + "\"}", kCompletePayload);
  ASSERT_TRUE(jws.ok());
  std::string cred = Write("complete.jwt", *jws + "\n");
  CliRun r = Credsweep(Verify(cred, "--profile eu-microcredential"));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "EU micro-credential profile: all 11 elements present")) << r.out;
}

TEST_F(VerifyProfile, AnUnknownProfileIsAUsageError) {
  std::string cred = Write("bare.jwt", SignedCredential(*key_, "urn:test:bare") + "\n");
  CliRun r = Credsweep(Verify(cred, "--profile eu-micro"));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "--profile")) << r.err;
  EXPECT_TRUE(Contains(r.err, "eu-micro")) << r.err;
}

}  // namespace
}  // namespace credsweep::testing
