// report.html as text: the trend stops at the last 30 runs, the issuer and
// failure-code charts at the 20 largest, and the changes table at 1,000 rows, each
// saying where the rest is.
#include "io/sweep/sweep_html.h"

#include <gtest/gtest.h>

namespace credsweep::io {
namespace {

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

SweepRun MakeRun(uint64_t id) {
  SweepRun r;
  r.id = id;
  r.records = 10;
  r.verified = 7;
  return r;
}

TEST(SweepHtml, TheTrendShowsTheLastThirtyRuns) {
  std::vector<SweepRun> history;
  for (uint64_t id = 1; id <= 35; ++id) history.push_back(MakeRun(id));
  std::string html = SweepHtml(history.back(), {}, history);
  EXPECT_EQ(Count(html, "<g data-run="), kTrendRuns);
  EXPECT_EQ(Count(html, "<g data-run=\"5\""), 0u);
  EXPECT_EQ(Count(html, "<g data-run=\"6\""), 1u);
  EXPECT_EQ(Count(html, "<g data-run=\"35\""), 1u);
  EXPECT_NE(html.find("Trend over the last 30 run(s)"), std::string::npos);
}

TEST(SweepHtml, LongListsAreCutAndSayWhereTheRestIs) {
  SweepRun run = MakeRun(1);
  for (int i = 0; i < 25; ++i) {
    run.issuers["https://issuer" + std::to_string(i) + ".example"] = {static_cast<uint64_t>(i + 1), 0};
    run.failure_codes["seal:code_" + std::to_string(i)] = static_cast<uint64_t>(i + 1);
  }
  std::vector<SweepOutcome> outcomes(kHtmlMaxChanges + 5);
  SweepDiff diff;
  for (auto& o : outcomes) {
    o.set_key("k");
    DiffEntry e;
    e.after = &o;
    e.kinds[static_cast<int>(ChangeKind::kNew)] = true;
    diff.entries.push_back(e);
  }
  std::string html = SweepHtml(run, diff, {run});
  EXPECT_EQ(Count(html, "data-segment=\"bar\""), kHtmlMaxBars);
  EXPECT_EQ(Count(html, "data-label=\"seal:code_24\""), 1u) << "the largest are kept";
  EXPECT_EQ(Count(html, "data-label=\"seal:code_0\""), 0u);
  EXPECT_NE(html.find("The 20 largest of 25 issuers; summary.json has them all."), std::string::npos);
  EXPECT_EQ(Count(html, "<tr class=\"change\""), kHtmlMaxChanges);
  EXPECT_NE(html.find("The first 1000 of 1005 changed credentials; diff.jsonl has them all."), std::string::npos);
}

}  // namespace
}  // namespace credsweep::io
