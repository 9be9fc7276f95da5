// `credsweep trust update --from` and `trust check-lists` through the real binary,
// offline over tests/testdata/trusted-lists: the pivot walk from the OJ 2019
// certificates, stored lists, refused lists named on stderr with exit 1, and a
// stored list tampered with afterwards.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/io/cli/cli_fixture.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

namespace fs = std::filesystem;

using testing::CliRun;

class TrustCommandTest : public testing::CliTest {
 protected:
  std::string Update(const std::string& territories, const std::string& from = testing::TestData("trusted-lists")) {
    return "trust update --out " + root_ + "/tl --lotl-certs " + oj_ + " --from " + from +
           " --at 2026-01-12T00:00:00Z --territory " + territories;
  }

  std::string oj_ = testing::TestData("trusted-lists/oj-2019/oj-2019-lotl-signers.pem");
};

TEST_F(TrustCommandTest, UpdateStoresTheVerifiedListsAndExitsZeroWhenAllAreAccepted) {
  CliRun r = Credsweep(Update("ES,SI"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("pivot eu-lotl-pivot-282.xml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("EU seq 376"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stored 2 of 2 lists"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(fs::exists(root_ + "/tl/lists/ES.xml"));
  std::string index = testing::ReadFile(root_ + "/tl/index.json");
  EXPECT_NE(index.find(R"("territory":"SI")"), std::string::npos) << index;

  CliRun check = Credsweep("trust check-lists " + root_ + "/tl --lotl-certs " + oj_ + " --at 2026-01-12T00:00:00Z");
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_NE(check.out.find("489 services"), std::string::npos) << check.out;
}

TEST_F(TrustCommandTest, UpdateNamesEachRefusedListAndExitsOne) {
  CliRun r = Credsweep(Update("ES,SI,CZ"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("refused CZ (unavailable)"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("stored 2 of 3 lists"), std::string::npos) << r.out;
  EXPECT_NE(testing::ReadFile(root_ + "/tl/index.json").find(R"("reason":"unavailable")"), std::string::npos);
}

TEST_F(TrustCommandTest, UpdateRefusesATamperedListAndKeepsTheOthers) {
  std::string from = root_ + "/from";
  std::string src = testing::TestData("trusted-lists");
  fs::create_directories(from);
  fs::copy_file(src + "/lotl/eu-lotl-seq376-2026-01-05.xml", from + "/eu-lotl.xml");
  fs::copy_file(src + "/tl/ES-seq179-2025-12-18.xml", from + "/TSL.xml");
  fs::copy_file(src + "/negative/derived-SI-seq79-tampered-status.xml", from + "/SI_TL.xml");
  std::string eu = testing::TestData("trusted-lists/pointers/pivot-341-EU.pem");
  CliRun r = Credsweep("trust update --out " + root_ + "/tl --lotl-certs " + eu + " --from " + from +
                       " --at 2026-01-12T00:00:00Z --territory ES,SI");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("refused SI (bad_signature)"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(root_ + "/tl/lists/ES.xml"));
  EXPECT_FALSE(fs::exists(root_ + "/tl/lists/SI.xml"));
}

TEST_F(TrustCommandTest, UpdateStoresNothingWhenTheLotlIsRefused) {
  std::string from = root_ + "/from";
  fs::create_directories(from);
  fs::copy_file(testing::TestData("trusted-lists/lotl/eu-lotl-seq376-2026-01-05.xml"), from + "/eu-lotl.xml");
  CliRun r = Credsweep(Update("ES", from));  // OJ 2019 certificates, no pivots in the folder
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("refused LOTL (signer_not_announced)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(root_ + "/tl/index.json"));
}

TEST_F(TrustCommandTest, CheckListsRefusesAStoredListChangedAfterwards) {
  ASSERT_EQ(Credsweep(Update("ES,SI")).code, 0);
  std::string si = testing::ReadFile(root_ + "/tl/lists/SI.xml");
  si.replace(si.find("Svcstatus/granted"), 17, "Svcstatus/revoked");
  std::ofstream(root_ + "/tl/lists/SI.xml", std::ios::trunc) << si;
  CliRun r = Credsweep("trust check-lists " + root_ + "/tl --lotl-certs " + oj_ + " --at 2026-01-12T00:00:00Z");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("refused SI (bad_signature)"), std::string::npos) << r.err;
}

TEST_F(TrustCommandTest, CheckListsFailsAfterTheLotlNextUpdate) {
  ASSERT_EQ(Credsweep(Update("SI")).code, 0);
  CliRun r = Credsweep("trust check-lists " + root_ + "/tl --lotl-certs " + oj_ + " --at 2026-07-01T00:00:00Z");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("LOTL refused (expired)"), std::string::npos) << r.err;
}

TEST_F(TrustCommandTest, VerifyLoadsTheStoredListsAndStopsWhenTheyCannotBeTrusted) {
  ASSERT_EQ(Credsweep(Update("SI")).code, 0);
  std::string cred = testing::TestData("edc/upstream/mynextid-microcredential-signed.jsonld");
  std::string ca = testing::TestData("edc/anchors/halcom-root-ca.pem");
  std::string base = "verify " + cred + " --ca " + ca + " -q --trusted-lists " + root_ + "/tl";
  CliRun ok = Credsweep(base + " --lotl-certs " + oj_ + " --at 2026-01-12T10:00:00Z");
  EXPECT_EQ(ok.code, 0) << ok.err;
  CliRun no_certs = Credsweep(base + " --at 2026-01-12T10:00:00Z");
  EXPECT_EQ(no_certs.code, 2);
  EXPECT_NE(no_certs.err.find("--trusted-lists needs --lotl-certs"), std::string::npos) << no_certs.err;
  CliRun expired = Credsweep(base + " --lotl-certs " + oj_ + " --at 2026-07-01T00:00:00Z");
  EXPECT_EQ(expired.code, 2);
  EXPECT_NE(expired.err.find("LOTL refused (expired)"), std::string::npos) << expired.err;
}

// The trusted lists alone anchor the real Europass seal (no --ca): its level is
// AdESeal-QC, reported in the result, and a policy asking for QESeal refuses it.
TEST_F(TrustCommandTest, TrustedListsAloneAnchorTheRealSealAtItsLevel) {
  ASSERT_EQ(Credsweep(Update("SI")).code, 0);
  std::string cred = testing::TestData("edc/upstream/mynextid-microcredential-signed.jsonld");
  std::string base = "verify " + cred + " -q --trusted-lists " + root_ + "/tl --lotl-certs " + oj_ +
                     " --at 2026-01-12T10:00:00Z";
  CliRun ok = Credsweep(base);
  EXPECT_EQ(ok.code, 0) << ok.err << ok.out;
  EXPECT_NE(ok.out.find("\"level\":\"AdESeal-QC\""), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("AdESeal-QC: "), std::string::npos) << ok.out;
  CliRun qc = Credsweep(base + " --require-seal-level qc");
  EXPECT_EQ(qc.code, 0) << qc.out;
  CliRun qes = Credsweep(base + " --require-seal-level qeseal");
  EXPECT_EQ(qes.code, 1) << qes.out;
  EXPECT_NE(qes.out.find("\"seal_level_insufficient\""), std::string::npos) << qes.out;
  EXPECT_EQ(qes.out.find("\"level\""), std::string::npos) << qes.out;
  // Only ES stored: the SI-issued seal is not anchored.
  fs::remove_all(root_ + "/tl");
  ASSERT_EQ(Credsweep(Update("ES")).code, 0);
  CliRun none = Credsweep(base);
  EXPECT_EQ(none.code, 1);
  EXPECT_NE(none.out.find("\"chain_untrusted\""), std::string::npos) << none.out;
}

// With --ca only, an X.509 seal is AdESeal: a private anchor cannot make it qualified.
TEST_F(TrustCommandTest, PrivateAnchorsGiveAdvancedSealsOnly) {
  std::string cred = testing::TestData("edc/upstream/mynextid-microcredential-signed.jsonld");
  std::string base = "verify " + cred + " -q --ca " + testing::TestData("edc/anchors/halcom-root-ca.pem") +
                     " --at 2026-01-12T10:00:00Z";
  CliRun ok = Credsweep(base + " --require-seal-level advanced");
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("\"level\":\"AdESeal\""), std::string::npos) << ok.out;
  CliRun qc = Credsweep(base + " --require-seal-level qc");
  EXPECT_EQ(qc.code, 1);
  EXPECT_NE(qc.out.find("the seal is AdESeal; the policy requires qualified"), std::string::npos) << qc.out;
}

}  // namespace
}  // namespace credsweep
