// Incremental sweeps: a record read and sealed in an earlier run is not parsed or
// seal-checked again (its reading is kept in the index), while revocation,
// accreditation and validity are judged every night. The promise: the files a
// sweep writes are the same as with --full, whatever changed in between (a
// revocation, time passing a certificate's expiry, the trust configuration).
#include <gtest/gtest.h>

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>

#include "tests/io/cli/sweep_fixture.h"
#include "tests/testutil.h"

namespace credsweep::testing {
namespace {

constexpr const char* kMade = "2026-06-01T00:00:00Z";
// A month on; and 2,100 days on, after the JAdES seal certificate's end (2,000 days).
constexpr const char* kLater = "2026-07-01T00:00:00Z";
constexpr const char* kYearsLater = "2032-03-01T00:00:00Z";

// The counts of the "incremental: ..." line: {reused, verified in full, kept}.
std::vector<uint64_t> Incremental(const std::string& err) {
  std::smatch m;
  static const std::regex kLine(R"(incremental: (\d+) record\(s\) read and sealed in an earlier run, (\d+) verified in full(?: \(--full\))?; (\d+) reading)");
  if (!std::regex_search(err, m, kLine)) return {};
  return {std::stoull(m[1]), std::stoull(m[2]), std::stoull(m[3])};
}

class IncrementalSweepTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    CliRun s = Credsweep(std::string("sample --count 240 --per-file 60 --envelopes vc-jwt,vc11-jwt,jades,presentation "
                                     "--out c --at ") + kMade);
    ASSERT_EQ(s.code, 0) << s.err;
    for (const char* db : {"incremental", "full"}) ASSERT_EQ(Credsweep(std::string("init --db ") + db).code, 0);
  }
  CliRun Sweep(const std::string& db, const std::string& at, const std::string& report, const std::string& extra = "") {
    return Credsweep("sweep c/credentials --db " + db + " --status-db c/index --jwks c/keys/jwks.json --trust "
                     "c/trust-registry.json --status-lists c/status-lists --at " + at + " --report " + report + " " +
                     extra);
  }
  // The same night swept both ways; their files must be the same.
  void ExpectSameNight(const std::string& at, const std::string& night) {
    CliRun inc = Sweep("incremental", at, "inc-" + night);
    CliRun full = Sweep("full", at, "full-" + night, "--full");
    ASSERT_LE(inc.code, 1) << inc.err;
    ASSERT_EQ(inc.code, full.code) << inc.err << full.err;
    for (const char* f : {"diff.jsonl", "failures.csv"}) {
      const std::string expected = ReadFile(Path("full-" + night + "/" + f));
      EXPECT_EQ(ReadFile(Path("inc-" + night + "/" + f)), expected) << night << " " << f;
    }
    EXPECT_EQ(SummaryWithoutRunIdentity(Path("inc-" + night + "/summary.json")),
              SummaryWithoutRunIdentity(Path("full-" + night + "/summary.json")))
        << night;
    last_incremental_ = Incremental(inc.err);
    last_full_ = Incremental(full.err);
    ASSERT_EQ(last_incremental_.size(), 3u) << inc.err;
    ASSERT_EQ(last_full_.size(), 3u) << full.err;
    EXPECT_EQ(last_full_[0], 0u) << "--full reads every record again";
  }
  std::vector<uint64_t> last_incremental_, last_full_;
};

TEST_F(IncrementalSweepTest, IncrementalAndFullSweepsWriteTheSameFilesNightAfterNight) {
  ExpectSameNight(kMade, "1");
  EXPECT_EQ(last_incremental_[0], 0u) << "nothing kept before the first run";
  const uint64_t kept = last_incremental_[2];
  EXPECT_GT(kept, 150u) << "most readings are kept (not those of presentations or seals judged on the time itself)";

  // The same night again: every kept reading is used.
  ExpectSameNight(kMade, "1b");
  EXPECT_EQ(last_incremental_[0], kept);

  // A month later, after a revocation in the registrar's index.
  simdjson::dom::parser parser;
  std::string id;
  std::istringstream manifest(ReadFile(Path("c/manifest.jsonl")));
  for (std::string line; std::getline(manifest, line);) {
    simdjson::dom::element e = parser.parse(line);
    std::string_view expected;
    if (e["expected"].get_string().get(expected) == simdjson::SUCCESS && expected == "verified" &&
        std::string_view(e["source"].get_string().value()).find('#') == std::string_view::npos) {
      id = std::string(e["id"].get_string().value());
      break;
    }
  }
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(Credsweep("revoke " + id + " --register --reason withdrawn --db c/index").code, 0);
  ExpectSameNight(kLater, "2");
  EXPECT_EQ(last_incremental_[0], kept);
  EXPECT_TRUE(Contains(ReadFile(Path("inc-2/diff.jsonl")), "\"key\":\"" + id + "\"")) << "the revocation shows";

  // Years later, past the e-seal certificate's end: the kept JAdES readings do
  // not hold at that time and are read and judged again (certificate_expired).
  ExpectSameNight(kYearsLater, "3");
  EXPECT_LT(last_incremental_[0], kept);
  EXPECT_TRUE(Contains(ReadFile(Path("inc-3/failures.csv")), ",seal,certificate_expired,"));
  EXPECT_FALSE(Contains(ReadFile(Path("inc-2/failures.csv")), ",seal,certificate_expired,"));
}

