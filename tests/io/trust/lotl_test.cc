// Following the real EU LOTL offline: the pivot walk from the Official Journal
// 2019 certificates (282 → 300 → 335 → 341 → LOTL 376), the national lists it
// points to, a refused list beside a kept one, and a stored folder loaded again.
#include "io/trust/lotl.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "io/trust/trust_folder.h"
#include "tests/testutil.h"

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;
using testing::ReadTestData;
using testing::TestData;

const UnixSeconds kJan2026 = *ParseDateTimeStamp("2026-01-12T00:00:00Z");

std::vector<std::string> OjCerts() {
  return CertificatesFromPem(ReadTestData("trusted-lists/oj-2019/oj-2019-lotl-signers.pem")).value();
}

ListFetcher TestDataFetcher() { return FolderFetcher(TestData("trusted-lists"), 32u << 20).value(); }

LotlOptions At(UnixSeconds at, std::vector<std::string> territories = {}) {
  LotlOptions o;
  o.at = at;
  o.territories = std::move(territories);
  return o;
}

std::string TempDir(const std::string& name) {
  std::string d = (fs::path(::testing::TempDir()) / ("lotl-" + name)).string();
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(Lotl, WalksThePivotsFromTheOfficialJournal2019Certificates) {
  std::vector<ListOutcome> pivots;
  ListOutcome lotl = VerifyLotl(TestDataFetcher(), OjCerts(), At(kJan2026), &pivots);
  ASSERT_TRUE(lotl.accepted()) << lotl.message;
  EXPECT_EQ(lotl.list->sequence, 376);
  ASSERT_EQ(pivots.size(), 4u);
  const char* expected[] = {"pivot eu-lotl-pivot-282.xml", "pivot eu-lotl-pivot-300.xml",
                            "pivot eu-lotl-pivot-335.xml", "pivot eu-lotl-pivot-341.xml"};
  for (size_t i = 0; i < pivots.size(); ++i) {
    EXPECT_EQ(pivots[i].name, expected[i]);
    EXPECT_TRUE(pivots[i].accepted()) << pivots[i].name << ": " << pivots[i].message;
  }
}

TEST(Lotl, IsRefusedWhenThePivotsCannotBeFetched) {
  ListFetcher only_lotl = [](const std::string& url) -> Result<std::string> {
    if (url == kEuLotlUrl) return ReadTestData("trusted-lists/lotl/eu-lotl-seq376-2026-01-05.xml");
    return NotFound("offline");
  };
  std::vector<ListOutcome> pivots;
  ListOutcome lotl = VerifyLotl(only_lotl, OjCerts(), At(kJan2026), &pivots);
  EXPECT_EQ(lotl.verdict, ListVerdict::kSignerNotAnnounced) << lotl.message;
  ASSERT_EQ(pivots.size(), 4u);
  EXPECT_EQ(pivots[0].verdict, ListVerdict::kUnavailable);
}

TEST(Lotl, FetchesTheSpanishAndSlovenianListsItPointsTo) {
  TrustedListsOutcome out = FetchTrustedLists(TestDataFetcher(), OjCerts(), At(kJan2026, {"ES", "SI"}));
  ASSERT_TRUE(out.lotl.accepted());
  ASSERT_EQ(out.lists.size(), 2u);
  EXPECT_EQ(out.lists[0].name, "ES");
  EXPECT_TRUE(out.lists[0].accepted()) << out.lists[0].message;
  EXPECT_EQ(out.lists[1].name, "SI");
  EXPECT_TRUE(out.lists[1].accepted()) << out.lists[1].message;
}

TEST(Lotl, RefusesEveryListPastNextUpdateAtTheTimeOfUse) {
  TrustedListsOutcome out =
      FetchTrustedLists(TestDataFetcher(), OjCerts(), At(*ParseDateTimeStamp("2026-07-01T00:00:00Z"), {"ES"}));
  EXPECT_EQ(out.lotl.verdict, ListVerdict::kExpired) << out.lotl.message;
  EXPECT_TRUE(out.lists.empty());
}

TEST(Lotl, KeepsTheOtherListsWhenOneIsRefused) {
  std::string dir = TempDir("tampered");
  std::string src = TestData("trusted-lists");
  for (const char* f : {"lotl/eu-lotl-seq376-2026-01-05.xml", "tl/ES-seq179-2025-12-18.xml",
                        "negative/derived-SI-seq79-tampered-status.xml"}) {
    fs::create_directories(fs::path(dir) / fs::path(f).parent_path());
    fs::copy_file(fs::path(src) / f, fs::path(dir) / f);
  }
  std::ofstream(dir + "/index.json") << R"({"https://ec.europa.eu/tools/lotl/eu-lotl.xml":"lotl/eu-lotl-seq376-2026-01-05.xml",
    "https://sedediatid.mineco.gob.es/Prestadores/TSL/TSL.xml":"tl/ES-seq179-2025-12-18.xml",
    "https://www.tl.gov.si/SI_TL.xml":"negative/derived-SI-seq79-tampered-status.xml"})";
  auto eu = CertificatesFromPem(ReadTestData("trusted-lists/pointers/pivot-341-EU.pem")).value();
  TrustedListsOutcome out = FetchTrustedLists(FolderFetcher(dir, 32u << 20).value(), eu, At(kJan2026, {"ES", "SI", "CZ"}));
  ASSERT_TRUE(out.lotl.accepted()) << out.lotl.message;
  ASSERT_EQ(out.lists.size(), 3u);
  EXPECT_EQ(out.lists[0].name, "CZ");  // LOTL order; not in the folder
  EXPECT_EQ(out.lists[0].verdict, ListVerdict::kUnavailable);
  EXPECT_TRUE(out.lists[1].accepted());
  EXPECT_EQ(out.lists[2].name, "SI");
  EXPECT_EQ(out.lists[2].verdict, ListVerdict::kBadSignature) << out.lists[2].message;
}

