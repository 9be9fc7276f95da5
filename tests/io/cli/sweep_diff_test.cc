// Two sweeps over a corpus that changed between them (a revocation and a
// suspension in the index, a removed file, an added file, a later --at that
// makes one credential expire): what diff.jsonl, failures.csv and summary.json
// say, and the exit status under each --fail-on.
#include "tests/io/cli/sweep_fixture.h"

namespace credsweep::testing {
namespace {

TEST_F(SweepTest, TheFirstNightReportsEveryCredentialAsNewAndTheForgeryAsANewFailure) {
  CliRun r = Sweep(kNight1, "--report night1");
  ASSERT_EQ(r.code, 1) << r.err;
  auto diff = DiffChanges("night1");
  EXPECT_EQ(diff.size(), 5u);
  EXPECT_EQ(diff["urn:test:a"], "new");
  EXPECT_EQ(diff["urn:test:c"], "new expiring") << "valid until 2026-07-01, within 30 days of 2026-06-15";
  EXPECT_EQ(diff["urn:test:forged"], "new newly_failing");
}

TEST_F(SweepTest, TheSecondNightListsExactlyWhatChanged) {
  ASSERT_EQ(Sweep(kNight1, "--report night1").code, 1);
  ChangeCorpus();
  CliRun r = Sweep(kNight2, "--report night2");
  ASSERT_EQ(r.code, 1) << r.err;
  auto diff = DiffChanges("night2");
  EXPECT_EQ(diff.size(), 5u) << ReadFile(Path("night2/diff.jsonl"));
  EXPECT_EQ(diff["urn:test:a"], "newly_failing newly_suspended");
  EXPECT_EQ(diff["urn:test:b"], "newly_failing newly_revoked");
  EXPECT_EQ(diff["urn:test:c"], "newly_failing newly_expired");
  EXPECT_EQ(diff["urn:test:d"], "vanished");
  EXPECT_EQ(diff["urn:test:e"], "new");
  EXPECT_EQ(diff.count("urn:test:forged"), 0u) << "a failure that was there last night is not a change";

  // Each line holds both sides: b passed revocation before and fails it after.
  for (const auto& line : Lines(ReadFile(Path("night2/diff.jsonl")))) {
    simdjson::dom::parser parser;
    simdjson::dom::element e = parser.parse(line);
    std::string_view key = e["key"].get_string().value();
    if (key == "urn:test:b") {
      EXPECT_TRUE(e["before"]["verified"].get_bool().value());
      EXPECT_FALSE(e["after"]["verified"].get_bool().value());
      EXPECT_EQ(std::string_view(e["after"]["checks"]["revocation"]["code"].get_string().value()), "revoked");
      EXPECT_EQ(std::string_view(e["newly_failing"].at(0)["check"].get_string().value()), "revocation");
      EXPECT_EQ(std::string_view(e["after"]["source"].get_string().value()), "corpus/b.jwt:1");
    }
    if (key == "urn:test:d") {
      EXPECT_TRUE(e["after"].is_null());
      EXPECT_EQ(std::string_view(e["before"]["source"].get_string().value()), "corpus/d.jwt:1");
    }
  }
}

TEST_F(SweepTest, FailuresCsvListsEachFailingCheckAndWhetherItIsNew) {
  ASSERT_EQ(Sweep(kNight1).code, 1);
  ChangeCorpus();
  ASSERT_EQ(Sweep(kNight2, "--report night2").code, 1);
  std::vector<std::string> rows = Lines(ReadFile(Path("night2/failures.csv")));
  ASSERT_EQ(rows.size(), 5u) << ReadFile(Path("night2/failures.csv"));
  EXPECT_EQ(rows[0], "id,source,issuer,check,code,new");
  EXPECT_EQ(rows[1], "urn:test:a,corpus/a.jwt:1,https://i.example,revocation,suspended,true");
  EXPECT_EQ(rows[2], "urn:test:b,corpus/b.jwt:1,https://i.example,revocation,revoked,true");
  EXPECT_EQ(rows[3], "urn:test:c,corpus/c.jwt:1,https://i.example,validity,expired,true");
  EXPECT_EQ(rows[4], "urn:test:forged,corpus/forged.jwt:1,https://j.example,seal,signature_invalid,false");
}

TEST_F(SweepTest, SummaryJsonHoldsTheRunAndPerIssuerCounts) {
  ASSERT_EQ(Sweep(kNight1).code, 1);
  ChangeCorpus();
  ASSERT_EQ(Sweep(kNight2, "--report night2").code, 1);
  simdjson::dom::parser parser;
  simdjson::dom::element s = parser.load(Path("night2/summary.json"));
  EXPECT_EQ(s["sweep_run"].get_uint64().value(), 2u);
  EXPECT_EQ(s["previous_run"].get_uint64().value(), 1u);
  EXPECT_EQ(std::string_view(s["at"].get_string().value()), kNight2);
  EXPECT_EQ(std::string_view(s["credsweep_version"].get_string().value()), "0.1.0");
  EXPECT_EQ(s["trust_digest"].get_string().value().size(), 64u);
  EXPECT_EQ(s["records"].get_uint64().value(), 5u);
  EXPECT_EQ(s["verified"].get_uint64().value(), 1u) << "only e";
  EXPECT_EQ(s["new_failures"].get_uint64().value(), 3u);
  EXPECT_EQ(s["exit_status"].get_int64().value(), 1);
  EXPECT_EQ(s["issuers"]["https://i.example"]["records"].get_uint64().value(), 4u);
  EXPECT_EQ(s["issuers"]["https://i.example"]["verified"].get_uint64().value(), 1u);
  EXPECT_EQ(s["issuers"]["https://j.example"]["not_verified"].get_uint64().value(), 1u);
  EXPECT_EQ(s["changes"]["vanished"].get_uint64().value(), 1u);
  EXPECT_EQ(s["changes"]["newly_revoked"].get_uint64().value(), 1u);
  EXPECT_EQ(s["failures"]["validity:expired"].get_uint64().value(), 1u);
  EXPECT_EQ(std::string_view(s["options"]["fail_on"].get_string().value()), "new-failures");
}

TEST_F(SweepTest, ExitStatusTellsANewFailureFromTheBackground) {
  // Night 1: the forgery is new. Night 2 with nothing changed: only the background.
  EXPECT_EQ(Sweep(kNight1).code, 1);
  CliRun same = Sweep(kNight1, "--report same");
  EXPECT_EQ(same.code, 0) << same.err;
  EXPECT_EQ(ReadFile(Path("same/diff.jsonl")), "");
  EXPECT_EQ(Sweep(kNight1, "--fail-on any-failure").code, 1);
  EXPECT_EQ(Sweep(kNight1, "--fail-on never").code, 0);
  ChangeCorpus();
  EXPECT_EQ(Sweep(kNight2, "--fail-on never").code, 0);
}

TEST_F(SweepTest, AReinstatedCredentialIsReportedRecovered) {
  ASSERT_EQ(Sweep(kNight1).code, 1);
  ChangeCorpus();
  ASSERT_EQ(Sweep(kNight2).code, 1);
  ASSERT_EQ(Credsweep("reinstate urn:test:a --reason cleared --db index").code, 0);
  CliRun r = Sweep(kNight2, "--report night3");
  EXPECT_EQ(r.code, 0) << r.err;
  auto diff = DiffChanges("night3");
  EXPECT_EQ(diff.size(), 1u);
  EXPECT_EQ(diff["urn:test:a"], "recovered");
}

TEST_F(SweepTest, AnExpiringCredentialIsReportedOnceAndTheWindowIsAnOption) {
  CliRun r = Sweep(kNight1, "--report n1 --expiring-within 10");
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(DiffChanges("n1")["urn:test:c"], "new") << "2026-07-01 is 16 days away";
  ASSERT_EQ(Sweep("2026-06-25T00:00:00Z", "--report n2 --expiring-within 10").code, 0);
  EXPECT_EQ(DiffChanges("n2")["urn:test:c"], "expiring");
  ASSERT_EQ(Sweep("2026-06-26T00:00:00Z", "--report n3 --expiring-within 10").code, 0);
  EXPECT_EQ(DiffChanges("n3").count("urn:test:c"), 0u) << "already reported";
}

TEST_F(SweepTest, ATrustChangeShowsInTheDigest) {
  ASSERT_EQ(Sweep(kNight1, "--report n1").code, 1);
  Write("i.jwks.json", "{\"keys\":[" + i_key_->ToPublicJwkJson() + "," + j_key_->ToPublicJwkJson() + "]}");
  Sweep(kNight1, "--report n2");
  simdjson::dom::parser p1, p2;
  EXPECT_NE(std::string_view(p1.load(Path("n1/summary.json"))["trust_digest"].get_string().value()),
            std::string_view(p2.load(Path("n2/summary.json"))["trust_digest"].get_string().value()));
}

}  // namespace
}  // namespace credsweep::testing
