// How `credsweep verify` reports its results: the format and, for the formats
// people read, how results are grouped. docs/output-format.md describes each format.
#ifndef CREDSWEEP_IO_REPORT_REPORT_OPTIONS_H_
#define CREDSWEEP_IO_REPORT_REPORT_OPTIONS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace credsweep::io {

enum class ReportFormat {
  kJsonl,  // one JSON object per record (the machine format; streams)
  kCsv,    // RFC 4180, one header row, for spreadsheets
  kElm,    // JSON Lines of ELM VerificationCheck nodes (Europass check and status URIs)
  kText,   // an aligned table for a terminal
  kHtml,   // one self-contained page
};

enum class GroupBy {
  kNone,
  kFolder,  // the first path level under the input folder the record came from (the applicant)
  kIssuer,  // the issuer id
};

struct ReportOptions {
  ReportFormat format = ReportFormat::kJsonl;
  GroupBy group_by = GroupBy::kNone;
  // The inputs as given on the command line, for GroupBy::kFolder.
  std::vector<std::string> inputs;
  // The verification time as RFC 3339, shown by the text and HTML reports.
  std::string checked_at;
};

// "jsonl", "csv", "elm", "text", "html"; nullopt for anything else.
std::optional<ReportFormat> ParseReportFormat(std::string_view name);
// "none", "folder", "issuer"; nullopt for anything else.
std::optional<GroupBy> ParseGroupBy(std::string_view name);
std::string_view ReportFormatName(ReportFormat f);

// True for the formats --group-by applies to (text, csv, html).
bool Groupable(ReportFormat f);
// The grouping a format uses when --group-by is not given: folder for html
// (one section per applicant), none for the others.
GroupBy DefaultGroupBy(ReportFormat f);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_REPORT_REPORT_OPTIONS_H_