TEST_F(IncrementalSweepTest, ATrustChangeOrARemovedFileLeavesNoStaleReading) {
  ExpectSameNight(kMade, "1");
  const uint64_t kept = last_incremental_[2];
  // One file of 60 records gone: its readings are removed after the run.
  std::filesystem::remove(Path("c/credentials/part-00004.jsonl"));
  ExpectSameNight(kMade, "2");
  EXPECT_LT(last_incremental_[2], kept);
  EXPECT_EQ(last_incremental_[0], last_incremental_[2]) << "all of the rest reused";
  EXPECT_EQ(last_full_[2], last_incremental_[2]);

  // Another trust configuration (one more key set): nothing kept is used.
  Write("extra.jwks.json", ReadFile(Path("c/keys/jwks.json")));
  CliRun r = Sweep("incremental", kMade, "inc-3", "--jwks extra.jwks.json");
  ASSERT_LE(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "kept reading(s) dropped")) << r.err;
  ASSERT_EQ(Incremental(r.err).size(), 3u) << r.err;
  EXPECT_EQ(Incremental(r.err)[0], 0u);
}

// Of --crls only whether it is given matters to kept readings (a verdict that
// consulted the CRLs is never kept): the same CRL folder named by another path
// keeps them; leaving --crls out is another policy.
TEST_F(IncrementalSweepTest, TheCrlFolderNamedByAnotherPathKeepsTheReadings) {
  std::filesystem::create_directories(Path("crls"));
  CliRun first = Sweep("incremental", kMade, "n1", "--crls crls");
  ASSERT_LE(first.code, 1) << first.err;
  CliRun second = Sweep("incremental", kMade, "n2", "--crls " + Path("crls"));
  ASSERT_LE(second.code, 1) << second.err;
  EXPECT_FALSE(Contains(second.err, "kept reading(s) dropped")) << second.err;
  const auto counts = Incremental(second.err);
  ASSERT_EQ(counts.size(), 3u) << second.err;
  EXPECT_GT(counts[0], 100u) << second.err;
  CliRun third = Sweep("incremental", kMade, "n3");
  ASSERT_LE(third.code, 1) << third.err;
  EXPECT_TRUE(Contains(third.err, "kept reading(s) dropped")) << third.err;
}

// Readings are kept per build: the same program with another GNU build ID (as
// any rebuild with a change gets) reads every record again.
TEST_F(IncrementalSweepTest, AnotherBuildUsesNoKeptReading) {
  ExpectSameNight(kMade, "1");
  ExpectSameNight(kMade, "2");
  ASSERT_GT(last_incremental_[0], 0u) << "the same build reuses its readings";
  std::string program = ReadFile(CREDSWEEP_BINARY);
  // The note: namesz 4, descsz 20, type NT_GNU_BUILD_ID (3), "GNU\0", then the ID.
  const std::string header("\x04\0\0\0\x14\0\0\0\x03\0\0\0GNU\0", 16);
  const size_t at = program.find(header);
  ASSERT_NE(at, std::string::npos) << "the binary has no GNU build ID";
  program[at + header.size()] ^= 0x01;
  Write("other-build", program);
  std::filesystem::permissions(Path("other-build"), std::filesystem::perms::owner_all);
  const std::string cmd = "cd " + Path("") + " && ./other-build sweep c/credentials --db incremental --status-db c/index "
                          "--jwks c/keys/jwks.json --trust c/trust-registry.json --status-lists c/status-lists --at " +
                          std::string(kMade) + " --report other >/dev/null 2>other.err";
  const int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) <= 1) << ReadFile(Path("other.err"));
  const auto counts = Incremental(ReadFile(Path("other.err")));
  ASSERT_EQ(counts.size(), 3u) << ReadFile(Path("other.err"));
  EXPECT_EQ(counts[0], 0u) << "another build used readings this one kept";
  const std::string failures = ReadFile(Path("inc-2/failures.csv"));
  EXPECT_GT(std::count(failures.begin(), failures.end(), '\n'), 10) << failures;
  EXPECT_EQ(ReadFile(Path("other/failures.csv")), failures);
}

