#include "io/sweep/sweep_html.h"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <utility>

#include "io/report/escaping.h"

namespace credsweep::io {
namespace {

constexpr std::string_view kHead = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Credential sweep report</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;background:#fff;max-width:70rem}
h1{font-size:1.4rem;margin:0 0 .3rem}
h2{font-size:1.1rem;margin:1.6rem 0 .4rem}
table{border-collapse:collapse;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f1f1f1}
.meta td{font-family:ui-monospace,monospace;overflow-wrap:anywhere}
.tiles{display:flex;flex-wrap:wrap;gap:.5rem;margin:.8rem 0}
.tile{border:1px solid #ccc;border-radius:4px;padding:.4rem .7rem;min-width:7rem}
.tile .n{display:block;font-size:1.3rem;font-weight:600}
.tile.alert .n{color:#b00020}
svg text{font-size:11px;fill:#1b1b1b}
.pass,.verified{fill:#2e8b57}
.fail,.not-verified{fill:#c62839}
.skipped{fill:#b8b8b8}
.bar{fill:#4a6fa5}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .8rem;vertical-align:middle}
.legend .pass,.legend .verified{background:#2e8b57}.legend .fail,.legend .not-verified{background:#c62839}
.legend .skipped{background:#b8b8b8}
.code{font-family:ui-monospace,monospace}
.note{color:#555;font-size:.85rem}
</style>
</head>
<body>
)";

void Text(std::string_view s, std::string* out) { AppendHtmlEscaped(s, out); }

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct Segment {
  std::string_view cls;  // CSS class: pass, fail, skipped, verified, not-verified, bar
  uint64_t value;
};

struct BarRow {
  std::string label;
  std::vector<Segment> segments;
};

// A horizontal bar chart, one row per entry, each bar split into its segments and
// scaled to the largest total. Each <rect> carries data-label, data-segment and
// data-value; each row ends with its total as text.
void HorizontalBars(std::string_view name, const std::vector<BarRow>& rows, std::string* out) {
  constexpr double kLabelWidth = 260, kBarWidth = 420, kRowHeight = 22;
  uint64_t max = 1;
  for (const auto& r : rows) {
    uint64_t total = 0;
    for (const auto& s : r.segments) total += s.value;
    max = std::max(max, total);
  }
  const double height = kRowHeight * static_cast<double>(rows.size()) + 6;
  *out += "<svg class=\"chart\" data-chart=\"" + std::string(name) + "\" role=\"img\" width=\"" +
          Num(kLabelWidth + kBarWidth + 80) + "\" height=\"" + Num(height) + "\" xmlns=\"http://www.w3.org/2000/svg\">";
  double y = 3;
  for (const auto& r : rows) {
    *out += "<text x=\"0\" y=\"" + Num(y + 15) + "\">";
    Text(FitCell(r.label, 40, true), out);
    *out += "</text>";
    double x = kLabelWidth;
    uint64_t total = 0;
    for (const auto& s : r.segments) {
      total += s.value;
      if (s.value == 0) continue;
      const double w = kBarWidth * static_cast<double>(s.value) / static_cast<double>(max);
      *out += "<rect class=\"" + std::string(s.cls) + "\" data-label=\"";
      Text(r.label, out);
      *out += "\" data-segment=\"" + std::string(s.cls) + "\" data-value=\"" + std::to_string(s.value) + "\" x=\"" +
              Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(w) + "\" height=\"" + Num(kRowHeight - 6) +
              "\"><title>";
      Text(r.label, out);
      *out += ": " + std::to_string(s.value) + " " + std::string(s.cls) + "</title></rect>";
      x += w;
    }
    *out += "<text x=\"" + Num(x + 4) + "\" y=\"" + Num(y + 15) + "\">" + std::to_string(total) + "</text>";
    y += kRowHeight;
  }
  *out += "</svg>\n";
}

void Legend(const std::vector<std::pair<std::string_view, std::string_view>>& items, std::string* out) {
  *out += "<p class=\"legend\">";
  for (const auto& [cls, label] : items) *out += "<span class=\"" + std::string(cls) + "\"></span>" + std::string(label);
  *out += "</p>\n";
}

void Tile(std::string_view key, std::string_view label, uint64_t n, bool alert, std::string* out) {
  *out += "<div class=\"tile" + std::string(alert && n > 0 ? " alert" : "") + "\" data-count=\"" + std::string(key) +
          "\"><span class=\"n\">" + std::to_string(n) + "</span>" + std::string(label) + "</div>";
}

void MetaRow(std::string_view name, std::string_view value, std::string* out) {
  *out += "<tr><th>" + std::string(name) + "</th><td>";
  Text(value, out);
  *out += "</td></tr>";
}

void Header(const SweepRun& run, std::string* out) {
  *out += "<h1>Credential sweep report: run " + std::to_string(run.id) + "</h1>\n<table class=\"meta\">";
  MetaRow("run", std::to_string(run.id), out);
  MetaRow("previous run", run.previous ? std::to_string(*run.previous) : "none (first run)", out);
  MetaRow("started", FormatUtc(run.started), out);
  MetaRow("finished", FormatUtc(run.finished), out);
  MetaRow("verification time", FormatUtc(run.at), out);
  MetaRow("credsweep", run.version, out);
  MetaRow("trust configuration", run.trust_digest, out);
  MetaRow("exit status", std::to_string(run.exit_status) + " (--fail-on " + run.fail_on + ")", out);
  *out += "</table>\n";
  for (const auto& w : run.warnings) {
    *out += "<p class=\"note\">Warning: ";
    Text(w, out);
    *out += "</p>\n";
  }
  *out += "<div class=\"tiles\">";
  Tile("records", "credentials", run.records, false, out);
  Tile("verified", "verified", run.verified, false, out);
  Tile("not_verified", "not verified", run.records - run.verified, false, out);
  for (int k = 0; k < kChangeKindCount; ++k) {
    auto kind = static_cast<ChangeKind>(k);
    std::string label(ChangeKindName(kind));
    std::replace(label.begin(), label.end(), '_', ' ');
    const bool alert = kind != ChangeKind::kNew && kind != ChangeKind::kVanished && kind != ChangeKind::kRecovered;
    Tile(ChangeKindName(kind), label, run.changes[k], alert, out);
  }
  *out += "</div>\n";
}

void Charts(const SweepRun& run, std::string* out) {
  *out += "<h2>Outcomes per check</h2>\n";
  Legend({{"pass", "pass"}, {"fail", "fail"}, {"skipped", "skipped"}}, out);
  std::vector<BarRow> checks;
  for (int i = 0; i < kCheckCount; ++i) {
    checks.push_back({std::string(CheckName(static_cast<CheckId>(i))),
                      {{"pass", run.outcomes[i][static_cast<int>(Outcome::kPass)]},
                       {"fail", run.outcomes[i][static_cast<int>(Outcome::kFail)]},
                       {"skipped", run.outcomes[i][static_cast<int>(Outcome::kSkipped)]}}});
  }
  HorizontalBars("checks", checks, out);

  *out += "<h2>Per issuer</h2>\n";
  Legend({{"verified", "verified"}, {"not-verified", "not verified"}}, out);
  std::vector<std::pair<std::string, IssuerCounts>> issuers(run.issuers.begin(), run.issuers.end());
  std::stable_sort(issuers.begin(), issuers.end(),
                   [](const auto& a, const auto& b) { return a.second.records > b.second.records; });
  std::vector<BarRow> issuer_rows;
  for (size_t i = 0; i < issuers.size() && i < kHtmlMaxBars; ++i) {
    const auto& [name, n] = issuers[i];
    issuer_rows.push_back({name, {{"verified", n.verified}, {"not-verified", n.records - n.verified}}});
  }
  HorizontalBars("issuers", issuer_rows, out);
  if (issuers.size() > kHtmlMaxBars) {
    *out += "<p class=\"note\">The " + std::to_string(kHtmlMaxBars) + " largest of " +
            std::to_string(issuers.size()) + " issuers; summary.json has them all.</p>\n";
  }

  *out += "<h2>Failure codes</h2>\n";
  std::vector<std::pair<std::string, uint64_t>> codes(run.failure_codes.begin(), run.failure_codes.end());
  std::stable_sort(codes.begin(), codes.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<BarRow> code_rows;
  for (size_t i = 0; i < codes.size() && i < kHtmlMaxBars; ++i) code_rows.push_back({codes[i].first, {{"bar", codes[i].second}}});
  if (code_rows.empty()) {
    *out += "<p class=\"note\" data-empty=\"failures\">No check failed.</p>\n";
  } else {
    HorizontalBars("failures", code_rows, out);
  }
}

// Vertical stacked bars, one per run (verified below, not verified above), the
// newest on the right; each bar a <g data-run="ID">.
void Trend(const std::vector<SweepRun>& history, std::string* out) {
  const size_t first = history.size() > kTrendRuns ? history.size() - kTrendRuns : 0;
  *out += "<h2>Trend over the last " + std::to_string(history.size() - first) + " run(s)</h2>\n";
  Legend({{"verified", "verified"}, {"not-verified", "not verified"}}, out);
  constexpr double kHeight = 160, kBar = 18, kGap = 6, kLeft = 40, kTop = 10;
  uint64_t max = 1;
  for (size_t i = first; i < history.size(); ++i) max = std::max(max, history[i].records);
  const double width = kLeft + (kBar + kGap) * static_cast<double>(history.size() - first) + 10;
  *out += "<svg class=\"chart\" data-chart=\"trend\" role=\"img\" width=\"" + Num(std::max(width, 200.0)) +
          "\" height=\"" + Num(kHeight + kTop + 30) + "\" xmlns=\"http://www.w3.org/2000/svg\">";
  *out += "<text x=\"0\" y=\"" + Num(kTop + 8) + "\">" + std::to_string(max) + "</text>";
  *out += "<text x=\"0\" y=\"" + Num(kTop + kHeight) + "\">0</text>";
  double x = kLeft;
  for (size_t i = first; i < history.size(); ++i) {
    const SweepRun& r = history[i];
    const double hv = kHeight * static_cast<double>(r.verified) / static_cast<double>(max);
    const double hn = kHeight * static_cast<double>(r.records - r.verified) / static_cast<double>(max);
    *out += "<g data-run=\"" + std::to_string(r.id) + "\" data-records=\"" + std::to_string(r.records) +
            "\" data-verified=\"" + std::to_string(r.verified) + "\"><title>run " + std::to_string(r.id) + " (" +
            FormatUtc(r.at) + "): " + std::to_string(r.verified) + " verified, " +
            std::to_string(r.records - r.verified) + " not verified</title>";
    *out += "<rect class=\"verified\" x=\"" + Num(x) + "\" y=\"" + Num(kTop + kHeight - hv) + "\" width=\"" +
            Num(kBar) + "\" height=\"" + Num(hv) + "\"/>";
    *out += "<rect class=\"not-verified\" x=\"" + Num(x) + "\" y=\"" + Num(kTop + kHeight - hv - hn) +
            "\" width=\"" + Num(kBar) + "\" height=\"" + Num(hn) + "\"/>";
    *out += "<text x=\"" + Num(x + 2) + "\" y=\"" + Num(kTop + kHeight + 14) + "\">" + std::to_string(r.id) +
            "</text></g>";
    x += kBar + kGap;
  }
  *out += "</svg>\n";
}

std::string Verdict(const SweepOutcome* o) {
  if (!o) return "—";
  return o->verified ? "verified" : "not verified";
}

void Changes(const SweepDiff& diff, std::string* out) {
  *out += "<h2>Changes since the previous run</h2>\n";
  if (diff.entries.empty()) {
    *out += "<p class=\"note\" data-empty=\"changes\">Nothing changed.</p>\n";
    return;
  }
  *out += "<table class=\"changes\"><tr><th>change</th><th>credential</th><th>issuer</th><th>before</th>"
          "<th>after</th><th>newly failing</th></tr>\n";
  for (size_t i = 0; i < diff.entries.size() && i < kHtmlMaxChanges; ++i) {
    const DiffEntry& e = diff.entries[i];
    const SweepOutcome& o = e.after ? *e.after : *e.before;
    std::string kinds;
    for (int k = 0; k < kChangeKindCount; ++k) {
      if (e.kinds[k]) kinds += (kinds.empty() ? "" : " ") + std::string(ChangeKindName(static_cast<ChangeKind>(k)));
    }
    *out += "<tr class=\"change\" data-changes=\"" + kinds + "\"><td class=\"code\">" + kinds + "</td><td>";
    Text(o.key(), out);
    *out += "</td><td>";
    Text(o.issuer(), out);
    *out += "</td><td>" + Verdict(e.before) + "</td><td>" + Verdict(e.after) + "</td><td class=\"code\">";
    for (const auto& [check, code] : e.newly_failing) {
      *out += std::string(CheckName(check)) + ":";
      Text(code, out);
      *out += " ";
    }
    *out += "</td></tr>\n";
  }
  *out += "</table>\n";
  if (diff.entries.size() > kHtmlMaxChanges) {
    *out += "<p class=\"note\">The first " + std::to_string(kHtmlMaxChanges) + " of " +
            std::to_string(diff.entries.size()) + " changed credentials; diff.jsonl has them all.</p>\n";
  }
}

}  // namespace

std::string SweepHtml(const SweepRun& run, const SweepDiff& diff, const std::vector<SweepRun>& history) {
  std::string out(kHead);
  Header(run, &out);
  Changes(diff, &out);
  Charts(run, &out);
  Trend(history, &out);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace credsweep::io
