// Credential text made safe for each report: RFC 4180 quoting, spreadsheet
// formulas shown rather than evaluated, HTML references, clean table cells.
#include "io/report/escaping.h"

#include <gtest/gtest.h>

namespace credsweep::io {
namespace {

std::string Csv(std::string_view s, bool guard = true) {
  std::string out;
  AppendCsvField(s, guard, &out);
  return out;
}

std::string Html(std::string_view s) {
  std::string out;
  AppendHtmlEscaped(s, &out);
  return out;
}

TEST(CsvField, QuotesOnlyWhatRfc4180Requires) {
  EXPECT_EQ(Csv("plain text"), "plain text");
  EXPECT_EQ(Csv("a,b"), "\"a,b\"");
  EXPECT_EQ(Csv("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Csv("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(Csv("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(Csv(""), "");
}

TEST(CsvField, AFormulaFromACredentialIsShownNotEvaluated) {
  EXPECT_EQ(Csv("=HYPERLINK(\"http://evil.example\",\"x\")"), "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"");
  EXPECT_EQ(Csv("+1"), "'+1");
  EXPECT_EQ(Csv("-2+3"), "'-2+3");
  EXPECT_EQ(Csv("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(Csv("-:12"), "-:12");  // stdin's line 12
  EXPECT_EQ(Csv("=1", false), "=1");
}

TEST(CsvField, InvalidUtf8AndControlsBecomeReplacementCharacters) {
  EXPECT_EQ(Csv("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(Csv("bad\xFF\xFEname"), "bad\xEF\xBF\xBD\xEF\xBF\xBDname");  // one per invalid byte
  EXPECT_EQ(Csv("cut \xC3"), "cut \xEF\xBF\xBD");
  EXPECT_EQ(Csv(std::string("nul\0x", 5)), "nul\xEF\xBF\xBDx");
}

TEST(HtmlEscaping, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(Html("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  EXPECT_EQ(Html("a & \"b\""), "a &amp; &quot;b&quot;");
  EXPECT_EQ(Html("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(Html("Universit\xC3\xA9"), "Universit\xC3\xA9");
}

TEST(TableCell, IsOneLineAndCutByCharacters) {
  EXPECT_EQ(FitCell("two\nlines\tand tab", 0), "two lines and tab");
  EXPECT_EQ(FitCell("abcdef", 4), "abc\xE2\x80\xA6");
  EXPECT_EQ(FitCell("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3), "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
  EXPECT_EQ(CharCount("\xC3\xA9t\xC3\xA9"), 3u);
  EXPECT_EQ(FitCell("abc", 3), "abc");
  EXPECT_EQ(FitCell("dir/sub/file.json", 10, true), "\xE2\x80\xA6" "file.json");
}

}  // namespace
}  // namespace credsweep::io
