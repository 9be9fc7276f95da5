// Reading and verifying real EU trusted lists (tests/testdata/trusted-lists/):
// LOTL 376 with the certificates pivot 341 announces, ES 179 and SI 79 with the
// certificates LOTL 376 announces for them, the DSS negative variants, a tampered
// list, freshness, the size cap and DTDs, and what is read from the services.
#include "io/trust/trusted_list.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/testutil.h"

namespace credsweep::io {
namespace {

using testing::ReadTestData;

const UnixSeconds kJan2026 = *ParseDateTimeStamp("2026-01-12T00:00:00Z");

std::vector<std::string> Pem(const std::string& relative) {
  return CertificatesFromPem(ReadTestData("trusted-lists/" + relative)).value();
}

std::string Xml(const std::string& relative) { return ReadTestData("trusted-lists/" + relative); }

const TrustedListContent& Lotl376() {
  static const TrustedListContent lotl = [] {
    auto c = VerifyTrustedList(Xml("lotl/eu-lotl-seq376-2026-01-05.xml"), Pem("pointers/pivot-341-EU.pem"), kJan2026);
    EXPECT_TRUE(c.accepted()) << c.message;
    return *c.list;
  }();
  return lotl;
}

std::vector<std::string> AnnouncedBy376(const std::string& territory) {
  std::vector<std::string> out;
  for (const ListPointer* p : Lotl376().XmlPointers(territory)) {
    out.insert(out.end(), p->certificates.begin(), p->certificates.end());
  }
  return out;
}

const TrustedService* Find(const TrustedListContent& tl, const std::string& name) {
  for (const auto& s : tl.services) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

TEST(TrustedList, Lotl376VerifiesWithThePivot341Certificates) {
  const TrustedListContent& lotl = Lotl376();
  EXPECT_TRUE(lotl.is_lotl());
  EXPECT_EQ(lotl.territory, "EU");
  EXPECT_EQ(lotl.sequence, 376);
  EXPECT_EQ(lotl.XmlPointers("ES").size(), 1u);
  EXPECT_EQ(lotl.XmlPointers("ES")[0]->location, "https://sedediatid.mineco.gob.es/Prestadores/TSL/TSL.xml");
  EXPECT_EQ(lotl.XmlPointers("SI")[0]->certificates.size(), 2u);
  EXPECT_EQ(lotl.PivotUrls(), (std::vector<std::string>{"https://ec.europa.eu/tools/lotl/eu-lotl-pivot-282.xml",
                                                        "https://ec.europa.eu/tools/lotl/eu-lotl-pivot-300.xml",
                                                        "https://ec.europa.eu/tools/lotl/eu-lotl-pivot-335.xml",
                                                        "https://ec.europa.eu/tools/lotl/eu-lotl-pivot-341.xml"}));
}

TEST(TrustedList, Lotl376IsRefusedWithTheOfficialJournal2019CertificatesAlone) {
  auto c = VerifyTrustedList(Xml("lotl/eu-lotl-seq376-2026-01-05.xml"), Pem("oj-2019/oj-2019-lotl-signers.pem"),
                             kJan2026);
  EXPECT_EQ(c.verdict, ListVerdict::kSignerNotAnnounced) << c.message;
  EXPECT_FALSE(c.list.has_value());
}

TEST(TrustedList, SpanishAndSlovenianListsVerifyWithTheCertificatesLotl376Announces) {
  auto es = VerifyTrustedList(Xml("tl/ES-seq179-2025-12-18.xml"), AnnouncedBy376("ES"), kJan2026);
  ASSERT_TRUE(es.accepted()) << es.message;
  EXPECT_EQ(es.list->territory, "ES");
  EXPECT_EQ(es.list->sequence, 179);
  EXPECT_EQ(es.list->services.size(), 391u);
  auto si = VerifyTrustedList(Xml("tl/SI-seq79-2025-12-30.xml"), AnnouncedBy376("SI"), kJan2026);
  ASSERT_TRUE(si.accepted()) << si.message;
  EXPECT_EQ(si.list->services.size(), 98u);
  // The announced sets as the vector set extracted them give the same answer.
  EXPECT_TRUE(VerifyTrustedList(Xml("tl/SI-seq79-2025-12-30.xml"), Pem("pointers/lotl-seq376-SI.pem"), kJan2026)
                  .accepted());
}

TEST(TrustedList, RefusesAListSignedByAnotherTerritorysCertificate) {
  auto c = VerifyTrustedList(Xml("tl/ES-seq179-2025-12-18.xml"), AnnouncedBy376("SI"), kJan2026);
  EXPECT_EQ(c.verdict, ListVerdict::kSignerNotAnnounced) << c.message;
}

TEST(TrustedList, RefusesTheTamperedSlovenianList) {
  auto c = VerifyTrustedList(Xml("negative/derived-SI-seq79-tampered-status.xml"), AnnouncedBy376("SI"), kJan2026);
  EXPECT_EQ(c.verdict, ListVerdict::kBadSignature) << c.message;
}

struct NegativeCase {
  const char* file;
  ListVerdict verdict;
};

class DssNegativeVariants : public ::testing::TestWithParam<NegativeCase> {};

TEST_P(DssNegativeVariants, AreRefusedWithTheirReason) {
  auto c = VerifyTrustedList(Xml(GetParam().file), Pem("oj-2019/oj-2019-lotl-signers.pem"), std::nullopt);
  EXPECT_EQ(c.verdict, GetParam().verdict) << ListVerdictCode(c.verdict) << ": " << c.message;
}

INSTANTIATE_TEST_SUITE_P(TrustedList, DssNegativeVariants,
                         ::testing::Values(NegativeCase{"negative/dss-eu-lotl-broken-sig.xml", ListVerdict::kBadSignature},
                                           NegativeCase{"negative/dss-eu-lotl-no-sig.xml", ListVerdict::kUnsigned},
                                           NegativeCase{"negative/dss-eu-lotl-not-parseable.xml",
                                                        ListVerdict::kNotParseable}));

TEST(TrustedList, RefusesAListPastItsNextUpdate) {
  const UnixSeconds july = *ParseDateTimeStamp("2026-07-01T00:00:00Z");
  auto si = VerifyTrustedList(Xml("tl/SI-seq79-2025-12-30.xml"), AnnouncedBy376("SI"), july);
  EXPECT_EQ(si.verdict, ListVerdict::kExpired) << si.message;
  EXPECT_NE(si.message.find("2026-06-30T05:52:15Z"), std::string::npos) << si.message;
  const UnixSeconds just_before = *ParseDateTimeStamp("2026-06-30T05:52:14Z");
  EXPECT_TRUE(VerifyTrustedList(Xml("tl/SI-seq79-2025-12-30.xml"), AnnouncedBy376("SI"), just_before).accepted());
}

TEST(TrustedList, RefusesAListOverTheSizeLimit) {
  TrustedListOptions small;
  small.max_bytes = 100000;
  auto c = VerifyTrustedList(Xml("tl/SI-seq79-2025-12-30.xml"), AnnouncedBy376("SI"), kJan2026, small);
  EXPECT_EQ(c.verdict, ListVerdict::kTooLarge);
}

TEST(TrustedList, RefusesADocumentTypeDeclarationAndItsEntities) {
  const std::string xml =
      R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>)"
      R"(<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#">&e;</TrustServiceStatusList>)";
  auto c = VerifyTrustedList(xml, AnnouncedBy376("SI"), kJan2026);
  EXPECT_EQ(c.verdict, ListVerdict::kNotParseable) << c.message;
  EXPECT_NE(c.message.find("DTD"), std::string::npos) << c.message;
}

TEST(TrustedList, RefusesADocumentThatIsNotATrustedList) {
  auto c = VerifyTrustedList("<a/>", AnnouncedBy376("SI"), kJan2026);
  EXPECT_EQ(c.verdict, ListVerdict::kNotATrustedList);
}

TEST(TrustedList, ReadsTheStatusHistoryAndServiceInformationOfHalcomServices) {
  auto si = VerifyTrustedList(Xml("tl/SI-seq79-2025-12-30.xml"), AnnouncedBy376("SI"), kJan2026);
  ASSERT_TRUE(si.accepted());
  const TrustedService* ca = Find(*si.list, "Halcom CA PO e-seal 2");
  ASSERT_NE(ca, nullptr);
  EXPECT_EQ(ca->territory, "SI");
  EXPECT_EQ(ca->provider, "HALCOM D.D.");
  ASSERT_EQ(ca->history.size(), 1u);
  EXPECT_EQ(ca->current().type, kServiceTypeCaQc);
  EXPECT_TRUE(ca->current().granted());
  EXPECT_EQ(ca->current().from, *ParseDateTimeStamp("2023-06-10T15:16:00Z"));
  EXPECT_TRUE(ca->current().HasInfo("ForeSeals"));
  EXPECT_EQ(ca->certificates.size(), 1u);

  const TrustedService* root = Find(*si.list, "Halcom Root Certificate Authority");
  ASSERT_NE(root, nullptr);
  ASSERT_EQ(root->history.size(), 5u);
  EXPECT_EQ(root->history[0].from, *ParseDateTimeStamp("2016-06-29T22:00:00Z"));
  EXPECT_NE(root->history[0].status.find("undersupervision"), std::string::npos);
  EXPECT_EQ(root->history[0].to, root->history[1].from);
  EXPECT_FALSE(root->history[1].HasInfo("ForeSeals"));  // granted since 2016-06-30: e-signatures only
  EXPECT_TRUE(root->history[2].HasInfo("ForeSeals"));
  ASSERT_EQ(root->history[2].qualifications.size(), 1u);
  EXPECT_EQ(root->history[2].qualifications[0].qualifiers.size(), 2u);
  EXPECT_EQ(root->PeriodAt(*ParseDateTimeStamp("2016-07-15T00:00:00Z")), &root->history[1]);
  EXPECT_EQ(root->PeriodAt(*ParseDateTimeStamp("2015-01-01T00:00:00Z")), nullptr);
  EXPECT_EQ(&root->current(), root->PeriodAt(kJan2026));
}

TEST(TrustedList, ReadsTheQualificationsAndTheirPolicyCriteriaOfTheAnfSealService) {
  auto es = VerifyTrustedList(Xml("tl/ES-seq179-2025-12-18.xml"), AnnouncedBy376("ES"), kJan2026);
  ASSERT_TRUE(es.accepted());
  const TrustedService* anf =
      Find(*es.list, "Qualified certificate issued by «ANF AC Qualified Certificates for eSeal»");
  ASSERT_NE(anf, nullptr);
  const ServiceStatusPeriod& p = anf->current();
  EXPECT_TRUE(p.HasInfo("ForeSeals"));
  ASSERT_EQ(p.qualifications.size(), 1u);
  const Qualification& q = p.qualifications[0];
  ASSERT_EQ(q.qualifiers.size(), 1u);
  EXPECT_EQ(q.qualifiers[0], std::string(kSvcInfoExt) + "QCQSCDManagedOnBehalf");
  EXPECT_EQ(q.criteria.assert_mode, QualificationCriteria::Assert::kAtLeastOne);
  EXPECT_EQ(q.criteria.policy_sets, (std::vector<std::vector<std::string>>{{"1.3.6.1.4.1.18332.25.1.1.9"},
                                                                          {"1.3.6.1.4.1.18332.25.1.1.11"}}));
  EXPECT_FALSE(q.criteria.unsupported);
}

}  // namespace
}  // namespace credsweep::io
