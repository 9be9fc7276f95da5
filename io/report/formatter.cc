#include "io/report/formatter.h"

#include "io/report/internal/formatters.h"

namespace credsweep::io {

std::unique_ptr<ResultFormatter> MakeFormatter(const ReportOptions& options) {
  switch (options.format) {
    case ReportFormat::kJsonl: return internal::MakeJsonlFormatter();
    case ReportFormat::kCsv: return internal::MakeCsvFormatter(options);
    case ReportFormat::kElm: return internal::MakeElmFormatter(options);
    case ReportFormat::kText: return internal::MakeTextFormatter(options);
    case ReportFormat::kHtml: return internal::MakeHtmlFormatter(options);
  }
  return internal::MakeJsonlFormatter();
}

namespace internal {

std::string DateOnly(const std::optional<UnixSeconds>& t) { return t ? FormatUtc(*t).substr(0, 10) : std::string(); }

}  // namespace internal
}  // namespace credsweep::io
