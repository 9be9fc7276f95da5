// The EU micro-credential profile (engine/checks/profile.h) through the format
// check: small ELM and VC 2.0 / Open Badges 3.0 credentials with each element
// missing in turn, the documented alternatives, and the five real sealed Europass
// credentials of tests/testdata/edc/upstream/.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "engine/encoding.h"
#include "engine/verifier.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

// The plain names the profile reports, in Annex I order.
const std::vector<std::string> kMandatory = {
    "identification of the learner", "title of the micro-credential", "country or region of the issuer",
    "awarding body",                 "date of issuing",               "learning outcomes",
    "notional workload",             "type of assessment",            "form of participation",
    "type of quality assurance"};
constexpr const char* kLevel = "level";

std::unique_ptr<Verifier> ProfileVerifier(CredentialProfile profile = CredentialProfile::kEuMicrocredential) {
  VerifierOptions o;
  o.at = ParseDateTimeStamp("2026-11-29T00:00:00Z").value();
  o.profile = profile;
  return std::make_unique<Verifier>(std::move(o));
}

CheckResult Format(const std::string& record, CredentialProfile profile = CredentialProfile::kEuMicrocredential) {
  return testing::VerifyText(*ProfileVerifier(profile), record).check(CheckId::kFormat);
}

// "missing: a, b" as the profile writes it.
std::string MissingList(const std::vector<std::string>& names) {
  std::string out = "EU micro-credential profile: missing: ";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

// Builds a credential from named parts; a part named in `omit` is left out.
class Parts {
 public:
  explicit Parts(std::set<std::string> omit) : omit_(std::move(omit)) {}
  std::string operator()(const std::string& element, const std::string& json) const {
    return omit_.count(element) ? std::string() : json;
  }

 private:
  std::set<std::string> omit_;
};

// An ELM v3 (EDC) micro-credential carrying every element once, in the places the
// European Commission's own Annex I sample uses. (ELM is VC 1.1: issuanceDate is
// required by the format check itself, so "date of issuing" cannot go missing.)
std::string Elm(const std::set<std::string>& omit = {}) {
  Parts p(omit);
  return std::string(R"({"@context":["https://www.w3.org/2018/credentials/v1","http://data.europa.eu/snb/model/context/edc-ap"],)") +
         R"("id":"urn:credential:1","type":["VerifiableCredential","EuropeanDigitalCredential"],)" +
         R"("issuer":{)" +
         p("country or region of the issuer",
           R"("location":{"id":"urn:epass:location:1","type":"Location","address":{"id":"urn:epass:address:1","type":"Address",)"
           R"("countryCode":{"id":"http://publications.europa.eu/resource/authority/country/BEL","type":"Concept"}}},)") +
         R"("legalName":{"en":"Universiteit Gent"},"type":"Organisation","id":"urn:epass:org:1"},)" +
         R"("issuanceDate":"2025-01-01T00:00:00Z",)" +
         R"("credentialSubject":{"id":"urn:epass:person:1","type":"Person",)" +
         p("identification of the learner", R"("fullName":{"en":"Ana Andromeda"},)") +
         R"("hasClaim":{"id":"urn:epass:learningAchievement:1","type":"LearningAchievement",)" +
         p("title of the micro-credential", R"("title":{"en":"Data stewardship"},)") +
         p("awarding body",
           R"("awardedBy":{"id":"urn:epass:awardingProcess:1","type":"AwardingProcess",)"
           R"("awardingBody":{"id":"urn:epass:org:1","type":"Organisation"}},)") +
         p("type of assessment",
           R"("provenBy":{"id":"urn:epass:learningAssessment:1","type":"LearningAssessment","specifiedBy":{)"
           R"("id":"urn:epass:learningAssessmentSpec:1","type":"LearningAssessmentSpecification",)"
           R"("dcType":{"id":"urn:epass:concept:exam","type":"Concept","prefLabel":{"en":"written examination"}}}},)") +
         R"("specifiedBy":{"id":"urn:epass:qualification:1","type":"Qualification",)" +
         p("learning outcomes",
           R"("learningOutcome":[{"id":"urn:epass:learningOutcome:1","type":"LearningOutcome","title":{"en":"Plans FAIR data"}}],)") +
         p("notional workload", R"("creditPoint":{"id":"urn:epass:creditPoint:1","type":"CreditPoint","point":"3"},)") +
         p(kLevel, R"("eqfLevel":{"id":"http://data.europa.eu/snb/eqf/6","type":"Concept"},)") +
         p("form of participation",
           R"("mode":{"id":"http://data.europa.eu/snb/learning-assessment/920fbb3cbe","type":"Concept"},)") +
         p("type of quality assurance",
           R"("accreditation":{"id":"urn:epass:accreditation:1","type":"Accreditation",)"
           R"("dcType":{"id":"urn:epass:concept:institutional","type":"Concept"}},)") +
         R"("isPartialQualification":false}}}})";
}

// A VC 2.0 Open Badges 3.0 micro-credential carrying every element once.
std::string OpenBadge(const std::set<std::string>& omit = {}) {
  Parts p(omit);
  std::string alignments = p("learning outcomes",
                             R"({"type":["Alignment"],"targetName":"Plan research data management",)"
                             R"("targetUrl":"http://data.europa.eu/esco/skill/f10142ce-d522-49c3-9fd1-054fb63529d4"})");
  std::string level = p(kLevel, R"({"type":["Alignment"],"targetName":"EQF level 6","targetFramework":"EQF",)"
                                R"("targetCode":"6","targetUrl":"http://data.europa.eu/snb/eqf/6"})");
  if (!alignments.empty() && !level.empty()) alignments += ",";
  alignments += level;
  return std::string(R"({"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],)") +
         R"("id":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000001","type":["VerifiableCredential","OpenBadgeCredential"],)" +
         R"("issuer":{"type":["Profile"],)" + p("awarding body", R"("name":"Universiteit Gent",)") +
         p("country or region of the issuer", R"("address":{"type":["Address"],"addressCountryCode":"BE"},)") +
         R"("id":"https://ugent.example"},)" + p("date of issuing", R"("validFrom":"2025-01-01T00:00:00Z",)") +
         R"("credentialSubject":{"type":["AchievementSubject"],)" +
         p("identification of the learner",
           R"("identifier":[{"type":"IdentityObject","identityType":"emailAddress","hashed":true,)"
           R"("identityHash":"sha256$ba91252f3fdc7162f4b7389bc63b828c7e1f9eff8a9fd43d290551bee49b56ae","salt":"x"}],)") +
         R"("achievement":{"id":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000002","type":["Achievement"],)" +
         p("title of the micro-credential", R"("name":"Data stewardship",)") + R"("alignment":[)" + alignments + "]," +
         p("notional workload", R"("creditsAvailable":3,)") +
         p("type of assessment",
           R"("resultDescription":[{"id":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000003","type":["ResultDescription"],)"
           R"("name":"Written examination","resultType":"LetterGrade"}],)") +
         p("form of participation", R"("mode":"online",)") +
         p("type of quality assurance",
           R"("accreditation":{"type":"Accreditation","title":"Institutional accreditation under the ESG"},)") +
         R"("criteria":{"narrative":"Pass the written examination."}}}})";
}

TEST(EuMicrocredentialProfile, CompleteElmCredentialPassesWithAllElevenElements) {
  CheckResult f = Format(Elm());
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.code << ": " << f.message;
  EXPECT_NE(f.message.find("; EU micro-credential profile: all 11 elements present"), std::string::npos) << f.message;
}

TEST(EuMicrocredentialProfile, CompleteOpenBadgeCredentialPassesWithAllElevenElements) {
  CheckResult f = Format(OpenBadge());
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.code << ": " << f.message;
  EXPECT_EQ(f.message, "VC 2.0 credential (unsecured); EU micro-credential profile: all 11 elements present");
}

TEST(EuMicrocredentialProfile, EachMissingElmElementIsNamed) {
  for (const std::string& name : kMandatory) {
    if (name == "date of issuing") continue;  // issuanceDate is a VC 1.1 requirement of its own
    CheckResult f = Format(Elm({name}));
    EXPECT_EQ(f.outcome, Outcome::kFail) << name;
    EXPECT_EQ(f.code, "profile_incomplete") << name;
    EXPECT_EQ(f.message, MissingList({name})) << name;
  }
}

TEST(EuMicrocredentialProfile, EachMissingOpenBadgeElementIsNamed) {
  for (const std::string& name : kMandatory) {
    CheckResult f = Format(OpenBadge({name}));
    EXPECT_EQ(f.code, "profile_incomplete") << name << ": " << f.message;
    EXPECT_EQ(f.message, MissingList({name})) << name;
  }
}

TEST(EuMicrocredentialProfile, EveryMissingElementIsListedNotOnlyTheFirst) {
  CheckResult f = Format(OpenBadge({"notional workload", "type of assessment", "form of participation"}));
  EXPECT_EQ(f.code, "profile_incomplete");
  EXPECT_EQ(f.message, "EU micro-credential profile: missing: notional workload, type of assessment, form of participation");
}

TEST(EuMicrocredentialProfile, AbsentLevelIsReportedButNotFailed) {
  // Annex I asks for the level "if applicable", which a verifier cannot judge.
  for (const std::string& record : {Elm({kLevel}), OpenBadge({kLevel})}) {
    CheckResult f = Format(record);
    EXPECT_EQ(f.outcome, Outcome::kPass) << f.message;
    EXPECT_NE(f.message.find("EU micro-credential profile: all 10 mandatory elements present; no level (EQF, QF-EHEA) "
                             "stated, which Annex I requires only if applicable"),
              std::string::npos)
        << f.message;
  }
  CheckResult both = Format(OpenBadge({kLevel, "notional workload"}));
  EXPECT_EQ(both.message, MissingList({"notional workload"}) +
                              "; no level (EQF, QF-EHEA) stated, which Annex I requires only if applicable");
}

TEST(EuMicrocredentialProfile, ElmAlternativesAreAccepted) {
  std::string alt = Elm({"title of the micro-credential", "notional workload", kLevel, "form of participation",
                         "type of quality assurance", "learning outcomes", "identification of the learner",
                         "country or region of the issuer", "awarding body"});
  // The title shown on the credential, the volume of learning, a national level,
  // the mode of the learning activity that led to the claim, a learning-outcome
  // summary, the learner's national ID, and an awarding body with its own region
  // and accreditation.
  auto insert_after = [&alt](const std::string& anchor, const std::string& text) {
    size_t pos = alt.find(anchor);
    ASSERT_NE(pos, std::string::npos) << anchor;
    alt.insert(pos + anchor.size(), text);
  };
  insert_after(R"("id":"urn:credential:1",)", R"("displayParameter":{"id":"urn:epass:displayParameter:1",)"
                                              R"("type":"DisplayParameter","title":{"en":"Data stewardship"}},)");
  insert_after(R"("type":"Qualification",)",
               R"("volumeOfLearning":"PT75H","nqfLevel":[{"id":"http://data.europa.eu/snb/qdr/c_c392e7a2","type":"Concept"}],)"
               R"("learningOutcomeSummary":{"id":"urn:epass:note:1","type":"Note","noteLiteral":{"en":"Plans FAIR data."}},)");
  insert_after(R"("type":"LearningAchievement",)",
               R"("influencedBy":{"id":"urn:epass:activity:1","type":"LearningActivity","specifiedBy":{)"
               R"("id":"urn:epass:las:1","type":"LearningActivitySpecification",)"
               R"("mode":{"id":"http://data.europa.eu/snb/learning-assessment/e92d221e4d","type":"Concept"}}},)"
               R"("awardedBy":{"id":"urn:epass:awardingProcess:1","type":"AwardingProcess","awardingBody":[{)"
               R"("id":"urn:epass:org:2","type":"Organisation","location":{"id":"urn:epass:location:2","type":"Location",)"
               R"("spatialCode":{"id":"http://publications.europa.eu/resource/authority/atu/IRL_CTH_DUB","type":"Concept"}},)"
               R"("accreditation":[{"id":"urn:epass:accreditation:2","type":"Accreditation","title":{"en":"ESG review"}}]}]},)");
  insert_after(R"("type":"Person",)", R"("nationalID":{"id":"urn:epass:legalIdentifier:5","type":"LegalIdentifier",)"
                                      R"("notation":"LA-234218"},)");
  CheckResult f = Format(alt);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.code << ": " << f.message;
  EXPECT_NE(f.message.find("all 11 elements present"), std::string::npos) << f.message;
}

TEST(EuMicrocredentialProfile, AnElementInAnyOfSeveralClaimsCounts) {
  // hasClaim as an array: the first claim has no specification; the second does.
  std::string two = Elm();
  size_t pos = two.find(R"("hasClaim":{)");
  ASSERT_NE(pos, std::string::npos);
  two.replace(pos, 12, R"("hasClaim":[{"id":"urn:epass:learningActivity:9","type":"LearningActivity"},{)");
  two.insert(two.size() - 2, "]");  // closes the array before credentialSubject's brace
  CheckResult f = Format(two);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.code << ": " << f.message;
}

TEST(EuMicrocredentialProfile, OpenBadgeAlternativesAreAccepted) {
  std::string alt = OpenBadge({"awarding body", "country or region of the issuer", "date of issuing", "notional workload",
                               "identification of the learner"});
  // The achievement's creator (with its address), awardedDate, creditsEarned and
  // a credentialSubject name.
  size_t pos = alt.find(R"("type":["Achievement"],)");
  ASSERT_NE(pos, std::string::npos);
  alt.insert(pos + 23, R"("creator":{"type":["Profile"],"name":"Universiteit Gent","address":{"type":["Address"],)"
                       R"("addressCountry":"Belgium"}},)");
  pos = alt.find(R"("type":["AchievementSubject"],)");
  alt.insert(pos + 30, R"("name":"Ana Andromeda","creditsEarned":3,)");
  alt.insert(1, R"("awardedDate":"2025-01-01T00:00:00Z",)");
  CheckResult f = Format(alt);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.code << ": " << f.message;
}

TEST(EuMicrocredentialProfile, EmptyOrTypeOnlyValuesDoNotCount) {
  std::string blank = Elm();
  size_t pos = blank.find(R"({"en":"Data stewardship"})");
  blank.replace(pos, 25, R"({"en":"  "})");
  pos = blank.find(R"(,"point":"3")");
  blank.erase(pos, 12);  // a CreditPoint without its points
  pos = blank.find(R"({"id":"urn:epass:org:1","type":"Organisation"})");
  blank.replace(pos, 46, R"({"type":"Organisation"})");
  CheckResult f = Format(blank);
  EXPECT_EQ(f.message, MissingList({"title of the micro-credential", "awarding body", "notional workload"}));
}

TEST(EuMicrocredentialProfile, ALevelAlignmentIsNotALearningOutcome) {
  CheckResult f = Format(OpenBadge({"learning outcomes"}));
  EXPECT_EQ(f.message, MissingList({"learning outcomes"}));
  // And an outcome alignment is not a level.
  EXPECT_NE(Format(OpenBadge({kLevel})).message.find("no level"), std::string::npos);
}

TEST(EuMicrocredentialProfile, VcJwtClaimIsTheCredentialRead) {
  // A VC 1.1 JWT: the profile reads the `vc` claim, not the JWT claims around it.
  std::string vc = OpenBadge();
  vc.replace(vc.find("https://www.w3.org/ns/credentials/v2"), 36, "https://www.w3.org/2018/credentials/v1");
  vc.insert(1, R"("issuanceDate":"2025-01-01T00:00:00Z",)");
  std::string claims = R"({"iss":"https://ugent.example","vc":)" + vc + "}";
  std::string jws = Base64UrlEncode(R"({"alg":"ES256","typ":"JWT"})") + "." + Base64UrlEncode(claims) + ".AAAA";
  CheckResult f = Format(jws);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.code << ": " << f.message;
  EXPECT_NE(f.message.find("all 11 elements present"), std::string::npos) << f.message;
}

TEST(EuMicrocredentialProfile, OffByDefault) {
  CheckResult f = Format(OpenBadge({"notional workload"}), CredentialProfile::kNone);
  EXPECT_EQ(f.outcome, Outcome::kPass);
  EXPECT_EQ(f.message, "VC 2.0 credential (unsecured)");
}

TEST(EuMicrocredentialProfile, AFormatFailureIsReportedAsItself) {
  std::string bad = OpenBadge();
  bad.replace(bad.find("2025-01-01T00:00:00Z"), 20, "yesterday");
  EXPECT_EQ(Format(bad).code, "bad_date");
}

// The five real sealed Europass credentials: which elements each carries.
struct RealCase {
  const char* file;
  std::vector<std::string> missing;  // in Annex I order
  bool level_stated;
};

class RealEuropass : public ::testing::TestWithParam<RealCase> {};

TEST_P(RealEuropass, MissesExactlyTheseElements) {
  const RealCase& c = GetParam();
  CheckResult f = Format(testing::ReadTestData(std::string("edc/upstream/") + c.file));
  if (c.missing.empty()) {
    EXPECT_EQ(f.outcome, Outcome::kPass) << f.message;
  } else {
    EXPECT_EQ(f.code, "profile_incomplete") << f.message;
    std::string expected = MissingList(c.missing);
    if (!c.level_stated) expected += "; no level (EQF, QF-EHEA) stated, which Annex I requires only if applicable";
    EXPECT_EQ(f.message, expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Upstream, RealEuropass,
    ::testing::Values(
        // The Commission's "Annex 1" micro-credential sample states ten elements and
        // its EQF and national levels; nothing in it says how quality is assured.
        RealCase{"elm-sample-mc-annex1-signed.jsonld", {"type of quality assurance"}, true},
        // A certificate of participation (a LearningActivity claim): a volume of
        // learning and an online mode, but no outcomes, assessment or level.
        RealCase{"elm-sample-certofpart-signed.jsonld",
                 {"learning outcomes", "type of assessment", "type of quality assurance"},
                 false},
        // MyNextID's micro-credential: the same gap as the Commission's sample.
        RealCase{"mynextid-microcredential-signed.jsonld", {"type of quality assurance"}, true},
        // Not micro-credentials (LearningActivity claims naming a degree programme
        // or an enrolment): learner, title, countries, awarding body and dates only.
        RealCase{"mynextid-degree-certificate-signed.jsonld",
                 {"learning outcomes", "notional workload", "type of assessment", "form of participation",
                  "type of quality assurance"},
                 false},
        RealCase{"mynextid-confirmation-of-enrolment-signed.jsonld",
                 {"learning outcomes", "notional workload", "type of assessment", "form of participation",
                  "type of quality assurance"},
                 false}),
    [](const auto& info) { return testing::TestName(info.param.file); });

}  // namespace
}  // namespace credsweep