TEST_F(IncrementalSweepTest, AnEmptyNightOrAShardLeavesTheReadingsOfTheOthers) {
  ExpectSameNight(kMade, "1");
  const uint64_t kept = last_incremental_[2];
  // The corpus not mounted tonight: no credentials found, nothing stored, and no
  // reading removed.
  std::filesystem::create_directories(Path("empty"));
  CliRun empty = Credsweep("sweep empty --db incremental --status-db c/index --jwks c/keys/jwks.json --at " +
                           std::string(kMade));
  EXPECT_EQ(empty.code, 2) << empty.err;
  // A part reads only its records; the other part's readings stay.
  CliRun part = Sweep("incremental", kMade, "part", "--shard 1/2");
  ASSERT_LE(part.code, 1) << part.err;
  ASSERT_EQ(Incremental(part.err).size(), 3u) << part.err;
  EXPECT_LT(Incremental(part.err)[0], kept);
  ExpectSameNight(kMade, "2");
  EXPECT_EQ(last_incremental_[0], kept) << "every reading still there";
  EXPECT_EQ(last_incremental_[2], kept);
}

// A vc+jwt credential that claims no signing time and whose validFrom lies ahead
// has its seal judged at the verification time. Its reading is kept all the same,
// until validFrom: then the seal is judged at validFrom, and the record is read
// again.
TEST_F(IncrementalSweepTest, ASealJudgedAtTheVerificationTimeIsKeptUntilValidFrom) {
  ASSERT_EQ(Credsweep(std::string("sample --count 40 --envelopes vc-jwt --not-yet-valid 0.5 --out n --at ") + kMade).code,
            0);
  size_t not_yet_valid = 0;
  std::istringstream manifest(ReadFile(Path("n/manifest.jsonl")));
  for (std::string line; std::getline(manifest, line);) not_yet_valid += Contains(line, "\"expected\":\"not_yet_valid\"");
  ASSERT_GE(not_yet_valid, 10u);
  auto sweep = [&](const std::string& db, const std::string& at, const std::string& report, const std::string& extra) {
    CliRun r = Credsweep("sweep n/credentials --db " + db + " --status-db n/index --jwks n/keys/jwks.json --trust "
                         "n/trust-registry.json --status-lists n/status-lists --at " + at + " --report " + report + " " +
                         extra);
    EXPECT_LE(r.code, 1) << r.err;
    return Incremental(r.err);
  };
  for (const char* db : {"n-inc", "n-full"}) ASSERT_EQ(Credsweep(std::string("init --db ") + db).code, 0);
  ASSERT_EQ(sweep("n-inc", kMade, "r1", ""), (std::vector<uint64_t>{0, 40, 40}));
  EXPECT_EQ(sweep("n-inc", kMade, "r2", ""), (std::vector<uint64_t>{40, 0, 40})) << "every reading kept and used";
  // Three months on, every validFrom has come: those seals are judged again, at validFrom.
  constexpr const char* kAfter = "2026-09-01T00:00:00Z";
  EXPECT_EQ(sweep("n-inc", kAfter, "r3", ""), (std::vector<uint64_t>{40 - not_yet_valid, not_yet_valid, 40}));
  // The same nights with --full write the same files.
  sweep("n-full", kMade, "f1", "--full");
  sweep("n-full", kMade, "f2", "--full");
  sweep("n-full", kAfter, "f3", "--full");
  for (const char* f : {"diff.jsonl", "failures.csv"}) {
    EXPECT_EQ(ReadFile(Path(std::string("r3/") + f)), ReadFile(Path(std::string("f3/") + f))) << f;
  }
  EXPECT_EQ(SummaryWithoutRunIdentity(Path("r3/summary.json")), SummaryWithoutRunIdentity(Path("f3/summary.json")));
}

}  // namespace
}  // namespace credsweep::testing
