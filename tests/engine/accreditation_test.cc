// The accreditation check: ELM accreditation records from the trust registry and
// fetched by URI, each outcome and each limit, and the record format itself.
#include <gtest/gtest.h>

#include "engine/accreditation.h"
#include "engine/json_escape.h"
#include "engine/signer.h"
#include "engine/trust_registry.h"
#include "engine/verifier.h"
#include "tests/fakes.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

constexpr const char* kUni = "https://uni.example/ugent";
constexpr const char* kRecord = "https://acc.example/records/ugent";

std::string Q(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

class Accreditation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    key_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    key_->set_kid("k1");
  }

  // A record of the university; `extra` adds members.
  static std::string Record(const std::string& extra = "", const std::string& id = kRecord) {
    return R"({"id":)" + Q(id) + R"(,"type":"Accreditation","organisation":{"id":")" + kUni +
           R"("},"accreditingAgent":{"id":"https://qa.example/agency"},"dateIssued":"2020-01-01T00:00:00Z","expiryDate":"2030-01-01T00:00:00Z")" +
           extra + "}";
  }

  // A verifier whose registry binds the key to the university and holds `records`.
  std::unique_ptr<Verifier> V(const std::string& records, std::shared_ptr<const DocumentSource> source = nullptr,
                              bool explain_passes = true) {
    auto keys = std::make_shared<KeySet>();
    EXPECT_TRUE(keys->AddJwks("{\"keys\":[" + key_->ToPublicJwkJson() + "]}", "t", kUni).ok());
    VerifierOptions o;
    o.keys = keys;
    o.at = *ParseDateTimeStamp("2026-06-01T00:00:00Z");
    auto reg = TrustRegistry::Parse(R"({"version":1,"issuers":[],"accreditations":[)" + records + "]}", "r.json");
    EXPECT_TRUE(reg.ok()) << reg.status().ToString();
    if (reg.ok()) o.registry = *reg;
    o.accreditation_documents = std::move(source);
    o.explain_passes = explain_passes;
    return std::make_unique<Verifier>(o);
  }

  // A sealed credential of the university: an achievement with `achievement`
  // members, and top-level `extra` members.
  static std::string Cred(const std::string& achievement, const std::string& extra = "",
                          const std::string& valid_from = "2026-01-01T00:00:00Z") {
    std::string payload =
        R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential","MicroCredential"],"issuer":")" +
        std::string(kUni) + R"(","validFrom":")" + valid_from +
        R"(","credentialSubject":{"id":"did:example:s","achievement":{"title":"Course")" + achievement + "}}" + extra + "}";
    return SignCompact(*key_, R"({"alg":"ES256","kid":"k1"})", payload).value();
  }

  static const CheckResult& Acc(const VerificationResult& r) { return r.check(CheckId::kAccreditation); }

  static inline PrivateKey* key_;
};

