// One factory per format, each defined in its own file; MakeFormatter picks one.
#ifndef CREDSWEEP_IO_REPORT_INTERNAL_FORMATTERS_H_
#define CREDSWEEP_IO_REPORT_INTERNAL_FORMATTERS_H_

#include <memory>
#include <string>
#include <string_view>

#include "io/report/formatter.h"

namespace credsweep::io::internal {

std::unique_ptr<ResultFormatter> MakeJsonlFormatter();
std::unique_ptr<ResultFormatter> MakeCsvFormatter(const ReportOptions& options);
std::unique_ptr<ResultFormatter> MakeElmFormatter(const ReportOptions& options);
std::unique_ptr<ResultFormatter> MakeTextFormatter(const ReportOptions& options);
std::unique_ptr<ResultFormatter> MakeHtmlFormatter(const ReportOptions& options);

// "2025-01-01T00:00:00Z" -> "2025-01-01", for the tables people read; "" for none.
std::string DateOnly(const std::optional<UnixSeconds>& t);

}  // namespace credsweep::io::internal

#endif  // CREDSWEEP_IO_REPORT_INTERNAL_FORMATTERS_H_
