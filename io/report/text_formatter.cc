// --format text: an aligned table for a terminal, written once every result is in
// (column widths depend on all of them).
#include <algorithm>
#include <array>
#include <vector>

#include "io/report/escaping.h"
#include "io/report/grouping.h"
#include "io/report/internal/formatters.h"

namespace credsweep::io::internal {
namespace {

struct Column {
  std::string_view title;
  size_t max_chars;
};

// The last column (problems) is not padded or cut.
constexpr std::array<Column, 7> kColumns{{
    {"SOURCE", 40},
    {"SUBJECT", 24},
    {"TITLE", 40},
    {"AWARDING BODY", 28},
    {"ISSUED", 10},
    {"RESULT", 12},
    {"PROBLEMS", 0},
}};
using Cells = std::array<std::string, kColumns.size()>;

// Failed checks as "check: code"; for a record not verified with no failed check
// (a required check skipped, or the seal), its skipped checks; then the duplicate.
std::string Problems(const ReportRow& row) {
  std::string out;
  auto add = [&out](std::string_view text) {
    if (!out.empty()) out += "; ";
    out += text;
  };
  const VerificationResult& r = row.result;
  for (Outcome wanted : {Outcome::kFail, Outcome::kSkipped}) {
    if (wanted == Outcome::kSkipped && (row.verified || !out.empty())) break;
    for (int i = 0; i < kCheckCount; ++i) {
      const CheckResult& c = r.check(static_cast<CheckId>(i));
      if (c.outcome != wanted) continue;
      add(std::string(CheckName(static_cast<CheckId>(i))) + (wanted == Outcome::kSkipped ? " skipped: " : ": ") + c.code);
    }
  }
  if (!row.duplicate_of.empty()) add("duplicate of " + row.duplicate_of);
  return out;
}

Cells CellsOf(const ReportRow& row) {
  const VerificationResult& r = row.result;
  Cells cells{r.source(), r.subject(), r.title(), r.awarding_body(), DateOnly(r.issued()),
              row.verified ? "verified" : "NOT VERIFIED", Problems(row)};
  for (size_t i = 0; i < cells.size(); ++i) cells[i] = FitCell(cells[i], kColumns[i].max_chars, i == 0);
  return cells;
}

void AppendLine(const Cells& cells, const std::array<size_t, kColumns.size()>& widths, std::string* out) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i + 1 == cells.size()) break;
    line.append(widths[i] - CharCount(cells[i]) + 2, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  *out += line + "\n";
}

class TextFormatter : public ResultFormatter {
 public:
  explicit TextFormatter(const ReportOptions& options) : options_(options) {}

  void Add(ReportRow&& row, std::string*) override { held_.push_back(std::move(row)); }

  void Finish(std::string* out) override {
    std::vector<Group> groups = GroupRows(held_, options_.group_by, options_.inputs);
    std::vector<std::vector<Cells>> cells(groups.size());
    Cells header;
    std::array<size_t, kColumns.size()> widths{};
    for (size_t i = 0; i < kColumns.size(); ++i) {
      header[i] = std::string(kColumns[i].title);
      widths[i] = header[i].size();
    }
    for (size_t g = 0; g < groups.size(); ++g) {
      for (const ReportRow* row : groups[g].rows) {
        cells[g].push_back(CellsOf(*row));
        for (size_t i = 0; i < kColumns.size(); ++i) widths[i] = std::max(widths[i], CharCount(cells[g].back()[i]));
      }
    }
    const bool grouped = options_.group_by != GroupBy::kNone;
    if (!grouped) AppendLine(header, widths, out);
    for (size_t g = 0; g < groups.size(); ++g) {
      if (grouped) {
        size_t verified = std::count_if(groups[g].rows.begin(), groups[g].rows.end(),
                                        [](const ReportRow* r) { return r->verified; });
        if (g > 0) *out += "\n";
        *out += "== " + FitCell(groups[g].name, 80) + ": " + std::to_string(groups[g].rows.size()) +
                (groups[g].rows.size() == 1 ? " credential, " : " credentials, ") + std::to_string(verified) +
                " verified\n";
        AppendLine(header, widths, out);
      }
      for (const Cells& c : cells[g]) AppendLine(c, widths, out);
    }
  }

 private:
  ReportOptions options_;
  std::vector<ReportRow> held_;
};

}  // namespace

std::unique_ptr<ResultFormatter> MakeTextFormatter(const ReportOptions& options) {
  return std::make_unique<TextFormatter>(options);
}

}  // namespace credsweep::io::internal
