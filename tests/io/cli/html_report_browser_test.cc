// The HTML report in a real browser: headless Chromium renders the page and dumps
// the DOM it built. One row per credential, and credential contents that try to
// inject a <script> or an <img onerror> are text, never elements, never run.
// Chromium comes from scripts/setup-deps; without it the test is skipped (CI
// installs it, so there it always runs).
#include <algorithm>

#include "tests/io/cli/browser.h"
#include "tests/io/cli/report_fixture.h"

namespace credsweep::testing {
namespace {

class HtmlReportInBrowser : public ReportTest {
 protected:
  std::string RenderedDom(const std::string& html_file) { return testing::RenderedDom(html_file, root_); }
};

TEST_F(HtmlReportInBrowser, RendersOneRowPerCredentialAndRunsNoInjectedMarkup) {
  if (!HaveChromium()) {
    GTEST_SKIP() << "chromium is not installed (scripts/setup-deps installs it)";
  }
  CliRun r = Verify("--format html -o report.html");
  ASSERT_EQ(r.code, 1) << r.err;
  std::string dom = RenderedDom(Path("report.html"));
  ASSERT_TRUE(Contains(dom, "</html>")) << dom;
  EXPECT_EQ(Count(dom, "<tr class=\"credential "), 4u) << dom;
  EXPECT_EQ(Count(dom, "<section class=\"group\">"), 2u);
  EXPECT_EQ(Count(dom, "data-check=\""), 4u * 5u) << "five checks per credential";
  // The injected markup is text in the rendered page: no element, no effect.
  EXPECT_FALSE(Contains(dom, "data-injected=")) << dom;
  EXPECT_EQ(Count(dom, "<script"), 0u) << dom;
  EXPECT_EQ(Count(dom, "<img"), 0u) << dom;
  EXPECT_TRUE(Contains(dom, "&lt;script&gt;document.body.setAttribute('data-injected','1')&lt;/script&gt;")) << dom;
  EXPECT_TRUE(Contains(dom, "Ana &lt;img src=x onerror=\"document.body.setAttribute('data-injected','2')\"&gt;"))
      << dom;
}

// The page would show an injection if escaping failed: the same check against a
// page that does not escape proves the browser runs what it is given.
TEST_F(HtmlReportInBrowser, TheCheckCatchesAnUnescapedPage) {
  if (!HaveChromium()) {
    GTEST_SKIP() << "chromium is not installed (scripts/setup-deps installs it)";
  }
  std::string page = Write("unescaped.html", std::string("<!DOCTYPE html><html><body><table><tr class=\"credential\"><td>") +
                                                 kInjectedTitle + "</td></tr></table></body></html>");
  std::string dom = RenderedDom(page);
  EXPECT_TRUE(Contains(dom, "data-injected=\"1\"")) << dom;
}

}  // namespace
}  // namespace credsweep::testing