TEST_F(Accreditation, TheRegistrysRecordForTheIssuerCoversTheCredential) {
  auto r = testing::VerifyText(*V(Record(R"(,"limitEQFLevel":[6,"http://data.europa.eu/snb/eqf/7"])")),
                               Cred(R"(,"eqfLevel":6)"));
  EXPECT_EQ(Acc(r).outcome, Outcome::kPass) << Describe(r);
  EXPECT_NE(Acc(r).message.find("accredited by 'https://acc.example/records/ugent'"), std::string::npos) << Acc(r).message;
  EXPECT_NE(Acc(r).message.find("by https://qa.example/agency"), std::string::npos) << Acc(r).message;
  EXPECT_TRUE(r.verified()) << Describe(r);
}

// A sweep (VerifierOptions::explain_passes off) stores codes only: a pass keeps
// its code without the text naming the record; a failure keeps its text.
TEST_F(Accreditation, UnexplainedPassesKeepTheirCodesAndFailuresTheirText) {
  const std::string named = R"(,"evidence":[{"type":"Evidence","accreditation":{"id":")" + std::string(kRecord) + R"("}}])";
  for (const std::string& extra : {std::string(), named}) {
    for (const std::string& record : {Record(), Record(R"(,"status":"suspended")")}) {
      auto a = testing::VerifyText(*V(record), Cred("", extra));
      auto b = testing::VerifyText(*V(record, nullptr, false), Cred("", extra));
      EXPECT_EQ(Acc(a).outcome, Acc(b).outcome) << record << extra;
      EXPECT_EQ(Acc(a).code, Acc(b).code) << record << extra;
      EXPECT_NE(Acc(a).message, "") << record << extra;
      if (Acc(a).outcome == Outcome::kPass) {
        EXPECT_EQ(Acc(b).message, "") << record << extra;
      } else {
        EXPECT_EQ(Acc(b).message, Acc(a).message) << record << extra;
      }
    }
  }
}

TEST_F(Accreditation, EachOutcomeHasItsCode) {
  struct Case {
    std::string record, achievement, code;
  };
  const std::vector<Case> cases = {
      {R"(,"status":"suspended")", "", "accreditation_suspended"},
      {R"(,"status":"http://data.europa.eu/snb/accreditation-status/revoked")", "", "accreditation_revoked"},
      {R"(,"limitEQFLevel":[5,6])", R"(,"eqfLevel":{"id":"http://data.europa.eu/snb/eqf/7"})", "out_of_scope"},
      {R"(,"limitField":[{"id":"http://data.europa.eu/snb/isced-f/06"}])",
       R"(,"thematicArea":{"id":"http://data.europa.eu/snb/isced-f/0533"})", "out_of_scope"},
      {R"(,"limitQualification":"https://qdr.example/q/1")", R"(,"specifiedBy":{"id":"https://qdr.example/q/2"})",
       "out_of_scope"},
      {R"(,"limitCredentialType":"http://data.europa.eu/snb/credential/e34929035b")", "", "out_of_scope"},
  };
  for (const auto& c : cases) {
    auto r = testing::VerifyText(*V(Record(c.record)), Cred(c.achievement));
    EXPECT_EQ(Acc(r).code, c.code) << c.record << "\n" << Describe(r);
    EXPECT_EQ(Acc(r).outcome, Outcome::kFail);
    EXPECT_FALSE(r.verified());
  }
}

TEST_F(Accreditation, ExpiryAndStartAreJudgedAtTheIssueDate) {
  auto v = V(Record());
  // Issued before the accreditation ended: still covered today.
  EXPECT_EQ(Acc(testing::VerifyText(*v, Cred("", "", "2029-12-01T00:00:00Z"))).code, "ok");
  auto late = testing::VerifyText(*v, Cred("", "", "2030-02-01T00:00:00Z"));
  EXPECT_EQ(Acc(late).code, "accreditation_expired") << Describe(late);
  EXPECT_NE(Acc(late).message.find("expired 2030-01-01T00:00:00Z"), std::string::npos) << Acc(late).message;
  auto early = testing::VerifyText(*v, Cred("", "", "2019-06-01T00:00:00Z"));
  EXPECT_EQ(Acc(early).code, "out_of_scope") << Describe(early);
  EXPECT_NE(Acc(early).message.find("dateIssued"), std::string::npos);
}

TEST_F(Accreditation, IscedFieldsAreHierarchicalAndEveryFieldMustBeCovered) {
  auto v = V(Record(R"(,"limitField":["http://data.europa.eu/snb/isced-f/06","0533"])"));
  EXPECT_EQ(Acc(testing::VerifyText(*v, Cred(R"(,"thematicArea":{"id":"http://data.europa.eu/snb/isced-f/0613"})"))).code,
            "ok");
  auto two = testing::VerifyText(
      *v, Cred(R"(,"thematicArea":[{"id":"http://data.europa.eu/snb/isced-f/0613"},{"id":"http://data.europa.eu/snb/isced-f/0731"}])"));
  EXPECT_EQ(Acc(two).code, "out_of_scope");
  EXPECT_NE(Acc(two).message.find("0731"), std::string::npos) << Acc(two).message;
}

TEST_F(Accreditation, JurisdictionIsTheAwardingProcesssCountry) {
  auto v = V(Record(R"(,"limitJurisdiction":"http://publications.europa.eu/resource/authority/country/BEL")"));
  auto place = [](const char* country) {
    return std::string(R"(,"awardedBy":{"awardingBody":{"id":"https://uni.example/ugent"},"location":{"address":{"countryCode":{"id":"http://publications.europa.eu/resource/authority/country/)") +
           country + R"("}}}})";
  };
  EXPECT_EQ(Acc(testing::VerifyText(*v, Cred(place("BEL")))).code, "ok");
  EXPECT_EQ(Acc(testing::VerifyText(*v, Cred(place("FRA")))).code, "out_of_scope");
  // A VC 2.0 credential is held to a limit only where it states the fact.
  EXPECT_EQ(Acc(testing::VerifyText(*v, Cred(""))).code, "ok");
}

// An ELM (Europass) credential states level, field and place of award: a limit it
// says nothing about is not met.
TEST_F(Accreditation, AnElmCredentialMustStateWhatALimitNames) {
  auto v = V(Record(R"(,"limitEQFLevel":[5,6])"));
  std::string payload =
      R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:2","type":["VerifiableCredential","EuropeanDigitalCredential"],"issuer":")" +
      std::string(kUni) + R"(","validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"}})";
  auto silent = testing::VerifyText(*v, SignCompact(*key_, R"({"alg":"ES256","kid":"k1"})", payload).value());
  EXPECT_EQ(Acc(silent).code, "out_of_scope") << Describe(silent);
  EXPECT_NE(Acc(silent).message.find("states no EQF level"), std::string::npos) << Acc(silent).message;
  EXPECT_EQ(Acc(testing::VerifyText(*v, Cred(""))).code, "ok") << "a VC 2.0 credential that states no level";
}

TEST_F(Accreditation, OneCoveringRecordSufficesAndTheMostTellingFailureIsReported) {
  // Active for EQF 5-6; a separate record for EQF 7, suspended.
  auto v = V(Record(R"(,"limitEQFLevel":[5,6])") + "," +
             Record(R"(,"limitEQFLevel":[7],"status":"suspended")", "https://acc.example/records/ugent-7"));
  EXPECT_EQ(Acc(testing::VerifyText(*v, Cred(R"(,"eqfLevel":6)"))).code, "ok");
  auto seven = testing::VerifyText(*v, Cred(R"(,"eqfLevel":7)"));
  EXPECT_EQ(Acc(seven).code, "accreditation_suspended") << Describe(seven);
  EXPECT_NE(Acc(seven).message.find("2 records, none covers it"), std::string::npos) << Acc(seven).message;
}

TEST_F(Accreditation, NothingClaimedAndNothingHeldIsSkippedNotClaimed) {
  auto r = testing::VerifyText(*V(Record("", kRecord).replace(Record().find(kUni), std::string(kUni).size(),
                                                              "https://uni.example/other")),
                               Cred(""));
  EXPECT_EQ(Acc(r).outcome, Outcome::kSkipped) << Describe(r);
  EXPECT_EQ(Acc(r).code, "not_claimed");
  EXPECT_TRUE(r.verified()) << "an unclaimed accreditation fails only under --require accreditation";
  EXPECT_FALSE(r.verified(1u << static_cast<int>(CheckId::kAccreditation)));
}

TEST_F(Accreditation, WithoutASourceTheCheckIsNotConfigured) {
  auto keys = std::make_shared<KeySet>();
  ASSERT_TRUE(keys->AddJwks("{\"keys\":[" + key_->ToPublicJwkJson() + "]}", "t", kUni).ok());
  VerifierOptions o;
  o.keys = keys;
  o.at = *ParseDateTimeStamp("2026-06-01T00:00:00Z");
  auto r = testing::VerifyText(Verifier(o), Cred(""));
  EXPECT_EQ(Acc(r).code, "not_configured");
}

// ELM evidence names the record; it is fetched by URI when the registry lacks it.
TEST_F(Accreditation, ARecordNamedByTheCredentialIsFetchedByItsUri) {
  const std::string uri = "https://acc.example/records/fetched";
  const std::string evidence = R"(,"evidence":[{"type":"Evidence","accreditation":{"id":")" + uri + R"("}}])";
  auto docs = std::make_shared<testing::MapListSource>();
  docs->docs[uri] = Record("", uri);
  auto v = V("", docs);
  auto r = testing::VerifyText(*v, Cred("", evidence));
  EXPECT_EQ(Acc(r).outcome, Outcome::kPass) << Describe(r);
  testing::VerifyText(*v, Cred("", evidence));
  EXPECT_EQ(docs->fetches.load(), 1) << "a record is fetched once per verifier";

  // Not held anywhere: no record. Unreadable or for another URI: unavailable, never a pass.
  auto none = testing::VerifyText(*V("", std::make_shared<testing::MapListSource>()), Cred("", evidence));
  EXPECT_EQ(Acc(none).code, "no_accreditation_record") << Describe(none);
  auto broken = std::make_shared<testing::MapListSource>();
  broken->docs[uri] = "{not json";
  EXPECT_EQ(Acc(testing::VerifyText(*V("", broken), Cred("", evidence))).code, "accreditation_unavailable");
  auto elsewhere = std::make_shared<testing::MapListSource>();
  elsewhere->docs[uri] = Record("", "https://acc.example/records/other");
  auto moved = testing::VerifyText(*V("", elsewhere), Cred("", evidence));
  EXPECT_EQ(Acc(moved).code, "accreditation_unavailable") << Describe(moved);
  EXPECT_NE(Acc(moved).message.find("differs from the URI"), std::string::npos);

  // A named record of another organisation does not cover this awarding body.
  auto other = std::make_shared<testing::MapListSource>();
  other->docs[uri] = R"({"id":")" + uri + R"(","organisation":"https://uni.example/uj"})";
  auto foreign = testing::VerifyText(*V("", other), Cred("", evidence));
  EXPECT_EQ(Acc(foreign).code, "out_of_scope") << Describe(foreign);

  // Without any fetching source, a record the registry lacks is no record.
  auto reg_only = testing::VerifyText(*V(Record()), Cred("", evidence));
  EXPECT_EQ(Acc(reg_only).code, "no_accreditation_record") << Describe(reg_only);
}

TEST_F(Accreditation, AForgedCredentialMakesNothingFetched) {
  auto docs = std::make_shared<testing::MapListSource>();
  auto v = V("", docs);
  std::string forged = Cred("", R"(,"evidence":{"accreditation":"https://acc.example/records/x"})");
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  auto r = testing::VerifyText(*v, forged);
  EXPECT_EQ(Acc(r).code, "not_checked") << Describe(r);
  EXPECT_EQ(docs->fetches.load(), 0);
}

struct BadRecord {
  const char* name;
  const char* json;
  const char* error;
};
class BadRecords : public ::testing::TestWithParam<BadRecord> {};

TEST_P(BadRecords, AreRefusedNamingTheField) {
  auto r = ParseAccreditation(GetParam().json, "accreditations[0]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(GetParam().error), std::string::npos) << r.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    AccreditationRecord, BadRecords,
    ::testing::Values(
        BadRecord{"no_id", R"({"organisation":"https://u.example"})", "missing 'id'"},
        BadRecord{"no_organisation", R"({"id":"https://a.example/1"})", "missing 'organisation'"},
        BadRecord{"bad_level", R"({"id":"https://a.example/1","organisation":"https://u.example","limitEQFLevel":[9]})",
                  "limitEQFLevel: each level must be 1..8"},
        BadRecord{"bad_date", R"({"id":"https://a.example/1","organisation":"https://u.example","expiryDate":"2030"})",
                  "('https://a.example/1').expiryDate: must be a dateTimeStamp"},
        BadRecord{"bad_status", R"({"id":"https://a.example/1","organisation":"https://u.example","status":"maybe"})",
                  "status: must be active, suspended or revoked"},
        BadRecord{"misspelt", R"({"id":"https://a.example/1","organisation":"https://u.example","limitEqfLevel":[5]})",
                  "unknown member 'limitEqfLevel'"},
        BadRecord{"bad_reference", R"({"id":"https://a.example/1","organisation":[{"name":"x"}]})",
                  "organisation[0]: must be an id"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(AccreditationRecord, ReadsConceptsAsCodes) {
  auto r = ParseAccreditation(
      R"({"id":"https://a.example/1","organisation":["https://u.example",{"id":"urn:epass:org:1"}],
          "limitEQFLevel":["6",{"id":"http://data.europa.eu/snb/eqf/7"}],
          "limitField":[{"id":"http://data.europa.eu/snb/isced-f/0613"},{"notation":"0533"}],
          "limitJurisdiction":"http://publications.europa.eu/resource/authority/country/BEL","status":{"id":"http://data.europa.eu/snb/accreditation-status/suspended"}})",
      "r");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->organisations, (std::vector<std::string>{"https://u.example", "urn:epass:org:1"}));
  EXPECT_EQ(r->limit_eqf_levels, (std::vector<int>{6, 7}));
  EXPECT_EQ(r->limit_fields, (std::vector<std::string>{"0613", "0533"}));
  EXPECT_EQ(r->limit_jurisdictions, (std::vector<std::string>{"BEL"}));
  EXPECT_EQ(r->status, AccreditationStatus::kSuspended);
}

}  // namespace
}  // namespace credsweep
