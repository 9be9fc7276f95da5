// --format html: one self-contained page (inline CSS, no scripts, no external
// resources), a section per group and a row per credential with its five checks.
// Every text from a credential or a file name goes through AppendHtmlEscaped, and
// the page's Content-Security-Policy forbids scripts besides.
#include <algorithm>
#include <vector>

#include "io/report/escaping.h"
#include "io/report/grouping.h"
#include "io/report/internal/formatters.h"

namespace credsweep::io::internal {
namespace {

constexpr std::string_view kHead = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Credential verification report</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.4rem;margin:0 0 .3rem}
h2{font-size:1.1rem;margin:1.6rem 0 .4rem}
h2 .count{font-weight:normal;color:#555;font-size:.9rem;margin-left:.5rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.35rem .45rem;text-align:left;vertical-align:top}
th{background:#f1f1f1}
td.what{min-width:14rem}
.title{font-weight:600}
.source,.msg,.dates{color:#555;font-size:.78rem;overflow-wrap:anywhere}
.dup{color:#8a5300;font-size:.78rem}
.verdict{font-weight:600;white-space:nowrap}
tr.verified .verdict{color:#0a6b2d}
tr.not-verified .verdict{color:#b00020}
td.pass{background:#eaf6ee}
td.fail{background:#fdecee}
td.skipped{background:#f6f6f6}
.outcome{font-weight:600;text-transform:uppercase;font-size:.72rem}
.code{font-family:ui-monospace,monospace}
</style>
</head>
<body>
)";

void Text(std::string_view s, std::string* out) { AppendHtmlEscaped(s, out); }

// <div class="CLASS">TEXT</div>, or nothing for an empty text.
void Div(std::string_view cls, std::string_view text, std::string* out) {
  if (text.empty()) return;
  *out += "<div class=\"";
  *out += cls;
  *out += "\">";
  Text(text, out);
  *out += "</div>";
}

void AppendCredential(const ReportRow& row, std::string* out) {
  const VerificationResult& r = row.result;
  *out += row.verified ? "<tr class=\"credential verified\">" : "<tr class=\"credential not-verified\">";
  *out += "<td class=\"what\">";
  Div("title", r.title().empty() ? "(no title)" : r.title(), out);
  Div("subject", r.subject(), out);
  Div("body", r.awarding_body(), out);
  std::string dates;
  if (r.issued()) dates = "issued " + DateOnly(r.issued());
  if (r.valid_until()) dates += (dates.empty() ? "" : ", ") + std::string("valid until ") + DateOnly(r.valid_until());
  Div("dates", dates, out);
  Div("source", r.source(), out);
  if (!row.duplicate_of.empty()) Div("dup", "also handed in earlier: " + row.duplicate_of, out);
  *out += "</td><td class=\"verdict\">";
  *out += row.verified ? "Verified" : "Not verified";
  *out += "</td>";
  for (int i = 0; i < kCheckCount; ++i) {
    auto id = static_cast<CheckId>(i);
    const CheckResult& c = r.check(id);
    *out += "<td class=\"check ";
    *out += OutcomeName(c.outcome);
    *out += "\" data-check=\"";
    *out += CheckName(id);
    *out += "\"><span class=\"outcome\">";
    *out += OutcomeName(c.outcome);
    *out += "</span> <span class=\"code\">";
    Text(c.code, out);
    *out += "</span>";
    Div("msg", c.message, out);
    *out += "</td>";
  }
  *out += "</tr>\n";
}

std::string Count(size_t n, size_t verified) {
  return std::to_string(n) + (n == 1 ? " credential, " : " credentials, ") + std::to_string(verified) + " verified";
}

size_t Verified(const std::vector<const ReportRow*>& rows) {
  return std::count_if(rows.begin(), rows.end(), [](const ReportRow* r) { return r->verified; });
}

class HtmlFormatter : public ResultFormatter {
 public:
  explicit HtmlFormatter(const ReportOptions& options) : options_(options) {}

  void Add(ReportRow&& row, std::string*) override { held_.push_back(std::move(row)); }

  void Finish(std::string* out) override {
    *out += kHead;
    size_t verified = std::count_if(held_.begin(), held_.end(), [](const ReportRow& r) { return r.verified; });
    *out += "<header><h1>Credential verification report</h1><p class=\"summary\">";
    Text(Count(held_.size(), verified), out);
    if (!options_.checked_at.empty()) {
      *out += "; checked at ";
      Text(options_.checked_at, out);
    }
    *out += ".</p></header>\n";
    const char* group_label = options_.group_by == GroupBy::kFolder ? "Applicant: " : "Issuer: ";
    for (const Group& g : GroupRows(held_, options_.group_by, options_.inputs)) {
      *out += "<section class=\"group\">";
      if (options_.group_by != GroupBy::kNone) {
        *out += "<h2>";
        *out += group_label;
        Text(g.name, out);
        *out += "<span class=\"count\">";
        Text(Count(g.rows.size(), Verified(g.rows)), out);
        *out += "</span></h2>";
      }
      *out += "\n<table><thead><tr><th>Credential</th><th>Result</th><th>Format</th><th>Seal</th>"
              "<th>Revocation</th><th>Accreditation</th><th>Validity</th></tr></thead><tbody>\n";
      for (const ReportRow* row : g.rows) AppendCredential(*row, out);
      *out += "</tbody></table></section>\n";
    }
    *out += "</body>\n</html>\n";
  }

 private:
  ReportOptions options_;
  std::vector<ReportRow> held_;
};

}  // namespace

std::unique_ptr<ResultFormatter> MakeHtmlFormatter(const ReportOptions& options) {
  return std::make_unique<HtmlFormatter>(options);
}

}  // namespace credsweep::io::internal
