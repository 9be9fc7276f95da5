// The sweep's report.html in a real browser: headless Chromium renders it and
// dumps the DOM it built; the counts, the changed credentials and the four
// charts are in it, and nothing is fetched or run. Chromium comes from
// scripts/setup-deps; without it the test is skipped.
#include "tests/io/cli/browser.h"
#include "tests/io/cli/sweep_fixture.h"

namespace credsweep::testing {
namespace {

class SweepReportInBrowser : public SweepTest {
 protected:
  std::string RenderedDom(const std::string& html_file) { return testing::RenderedDom(html_file, root_); }
};

TEST_F(SweepReportInBrowser, ShowsTheCountsTheChangesAndTheCharts) {
  if (!HaveChromium()) {
    GTEST_SKIP() << "chromium is not installed (scripts/setup-deps installs it)";
  }
  // An issuer name that tries to inject markup, in a credential that is new tonight.
  ASSERT_EQ(Sweep(kNight1).code, 1);
  ChangeCorpus();
  Write("corpus/x.jwt", Sign(*i_key_, Credential("urn:test:<b>x</b>", "https://i.example", kInjectedLearner,
                                                 kInjectedTitle, "")) + "\n");
  ASSERT_EQ(Sweep(kNight2, "--report night2").code, 1);
  std::string html = ReadFile(Path("night2/report.html"));
  for (const char* fetch : {"src=", "href=", "@import", "url("}) {
    EXPECT_FALSE(Contains(html, fetch)) << "no external resource: " << fetch;
  }

  std::string dom = RenderedDom(Path("night2/report.html"));
  ASSERT_TRUE(Contains(dom, "</html>")) << dom;
  EXPECT_TRUE(Contains(dom, "Credential sweep report: run 2"));
  EXPECT_TRUE(Contains(dom, "data-count=\"records\"><span class=\"n\">6</span>")) << dom;
  EXPECT_TRUE(Contains(dom, "data-count=\"verified\"><span class=\"n\">2</span>"));
  EXPECT_TRUE(Contains(dom, "data-count=\"newly_revoked\"><span class=\"n\">1</span>"));
  EXPECT_TRUE(Contains(dom, "data-count=\"vanished\"><span class=\"n\">1</span>"));
  EXPECT_TRUE(Contains(dom, "data-count=\"new\"><span class=\"n\">2</span>"));
  EXPECT_EQ(Count(dom, "<tr class=\"change\""), 6u) << "a, b, c, e, x and the vanished d";
  EXPECT_TRUE(Contains(dom, "<tr class=\"change\" data-changes=\"newly_failing newly_revoked\">"));
  for (const char* chart : {"checks", "issuers", "failures", "trend"}) {
    EXPECT_EQ(Count(dom, std::string("<svg class=\"chart\" data-chart=\"") + chart + "\""), 1u) << chart;
  }
  EXPECT_EQ(Count(dom, "<g data-run="), 2u) << "the trend over the two stored runs";
  EXPECT_TRUE(Contains(dom, "<g data-run=\"2\" data-records=\"6\" data-verified=\"2\">"));
  EXPECT_TRUE(Contains(dom, "data-label=\"revocation\" data-segment=\"fail\" data-value=\"2\""))
      << "a suspended, b revoked";
  EXPECT_TRUE(Contains(dom, "data-label=\"https://j.example\" data-segment=\"not-verified\" data-value=\"1\""));
  EXPECT_TRUE(Contains(dom, "data-label=\"validity:expired\" data-segment=\"bar\" data-value=\"1\""));
  // The injected id is text, never an element.
  EXPECT_EQ(Count(dom, "<script"), 0u);
  EXPECT_EQ(Count(dom, "<b>"), 0u) << dom;
  EXPECT_TRUE(Contains(dom, "urn:test:&lt;b&gt;x&lt;/b&gt;")) << dom;
}

}  // namespace
}  // namespace credsweep::testing
