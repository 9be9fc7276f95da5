// `credsweep trust update --from` and `trust check-lists` through the real binary,
// offline over tests/testdata/trusted-lists: the pivot walk from the OJ 2019
// certificates, stored lists, refused lists named on stderr with exit 1, and a
// stored list tampered with afterwards. And the trusted-issuer registry: `trust
// check`, `verify --trust` on the sample corpus, and the registry's JSON Schema.
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

// --- The trusted-issuer registry ------------------------------------------------------

class RegistryCommandTest : public testing::CliTest {
 protected:
  void SetUp() override {
    testing::CliTest::SetUp();
    CliRun s = Credsweep("sample --count 300 --out " + Path("corpus") + " --at 2026-06-01T00:00:00Z --forged 0.1 --unbound 0.1");
    ASSERT_EQ(s.code, 0) << s.err;
  }
  std::string Registry() const { return Path("corpus/trust-registry.json"); }
};

TEST_F(RegistryCommandTest, TrustCheckPrintsWhatTheSampleRegistryHolds) {
  CliRun r = Credsweep("trust check " + Registry());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("https://credentials.alliance.example/issuers/ugent  Universiteit Gent (BE)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  key JWK thumbprint "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  certificate organizationIdentifier VATBE-0000000097 from CA "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  seals for: https://credentials.alliance.example/issuers/ugent"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("accreditation https://accreditation.alliance.example/records/uj-0533 of "
                       "https://credentials.alliance.example/issuers/uj: suspended"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("9 issuers, 1 trust anchors, 8 accreditation records: valid"), std::string::npos) << r.out;
}

TEST_F(RegistryCommandTest, ABadRegistryIsExitTwoNamingTheEntryAndField) {
  std::string bad = Write("bad.json", R"({"version":1,"issuers":[{"ids":["https://a.example"]},
      {"ids":["https://uni.example/uj"],"keys":[{"didUrl":"did:key:z6M","validFrom":"2025-13-01"}]}]})");
  for (const std::string& cmd : {"trust check " + bad, "verify " + Path("corpus/credentials") + " -q --trust " + bad}) {
    CliRun r = Credsweep(cmd);
    EXPECT_EQ(r.code, 2) << cmd;
    EXPECT_NE(r.err.find("issuers[1] ('https://uni.example/uj').keys[0].validFrom: '2025-13-01' is not a dateTimeStamp"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.out, "");
  }
}

// A registry is read whole: one of up to 64 MiB is parsed, a byte more is refused
// by its size before anything is read (docs/trust-registry.md).
class RegistryLimitTest : public testing::CliTest {};

TEST_F(RegistryLimitTest, ARegistryOverSixtyFourMiBIsRefusedByItsSize) {
  constexpr size_t kLimit = 64u << 20;
  const std::string registry = R"({"version":1,"issuers":[]})";
  for (size_t size : {kLimit, kLimit + 1}) {
    std::string text = registry + std::string(size - registry.size(), ' ');
    Write("registry.json", text);
    CliRun check = Credsweep("trust check registry.json");
    if (size == kLimit) {
      EXPECT_EQ(check.code, 0) << check.err;
      EXPECT_NE(check.out.find("0 issuers"), std::string::npos) << check.out;
    } else {
      EXPECT_EQ(check.code, 2) << check.out;
      EXPECT_NE(check.err.find("--trust registry.json: 67108865 bytes, over the limit of 64 MiB"), std::string::npos)
          << check.err;
      Write("c.jwt", "x\n");
      CliRun verify = Credsweep("verify c.jwt -q --trust registry.json");
      EXPECT_EQ(verify.code, 2);
      EXPECT_NE(verify.err.find("over the limit of 64 MiB"), std::string::npos) << verify.err;
    }
  }
}

