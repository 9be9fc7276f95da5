// The credsweep binary end to end: a sample corpus is generated, verified on
// several threads, and every output line is checked against the corpus manifest.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/testutil.h"

namespace credsweep {
namespace {

namespace fs = std::filesystem;

int RunCommand(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

class EndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = (fs::temp_directory_path() / ("credsweep-e2e-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    ASSERT_EQ(RunCommand(std::string(CREDSWEEP_BINARY) + " sample --count 1200 --per-file 500 --seed 7 --revoked 0.03 --suspended 0.02 --at " +
                  kAt + " --out " + dir_ + " 2>/dev/null"),
              0);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static std::string Verify(const std::string& extra) {
    return std::string(CREDSWEEP_BINARY) + " verify " + dir_ + "/credentials --jwks " + dir_ +
           "/keys/jwks.json --trust " + dir_ + "/trust-registry.json --db " + dir_ + "/index --status-lists " + dir_ +
           "/status-lists --at " + kAt + " " + extra;
  }
  static inline std::string dir_;
  static constexpr const char* kAt = "2026-06-01T12:00:00Z";
};

TEST_F(EndToEnd, EveryResultMatchesTheManifestInInputOrder) {
  std::string out = dir_ + "/results.jsonl";
  EXPECT_EQ(RunCommand(Verify("--threads 2 --quiet --out " + out + " --summary " + dir_ + "/summary.json")), 1);
  auto manifest = Lines(dir_ + "/manifest.jsonl");
  auto results = Lines(out);
  ASSERT_EQ(manifest.size(), 1200u);
  ASSERT_EQ(results.size(), manifest.size());
  simdjson::dom::parser pm, pr;
  std::map<std::string, int> expected_kinds;
  for (size_t i = 0; i < manifest.size(); ++i) {
    simdjson::dom::element m = pm.parse(manifest[i]);
    simdjson::dom::element r = pr.parse(results[i]);
    std::string_view msrc = m["source"].get_string().value();
    std::string_view rsrc = r["source"].get_string().value();
    EXPECT_TRUE(rsrc.ends_with(msrc)) << rsrc << " vs " << msrc;
    EXPECT_EQ(r["id"].get_string().value(), m["id"].get_string().value());
    EXPECT_EQ(r["verified"].get_bool().value(), m["verified"].get_bool().value()) << results[i];
    for (const char* check : {"format", "seal", "revocation", "accreditation", "validity"}) {
      EXPECT_EQ(r["checks"][check]["result"].get_string().value(), m[check].get_string().value())
          << check << " " << results[i];
    }
    std::string_view code;
    if (m["seal_code"].get_string().get(code) == simdjson::SUCCESS) {
      EXPECT_EQ(r["checks"]["seal"]["code"].get_string().value(), code);
    }
    if (m["validity_code"].get_string().get(code) == simdjson::SUCCESS) {
      EXPECT_EQ(r["checks"]["validity"]["code"].get_string().value(), code);
    }
    if (m["revocation_code"].get_string().get(code) == simdjson::SUCCESS) {
      EXPECT_EQ(r["checks"]["revocation"]["code"].get_string().value(), code);
    }
    EXPECT_EQ(r["checks"]["accreditation"]["code"].get_string().value(), m["accreditation_code"].get_string().value())
        << results[i];
    ++expected_kinds[std::string(m["expected"].get_string().value())];
  }
  // The corpus really mixes outcomes.
  EXPECT_GT(expected_kinds["verified"], 800);
  EXPECT_GT(expected_kinds["unaccredited"], 0);
  EXPECT_GT(expected_kinds["expired"], 0);
  EXPECT_GT(expected_kinds["not_yet_valid"], 0);
  EXPECT_GT(expected_kinds["tampered"], 0);
  EXPECT_GT(expected_kinds["revoked"], 0);
  EXPECT_GT(expected_kinds["suspended"], 0);
  simdjson::dom::parser ps;
  std::string summary = testing::ReadFile(dir_ + "/summary.json");
  simdjson::dom::element s = ps.parse(summary);
  EXPECT_EQ(s["records"].get_uint64().value(), 1200u);
  EXPECT_EQ(s["verified"].get_uint64().value(), static_cast<uint64_t>(expected_kinds["verified"]));
}

TEST_F(EndToEnd, TheSampleCorpusPassesTheEuMicrocredentialProfile) {
  // Every sample credential states the Annex I elements: the profile changes no
  // verdict, and each well-formed record's format message says so.
  std::string out = dir_ + "/profile.jsonl";
  EXPECT_EQ(RunCommand(Verify("-j 2 -q --profile eu-microcredential -o " + out)), 1);
  auto manifest = Lines(dir_ + "/manifest.jsonl");
  auto results = Lines(out);
  ASSERT_EQ(results.size(), manifest.size());
  simdjson::dom::parser pm, pr;
  size_t profiled = 0;
  for (size_t i = 0; i < manifest.size(); ++i) {
    simdjson::dom::element m = pm.parse(manifest[i]);
    simdjson::dom::element r = pr.parse(results[i]);
    EXPECT_EQ(r["verified"].get_bool().value(), m["verified"].get_bool().value()) << results[i];
    EXPECT_EQ(r["checks"]["format"]["result"].get_string().value(), m["format"].get_string().value()) << results[i];
    std::string_view message = r["checks"]["format"]["message"].get_string().value();
    if (m["format"].get_string().value() == "pass") {
      EXPECT_TRUE(message.ends_with("; EU micro-credential profile: all 11 elements present")) << message;
      ++profiled;
    }
  }
  EXPECT_GT(profiled, 1000u);
}

TEST_F(EndToEnd, OneThreadAndManyThreadsAgree) {
  EXPECT_EQ(RunCommand(Verify("-j 1 -q -o " + dir_ + "/one.jsonl")), 1);
  EXPECT_EQ(RunCommand(Verify("-j 2 -q -o " + dir_ + "/two.jsonl")), 1);
  EXPECT_EQ(testing::ReadFile(dir_ + "/one.jsonl"), testing::ReadFile(dir_ + "/two.jsonl"));
}

TEST_F(EndToEnd, RequireTurnsSkippedIntoNotVerified) {
  EXPECT_EQ(RunCommand(Verify("-q --require accreditation -o " + dir_ + "/req.jsonl")), 1);
  size_t skipped = 0, verified = 0;
  for (const auto& l : Lines(dir_ + "/req.jsonl")) {
    if (l.find("\"accreditation\":{\"result\":\"skipped\"") != std::string::npos) {
      ++skipped;
      EXPECT_NE(l.find("\"verified\":false"), std::string::npos) << l;
    }
    verified += l.find("\"verified\":true") != std::string::npos;
  }
  EXPECT_GT(skipped, 0u);   // tcd's credentials: no accreditation claimed or held (not_claimed)
  EXPECT_GT(verified, 0u);  // a passing accreditation satisfies the requirement
}

TEST_F(EndToEnd, AllVerifiedExitsZeroAndStdinWorks) {
  // Keep only the records the manifest expects to verify, and pipe them in.
  auto manifest = Lines(dir_ + "/manifest.jsonl");
  auto records = Lines(dir_ + "/credentials/part-00001.jsonl");
  std::ofstream good(dir_ + "/good.jsonl");
  for (size_t i = 0; i < records.size(); ++i) {
    if (manifest[i].find("\"expected\":\"verified\"") != std::string::npos) good << records[i] << "\n";
  }
  good.close();
  std::string cmd = std::string(CREDSWEEP_BINARY) + " verify - --jwks " + dir_ + "/keys/jwks.json --trust " +
                    dir_ + "/trust-registry.json --db " + dir_ + "/index --status-lists " + dir_ + "/status-lists --at " +
                    kAt + " -q -o " + dir_ + "/stdin.jsonl < " + dir_ + "/good.jsonl";
  EXPECT_EQ(RunCommand(cmd), 0);
  auto out = Lines(dir_ + "/stdin.jsonl");
  ASSERT_FALSE(out.empty());
  EXPECT_NE(out[0].find("\"source\":\"-:1\""), std::string::npos) << out[0];
}

TEST_F(EndToEnd, UsageAndInputErrorsExitTwo) {
  EXPECT_EQ(RunCommand(Verify("-q " + dir_ + "/does-not-exist.jsonl 2>/dev/null")), 2);
  EXPECT_EQ(RunCommand(Verify("-q --at yesterday 2>/dev/null")), 2);
  EXPECT_EQ(RunCommand(Verify("-q --require speed 2>/dev/null")), 2);
  EXPECT_EQ(RunCommand(std::string(CREDSWEEP_BINARY) + " verify 2>/dev/null"), 2);
  EXPECT_EQ(RunCommand(std::string(CREDSWEEP_BINARY) + " frobnicate 2>/dev/null"), 2);
}

TEST_F(EndToEnd, BrokenRecordsAmongGoodOnesAreIsolated) {
  auto records = Lines(dir_ + "/credentials/part-00001.jsonl");
  std::string mixed = dir_ + "/mixed.jsonl";
  std::ofstream out(mixed, std::ios::binary);
  out << records[0] << "\n"
      << "{not json\n"
      << std::string(100000, '[') << "\n"
      << "\x01\x02\xff\xfe\n"
      << records[0].substr(0, records[0].size() / 2) << "\n"
      << records[0] << "\n";
  out.close();
  std::string cmd = std::string(CREDSWEEP_BINARY) + " verify " + mixed + " --jwks " + dir_ +
                    "/keys/jwks.json --trust " + dir_ + "/trust-registry.json --at " + kAt + " -q -o " + dir_ + "/mixed.out";
  EXPECT_EQ(RunCommand(cmd), 1);
  auto res = Lines(dir_ + "/mixed.out");
  ASSERT_EQ(res.size(), 6u);
  bool first_ok = Lines(dir_ + "/manifest.jsonl")[0].find("\"verified\":true") != std::string::npos;
  EXPECT_EQ(res[0].find("\"verified\":true") != std::string::npos, first_ok) << res[0];
  EXPECT_NE(res[1].find("malformed_json"), std::string::npos) << res[1];
  EXPECT_NE(res[2].find("\"format\":{\"result\":\"fail\""), std::string::npos) << res[2];
  EXPECT_NE(res[3].find("malformed_jws"), std::string::npos) << res[3];
  EXPECT_NE(res[4].find("\"verified\":false"), std::string::npos) << res[4];
  // The same credential again: the same result, naming the record that had it first.
  std::string again = res[5].substr(res[5].find("\"id\""));
  const std::string dup = "\"duplicate_of\":\"" + mixed + ":1\"";
  ASSERT_NE(again.find(dup), std::string::npos) << again;
  again.replace(again.find(dup), dup.size(), "\"duplicate_of\":null");
  EXPECT_EQ(again, res[0].substr(res[0].find("\"id\"")));
}

// --signing-time claimed is a loosening by name: the run says so in its summary.
TEST(VerifyCommand, ClaimedSigningTimeIsNamedInTheSummary) {
  std::string dir = (fs::temp_directory_path() / ("credsweep-st-" + std::to_string(::getpid()))).string();
  fs::create_directories(dir);
  std::string base = std::string(CREDSWEEP_BINARY) + " verify " +
                     testing::TestData("edc/upstream/mynextid-microcredential-signed.jsonld") + " --ca " +
                     testing::TestData("edc/anchors/halcom-root-ca.pem") + " --at 2029-01-01T00:00:00Z --no-progress";
  EXPECT_EQ(RunCommand(base + " --out " + dir + "/proven.jsonl --summary " + dir + "/proven.json 2>" + dir + "/proven.err"), 1);
  EXPECT_NE(testing::ReadFile(dir + "/proven.jsonl").find("\"certificate_expired\""), std::string::npos);
  EXPECT_EQ(testing::ReadFile(dir + "/proven.err").find("WARNING"), std::string::npos);
  EXPECT_EQ(RunCommand(base + " --signing-time claimed --out " + dir + "/claimed.jsonl --summary " + dir +
                       "/claimed.json 2>" + dir + "/claimed.err"),
            0);
  EXPECT_NE(testing::ReadFile(dir + "/claimed.err").find("WARNING: --signing-time claimed"), std::string::npos);
  EXPECT_NE(testing::ReadFile(dir + "/claimed.json").find("\"warnings\":[\"--signing-time claimed"), std::string::npos);
  EXPECT_EQ(RunCommand(base + " --signing-time whenever >/dev/null 2>&1"), 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace credsweep