TEST(TrustFolder, StoresVerifiedListsAndLoadsThemAgainWithTheirServices) {
  std::string dir = TempDir("store");
  TrustedListsOutcome out = FetchTrustedLists(TestDataFetcher(), OjCerts(), At(kJan2026, {"ES", "SI"}));
  ASSERT_TRUE(StoreTrustedLists(out, dir, kJan2026).ok());
  EXPECT_TRUE(fs::exists(dir + "/lotl.xml"));
  EXPECT_TRUE(fs::exists(dir + "/pivots/eu-lotl-pivot-282.xml"));
  EXPECT_TRUE(fs::exists(dir + "/lists/ES.xml"));
  EXPECT_TRUE(fs::exists(dir + "/lists/SI.xml"));

  auto loaded = LoadTrustedLists(dir, OjCerts(), kJan2026);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->outcome.lists.size(), 2u);
  EXPECT_EQ(loaded->services->services().size(), 391u + 98u);

  // A stored list changed afterwards is refused on load; the others stay.
  std::string si = testing::ReadFile(dir + "/lists/SI.xml");
  si.replace(si.find("Halcom"), 6, "Xalcom");
  std::ofstream(dir + "/lists/SI.xml", std::ios::trunc) << si;
  auto again = LoadTrustedLists(dir, OjCerts(), kJan2026);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome.lists[1].verdict, ListVerdict::kBadSignature);
  EXPECT_EQ(again->services->services().size(), 391u);
}

TEST(TrustFolder, LoadingFailsWhenTheLotlIsPastNextUpdate) {
  std::string dir = TempDir("expired");
  TrustedListsOutcome out = FetchTrustedLists(TestDataFetcher(), OjCerts(), At(kJan2026, {"SI"}));
  ASSERT_TRUE(StoreTrustedLists(out, dir, kJan2026).ok());
  auto loaded = LoadTrustedLists(dir, OjCerts(), *ParseDateTimeStamp("2026-07-01T00:00:00Z"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kCorruption);
  EXPECT_NE(loaded.status().message().find("expired"), std::string::npos) << loaded.status().message();
}

// Both real Europass seal certificates: qualified certificates for e-seal
// (QcCompliance, QcType eseal) from CA/QC services with ForeSeals, granted at the
// signing time; no QcSSCD and no qualifier that applies: AdESeal-QC, not QESeal.
class EuropassSeals : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = LoadOrStore();
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    set_ = new std::shared_ptr<const TrustedServiceSet>(loaded->services);
  }
  static Result<LoadedTrustedLists> LoadOrStore() {
    std::string dir = TempDir("europass");
    TrustedListsOutcome out = FetchTrustedLists(TestDataFetcher(), OjCerts(), At(kJan2026, {"ES", "SI"}));
    if (Status s = StoreTrustedLists(out, dir, kJan2026); !s.ok()) return s;
    return LoadTrustedLists(dir, OjCerts(), kJan2026);
  }
  static std::string Der(const std::string& pem_file) {
    return CertificatesFromPem(ReadTestData("trusted-lists/edc-certs/" + pem_file)).value().front();
  }
  static inline std::shared_ptr<const TrustedServiceSet>* set_;
};

TEST_F(EuropassSeals, TheAnfSealOfTheElmSamplesIsAdESealQcViaTheSpanishList) {
  SealQualification q = (*set_)->Qualify({Der("anf-test-seal-VATES-A00000000.pem")},
                                         {Der("anf-ac-qualified-certificates-for-eseal-CA.pem")},
                                         *ParseDateTimeStamp("2023-09-27T11:54:17Z"));
  EXPECT_EQ(q.level, SealLevel::kAdESealQc) << q.message;
  ASSERT_NE(q.service, nullptr);
  EXPECT_EQ(q.service->territory, "ES");
  EXPECT_TRUE(q.qualified);
  EXPECT_TRUE(q.for_eseal);
  EXPECT_FALSE(q.qscd);  // QCQSCDManagedOnBehalf is only for policies .9 and .11; the seal has .10
}

TEST_F(EuropassSeals, TheVelocertSealOfTheMyNextIdSamplesIsAdESealQcViaTheSlovenianList) {
  SealQualification q = (*set_)->Qualify({Der("velocert-seal-NTREE-17207834.pem")},
                                         {Der("halcom-ca-po-e-seal-2.pem"), Der("halcom-root-ca.pem")},
                                         *ParseDateTimeStamp("2026-01-12T07:12:23Z"));
  EXPECT_EQ(q.level, SealLevel::kAdESealQc) << q.message;
  ASSERT_NE(q.service, nullptr);
  EXPECT_EQ(q.service->territory, "SI");
  EXPECT_FALSE(q.qscd);
}

}  // namespace
}  // namespace credsweep::io