// The sample's forged credentials (another member's key, an unbound key, an
// awarding body without a mandate) fail by name; everything else verifies as the
// manifest says, with no --ca: the registry's trust anchor carries the seal chain.
TEST_F(RegistryCommandTest, VerifyWithTheRegistryFindsEveryForgery) {
  CliRun r = Credsweep("verify " + Path("corpus/credentials") + " --jwks " + Path("corpus/keys/jwks.json") + " --trust " +
                       Registry() + " --db " + Path("corpus/index") + " --status-lists " + Path("corpus/status-lists") +
                       " --at 2026-06-01T00:00:00Z -o " + Path("out.jsonl") + " --summary " + Path("summary.json"));
  EXPECT_EQ(r.code, 1) << r.err;
  std::string manifest = testing::ReadFile(Path("corpus/manifest.jsonl"));
  std::string out = testing::ReadFile(Path("out.jsonl"));
  size_t forged = 0, pos = 0;
  while ((pos = manifest.find("\"expected\":\"forged\"", pos)) != std::string::npos) ++forged, ++pos;
  ASSERT_GT(forged, 10u);
  size_t unauthorized = 0, unmandated = 0;
  for (pos = 0; (pos = out.find("\"code\":\"key_not_authorized_for_issuer\"", pos)) != std::string::npos; ++pos) ++unauthorized;
  for (pos = 0; (pos = out.find("\"code\":\"issuer_not_mandated\"", pos)) != std::string::npos; ++pos) ++unmandated;
  EXPECT_EQ(unauthorized + unmandated, forged) << r.err;
  EXPECT_GT(unauthorized, 0u);
  EXPECT_GT(unmandated, 0u);
  // Without the registry, the same keys bind to nothing: nothing compact verifies.
  CliRun bare = Credsweep("verify " + Path("corpus/credentials") + " --jwks " + Path("corpus/keys/jwks.json") +
                          " --at 2026-06-01T00:00:00Z -q -o " + Path("bare.jsonl"));
  EXPECT_EQ(bare.code, 1);
  EXPECT_EQ(testing::ReadFile(Path("bare.jsonl")).find("\"issuer\":\"https://credentials.alliance.example/issuers/ugent\",\"verified\":true"),
            std::string::npos);
  // Loosened by name, the unbound key seals again and the summary says so.
  CliRun loose = Credsweep("verify " + Path("corpus/credentials") + " --jwks " + Path("corpus/keys/jwks.json") + " --ca " +
                           Path("corpus/keys/ca.pem") + " --trust-any-configured-key --at 2026-06-01T00:00:00Z -o " +
                           Path("loose.jsonl"));
  EXPECT_NE(loose.err.find("WARNING: --trust-any-configured-key"), std::string::npos) << loose.err;
  EXPECT_NE(testing::ReadFile(Path("loose.jsonl")).find("--trust-any-configured-key is in effect"), std::string::npos);
}

// The JSON Schema in docs/ accepts what credsweep writes and refuses what it
// refuses, checked by an independent validator (python3-jsonschema).
TEST_F(RegistryCommandTest, TheJsonSchemaAgreesWithTheLoader) {
  const std::string schema = std::string(CREDSWEEP_SOURCE_DIR) + "/docs/trust-registry.schema.json";
  const std::string check = "python3 " + std::string(CREDSWEEP_SOURCE_DIR) + "/tests/tools/check_json_schema.py " + schema;
  auto valid = [&](const std::string& file) {
    int rc = std::system((check + " " + file + " 2>" + Path("schema.err")).c_str());
    EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) <= 1) << testing::ReadFile(Path("schema.err"));
    return WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
  };
  EXPECT_TRUE(valid(Registry())) << testing::ReadFile(Path("schema.err"));
  for (const char* bad : {
           R"({"version":1,"issuers":[{"ids":["https://a.example"],"key":[]}]})",
           R"({"version":1,"issuers":[{"ids":["https://a.example"],"keys":[{"didUrl":"did:key:z","jwkThumbprint":"x"}]}]})",
           R"({"version":1,"issuers":[{"ids":["https://a.example"],"certificates":[{"organizationIdentifier":"VATBE-1"}]}]})",
           R"({"version":2,"issuers":[]})",
           R"({"version":1,"issuers":[{"ids":[]}]})"}) {
    std::string file = Write("bad.json", bad);
    EXPECT_FALSE(valid(file)) << bad;
    EXPECT_EQ(Credsweep("trust check " + file).code, 2) << bad;
  }
}

}  // namespace
}  // namespace credsweep
