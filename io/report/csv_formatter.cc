// --format csv: RFC 4180 (CRLF line ends, one header row), UTF-8.
#include <vector>

#include "io/report/escaping.h"
#include "io/report/grouping.h"
#include "io/report/internal/formatters.h"

namespace credsweep::io::internal {
namespace {

void AppendHeader(bool grouped, std::string* out) {
  if (grouped) *out += "group,";
  *out += "source,kind,id,issuer,subject,title,awarding_body,issued,valid_until,verified";
  for (int i = 0; i < kCheckCount; ++i) {
    std::string_view name = CheckName(static_cast<CheckId>(i));
    *out += ",";
    *out += name;
    *out += "_result,";
    *out += name;
    *out += "_code";
  }
  *out += ",duplicate_of\r\n";
}

void AppendRow(const ReportRow& row, const std::string* group, std::string* out) {
  const VerificationResult& r = row.result;
  auto field = [out](std::string_view s, bool from_credential) {
    AppendCsvField(s, from_credential, out);
    out->push_back(',');
  };
  if (group) field(*group, true);
  field(r.source(), true);  // file names are the applicants' choice too
  field(ResultKindName(r.kind()), false);
  for (const std::string* s : {&r.id(), &r.issuer(), &r.subject(), &r.title(), &r.awarding_body()}) field(*s, true);
  field(r.issued() ? FormatUtc(*r.issued()) : "", false);
  field(r.valid_until() ? FormatUtc(*r.valid_until()) : "", false);
  field(row.verified ? "true" : "false", false);
  for (int i = 0; i < kCheckCount; ++i) {
    const CheckResult& c = r.check(static_cast<CheckId>(i));
    field(OutcomeName(c.outcome), false);
    field(c.code, false);
  }
  AppendCsvField(row.duplicate_of, true, out);
  *out += "\r\n";
}

class CsvFormatter : public ResultFormatter {
 public:
  explicit CsvFormatter(const ReportOptions& options) : options_(options) {}

  void Add(ReportRow&& row, std::string* out) override {
    if (options_.group_by != GroupBy::kNone) {
      held_.push_back(std::move(row));  // written by group at the end
      return;
    }
    if (!header_written_) AppendHeader(false, out);
    header_written_ = true;
    AppendRow(row, nullptr, out);
  }

  void Finish(std::string* out) override {
    if (options_.group_by == GroupBy::kNone) {
      if (!header_written_) AppendHeader(false, out);
      return;
    }
    AppendHeader(true, out);
    for (const Group& g : GroupRows(held_, options_.group_by, options_.inputs)) {
      for (const ReportRow* row : g.rows) AppendRow(*row, &g.name, out);
    }
  }

 private:
  ReportOptions options_;
  bool header_written_ = false;
  std::vector<ReportRow> held_;
};

}  // namespace

std::unique_ptr<ResultFormatter> MakeCsvFormatter(const ReportOptions& options) {
  return std::make_unique<CsvFormatter>(options);
}

}  // namespace credsweep::io::internal
