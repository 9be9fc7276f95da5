// What a report shows a person, read during the format check: the learner, the
// title, the awarding body and the dates, from the real Europass credentials and
// from VC 2.0 / Open Badges 3.0 spellings.
#include <gtest/gtest.h>

#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

struct LabelCase {
  const char* file;
  const char* subject;
  const char* title;
  const char* awarding_body;
  const char* issued;
};

class EuropassLabels : public ::testing::TestWithParam<LabelCase> {};

TEST_P(EuropassLabels, NameTheLearnerTheTitleAndTheAwardingBody) {
  auto v = testing::MakeVerifier({});
  auto r = testing::VerifyText(*v, testing::ReadTestData(std::string("edc/upstream/") + GetParam().file));
  ASSERT_EQ(r.check(CheckId::kFormat).outcome, Outcome::kPass) << Describe(r);
  EXPECT_EQ(r.subject(), GetParam().subject);
  EXPECT_EQ(r.title(), GetParam().title);
  EXPECT_EQ(r.awarding_body(), GetParam().awarding_body);
  ASSERT_TRUE(r.issued());
  EXPECT_EQ(FormatUtc(*r.issued()), GetParam().issued);
}

INSTANTIATE_TEST_SUITE_P(
    Upstream, EuropassLabels,
    ::testing::Values(
        LabelCase{"elm-sample-certofpart-signed.jsonld", "Ana Andromeda", "EDC Updates Webinar",
                  "European Digital Credentials for Learning Support Team", "2023-09-27T12:07:01Z"},
        LabelCase{"elm-sample-mc-annex1-signed.jsonld", "Ana Andromeda", "Digital micro-credential creation",
                  "University of Zed", "2023-09-27T11:54:17Z"},
        LabelCase{"mynextid-confirmation-of-enrolment-signed.jsonld", "John Doe", "Title of Activity", "NETIS d.o.o.",
                  "2026-01-12T08:46:26Z"},
        LabelCase{"mynextid-microcredential-signed.jsonld", "Joe Done", "Title of your learning achievement",
                  "NETIS d.o.o.", "2026-01-12T07:12:23Z"}),
    [](const auto& info) { return testing::TestName(info.param.file); });

TEST(CredentialLabels, AValidUntilIsReportedAndItsAbsenceIsNot) {
  auto v = testing::MakeVerifier({});
  auto enrolment = testing::VerifyText(
      *v, testing::ReadTestData("edc/upstream/mynextid-confirmation-of-enrolment-signed.jsonld"));
  ASSERT_TRUE(enrolment.valid_until());
  EXPECT_EQ(FormatUtc(*enrolment.valid_until()), "2030-12-31T00:00:00Z");
  auto degree = testing::VerifyText(*v, testing::ReadTestData("edc/upstream/mynextid-degree-certificate-signed.jsonld"));
  EXPECT_FALSE(degree.valid_until());
}

constexpr const char* kOpenBadge =
    R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:test:ob","type":["VerifiableCredential","OpenBadgeCredential"],)"
    R"("issuer":{"id":"https://i.example","name":"Alliance issuing office"},"validFrom":"2025-01-01T00:00:00Z",)"
    R"("validUntil":"2027-01-01T00:00:00Z","name":"Badge - credential name",)"
    R"("credentialSubject":{"id":"did:example:ana","name":[{"@value":"Ana A.","@language":"de"},{"@value":"Ana Andromeda","@language":"en"}],)"
    R"("achievement":{"id":"urn:test:a","type":["Achievement"],"name":{"en":"Data stewardship","fr":"Gestion"},)"
    R"("creator":{"id":"https://ugent.example","name":"Universiteit Gent"}}}})";

TEST(CredentialLabels, OpenBadgesNameTheAchievementAndItsCreator) {
  auto r = testing::VerifyText(*testing::MakeVerifier({}), kOpenBadge);
  ASSERT_EQ(r.check(CheckId::kFormat).outcome, Outcome::kPass) << Describe(r);
  EXPECT_EQ(r.subject(), "Ana Andromeda");  // the English one of a language-tagged array
  EXPECT_EQ(r.title(), "Data stewardship");
  EXPECT_EQ(r.awarding_body(), "Universiteit Gent");
  EXPECT_EQ(FormatUtc(*r.issued()), "2025-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(*r.valid_until()), "2027-01-01T00:00:00Z");
}

TEST(CredentialLabels, WithoutNamesTheIdsAndTheCredentialNameStandIn) {
  auto r = testing::VerifyText(*testing::MakeVerifier({}),
                               R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                               R"("issuer":"https://i.example","name":{"@value":"Certificate"},)"
                               R"("credentialSubject":{"id":"did:example:ana","givenName":"Ana"}})");
  ASSERT_EQ(r.check(CheckId::kFormat).outcome, Outcome::kPass) << Describe(r);
  EXPECT_EQ(r.subject(), "Ana");
  EXPECT_EQ(r.title(), "Certificate");
  EXPECT_EQ(r.awarding_body(), "https://i.example");
  EXPECT_FALSE(r.issued());
  EXPECT_FALSE(r.valid_until());
  auto bare = testing::VerifyText(*testing::MakeVerifier({}),
                                  R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                                  R"("issuer":"https://i.example","credentialSubject":{"id":"did:example:ana",)"
                                  R"("hasClaim":{"title":{"id":"urn:x","type":"Note"}}}})");
  EXPECT_EQ(bare.subject(), "did:example:ana");
  EXPECT_EQ(bare.title(), "");  // a node is not a text
}

TEST(CredentialLabels, AFailingCredentialIsStillNamedAndLongNamesAreCut) {
  std::string long_name;
  for (int i = 0; i < 150; ++i) long_name += "\xC3\xA9";  // 300 bytes of 'é'
  auto r = testing::VerifyText(*testing::MakeVerifier({}),
                               R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                               R"("issuer":"https://i.example","validFrom":"yesterday",)"
                               R"("credentialSubject":{"fullName":")" + long_name + R"("}})");
  EXPECT_EQ(r.check(CheckId::kFormat).code, "bad_date") << Describe(r);
  EXPECT_EQ(r.subject(), long_name.substr(0, 200));  // 100 characters, none split
}

}  // namespace
}  // namespace credsweep

namespace credsweep {
namespace {

// Found by fuzz/verifier_fuzz (tests/testdata/fuzz-crashes/verifier-empty-hasclaim-array.json):
// an empty array where a label is looked for crashed the process.
TEST(CredentialLabels, EmptyArraysWhereLabelsAreLookedForAreNoLabels) {
  auto v = testing::MakeVerifier({});
  auto found = testing::VerifyText(*v, testing::ReadTestData("fuzz-crashes/verifier-empty-hasclaim-array.json"));
  EXPECT_EQ(found.title(), "Alumni Credential");
  for (const char* member : {R"("hasClaim":[])", R"("achievement":[])", R"("hasClaim":{"awardedBy":[]})",
                             R"("hasClaim":{"awardedBy":{"awardingBody":[]}})"}) {
    const std::string text =
        std::string(R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                    R"("issuer":"https://i.example","validFrom":"2023-01-01T00:00:00Z","displayParameter":[],)"
                    R"("credentialSubject":{"id":"did:example:1",)") +
        member + "}}";
    auto r = testing::VerifyText(*v, text);
    EXPECT_EQ(r.check(CheckId::kFormat).outcome, Outcome::kPass) << member << ": " << testing::Describe(r);
    EXPECT_EQ(r.title(), "") << member;
    EXPECT_EQ(r.awarding_body(), "https://i.example") << member;
  }
}

}  // namespace
}  // namespace credsweep
