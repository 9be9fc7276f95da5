#include "io/report/report_options.h"

#include <array>
#include <utility>

namespace credsweep::io {
namespace {

constexpr std::array<std::pair<std::string_view, ReportFormat>, 5> kFormats{{
    {"jsonl", ReportFormat::kJsonl},
    {"csv", ReportFormat::kCsv},
    {"elm", ReportFormat::kElm},
    {"text", ReportFormat::kText},
    {"html", ReportFormat::kHtml},
}};

}  // namespace

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  for (const auto& [n, f] : kFormats) {
    if (n == name) return f;
  }
  return std::nullopt;
}

std::string_view ReportFormatName(ReportFormat f) {
  for (const auto& [n, format] : kFormats) {
    if (format == f) return n;
  }
  return "?";
}

std::optional<GroupBy> ParseGroupBy(std::string_view name) {
  if (name == "none") return GroupBy::kNone;
  if (name == "folder") return GroupBy::kFolder;
  if (name == "issuer") return GroupBy::kIssuer;
  return std::nullopt;
}

bool Groupable(ReportFormat f) {
  return f == ReportFormat::kText || f == ReportFormat::kCsv || f == ReportFormat::kHtml;
}

GroupBy DefaultGroupBy(ReportFormat f) { return f == ReportFormat::kHtml ? GroupBy::kFolder : GroupBy::kNone; }

}  // namespace credsweep::io
