// A sweep's outputs: the metrics file for node_exporter's textfile collector,
// outputs that would overwrite an input, and report files inside an input
// folder, which the next sweep must not read back as credentials.
#include "tests/io/cli/sweep_fixture.h"

namespace credsweep::testing {
namespace {

TEST_F(SweepTest, MetricsFileIsPrometheusTextWrittenAtomically) {
  ASSERT_EQ(Sweep(kNight1).code, 1);
  ChangeCorpus();
  Write("textfile/sweep.prom", "stale\n");
  CliRun r = Sweep(kNight2, "--metrics-file textfile/sweep.prom");
  ASSERT_EQ(r.code, 1) << r.err;
  std::string m = ReadFile(Path("textfile/sweep.prom"));
  for (const char* line : {"# TYPE credsweep_sweep_records gauge\n", "credsweep_sweep_records 5\n",
                           "credsweep_sweep_verified 1\n", "credsweep_sweep_not_verified 4\n",
                           "credsweep_sweep_run_id 2\n", "credsweep_sweep_exit_status 1\n",
                           "credsweep_sweep_new_failures 3\n",
                           "credsweep_sweep_check_outcomes{check=\"seal\",outcome=\"fail\"} 1\n",
                           "credsweep_sweep_failures{check=\"revocation\",code=\"revoked\"} 1\n",
                           "credsweep_sweep_changes{change=\"vanished\"} 1\n",
                           "credsweep_sweep_changes{change=\"newly_expired\"} 1\n"}) {
    EXPECT_TRUE(Contains(m, line)) << line << " in\n" << m;
  }
  EXPECT_FALSE(Contains(m, "stale"));
  // Every sample line is NAME[{LABELS}] VALUE; nothing but the file is left behind.
  for (const auto& line : Lines(m)) {
    if (line.starts_with("#")) continue;
    EXPECT_TRUE(line.starts_with("credsweep_sweep_")) << line;
    EXPECT_NE(line.rfind(' '), std::string::npos) << line;
  }
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(Path("textfile"))) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST_F(SweepTest, AnOutputOnAnInputIsRefusedBeforeAnythingIsWritten) {
  const std::string before = ReadFile(Path("corpus/a.jwt"));
  CliRun r = Sweep(kNight1, "--metrics-file corpus/a.jwt");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(Contains(r.err, "--metrics-file")) << r.err;
  EXPECT_EQ(ReadFile(Path("corpus/a.jwt")), before);
  EXPECT_EQ(Lines(Credsweep("sweep history --db index").out).size(), 1u) << "nothing stored";
}

TEST_F(SweepTest, ReportsInsideTheInputFolderAreNotReadBack) {
  ASSERT_EQ(Sweep(kNight1, "--report corpus/reports/night1 --metrics-file corpus/sweep.prom").code, 1);
  // Tonight's outputs are skipped as this run's own; last night's are recognised.
  CliRun r = Sweep(kNight1, "--report corpus/reports/night2");
  ASSERT_EQ(r.code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element s = parser.load(Path("corpus/reports/night2/summary.json"));
  EXPECT_EQ(s["records"].get_uint64().value(), 5u);
  std::string skipped = simdjson::minify(s["skipped_files"]);
  EXPECT_TRUE(Contains(skipped, "night1/diff.jsonl")) << skipped;
  EXPECT_TRUE(Contains(skipped, "night1/summary.json")) << skipped;
  EXPECT_TRUE(Contains(skipped, "night1/report.html")) << skipped;
  EXPECT_TRUE(Contains(skipped, "sweep.prom")) << skipped;
  EXPECT_EQ(ReadFile(Path("corpus/reports/night2/diff.jsonl")), "");
}

}  // namespace
}  // namespace credsweep::testing
