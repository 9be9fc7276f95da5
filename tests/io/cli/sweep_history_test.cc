// The stored runs: `sweep history` lists them, `sweep show RUN` writes a run's
// report folder again (the same bytes as the night it ran), `--keep-runs N`
// prunes the oldest.
#include "tests/io/cli/sweep_fixture.h"

namespace credsweep::testing {
namespace {

TEST_F(SweepTest, HistoryListsTheStoredRunsOldestFirst) {
  ASSERT_EQ(Sweep(kNight1).code, 1);
  ChangeCorpus();
  ASSERT_EQ(Sweep(kNight2).code, 1);
  CliRun h = Credsweep("sweep history --db index");
  ASSERT_EQ(h.code, 0) << h.err;
  std::vector<std::string> lines = Lines(h.out);
  ASSERT_EQ(lines.size(), 3u) << h.out;
  EXPECT_TRUE(lines[0].starts_with("RUN ")) << lines[0];
  EXPECT_TRUE(lines[1].starts_with("1 ")) << lines[1];
  EXPECT_TRUE(Contains(lines[1], kNight1)) << lines[1];
  EXPECT_TRUE(lines[2].starts_with("2 ")) << lines[2];
  EXPECT_TRUE(Contains(lines[2], kNight2)) << lines[2];

  // As JSON Lines: each run's summary.json.
  CliRun j = Credsweep("sweep history --db index --format jsonl");
  ASSERT_EQ(j.code, 0) << j.err;
  std::vector<std::string> runs = Lines(j.out);
  ASSERT_EQ(runs.size(), 2u);
  simdjson::dom::parser parser;
  EXPECT_EQ(parser.parse(runs[1])["sweep_run"].get_uint64().value(), 2u);
  EXPECT_EQ(parser.parse(runs[1])["changes"]["vanished"].get_uint64().value(), 1u);
}

TEST_F(SweepTest, ShowWritesAStoredRunsReportAgainByteForByte) {
  ASSERT_EQ(Sweep(kNight1, "--report night1").code, 1);
  ChangeCorpus();
  ASSERT_EQ(Sweep(kNight2, "--report night2").code, 1);
  for (const std::string run : {"1", "2"}) {
    CliRun r = Credsweep("sweep show " + run + " --db index --report again" + run);
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* f : {"diff.jsonl", "failures.csv", "summary.json", "report.html"}) {
      EXPECT_EQ(ReadFile(Path("again" + run + "/" + f)), ReadFile(Path("night" + run + "/" + f))) << run << " " << f;
    }
  }
  CliRun missing = Credsweep("sweep show 7 --db index --report again7");
  EXPECT_EQ(missing.code, 2);
  EXPECT_TRUE(Contains(missing.err, "no sweep run 7")) << missing.err;
}

TEST_F(SweepTest, KeepRunsRemovesTheOldestRunsAndTheirOutcomes) {
  ASSERT_EQ(Sweep(kNight1).code, 1);
  ASSERT_EQ(Sweep(kNight1).code, 0);
  ChangeCorpus();
  CliRun r = Sweep(kNight2, "--keep-runs 2 --report night3");
  ASSERT_EQ(r.code, 1) << r.err;
  CliRun h = Credsweep("sweep history --db index");
  std::vector<std::string> lines = Lines(h.out);
  ASSERT_EQ(lines.size(), 3u) << h.out;
  EXPECT_TRUE(lines[1].starts_with("2 ")) << h.out;
  EXPECT_TRUE(lines[2].starts_with("3 ")) << h.out;
  EXPECT_EQ(Credsweep("sweep show 1 --db index --report again1").code, 2);
  // The next run follows the newest, and diffs against it.
  CliRun next = Sweep(kNight2, "--keep-runs 2 --report night4");
  EXPECT_EQ(next.code, 0) << next.err;
  simdjson::dom::parser parser;
  simdjson::dom::element s = parser.load(Path("night4/summary.json"));
  EXPECT_EQ(s["sweep_run"].get_uint64().value(), 4u);
  EXPECT_EQ(s["previous_run"].get_uint64().value(), 3u);
  // The trend shows the runs still stored.
  std::string html = ReadFile(Path("night4/report.html"));
  EXPECT_FALSE(Contains(html, "data-run=\"2\""));
  EXPECT_TRUE(Contains(html, "data-run=\"3\""));
  EXPECT_TRUE(Contains(html, "data-run=\"4\""));
}

TEST_F(SweepTest, AnInterruptedOrEmptyRunIsNotStored) {
  Write("empty/notes.txt", "");
  CliRun r = Credsweep("sweep empty --db index --at 2026-06-15T00:00:00Z -q");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(Contains(r.err, "no credentials found")) << r.err;
  EXPECT_EQ(Lines(Credsweep("sweep history --db index").out).size(), 1u) << "the header only";
}

TEST_F(SweepTest, UsageErrors) {
  EXPECT_EQ(Credsweep("sweep corpus --at 2026-06-15T00:00:00Z").code, 2) << "--db is required";
  CliRun r = Credsweep("sweep corpus --db nowhere --at 2026-06-15T00:00:00Z");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(Contains(r.err, "nowhere")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(Path("nowhere")));
  EXPECT_EQ(Sweep(kNight1, "--fail-on sometimes").code, 2);
  CliRun typo = Credsweep("sweep histroy --db index");
  EXPECT_EQ(typo.code, 2);
  EXPECT_TRUE(Contains(typo.err, "did you mean 'history'?")) << typo.err;
  // An empty folder is not an index, and stays empty (init can still make one there).
  std::filesystem::create_directories(Path("blank"));
  EXPECT_EQ(Credsweep("sweep corpus --db blank --at 2026-06-15T00:00:00Z").code, 2);
  EXPECT_TRUE(std::filesystem::is_empty(Path("blank")));
}

}  // namespace
}  // namespace credsweep::testing
