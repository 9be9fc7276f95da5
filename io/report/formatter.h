// Turns results into one report format (docs/output-format.md). The streaming
// formats (jsonl, elm, and csv without grouping) write each result as it comes;
// the others hold the rows and write them, grouped, at the end.
#ifndef CREDSWEEP_IO_REPORT_FORMATTER_H_
#define CREDSWEEP_IO_REPORT_FORMATTER_H_

#include <memory>
#include <string>

#include "io/report/report_options.h"
#include "io/report/report_row.h"

namespace credsweep::io {

// Not thread-safe: fed by the pipeline's serial output stage.
class ResultFormatter {
 public:
  virtual ~ResultFormatter() = default;
  // Appends what `row` adds to the output so far (possibly nothing) to *out.
  virtual void Add(ReportRow&& row, std::string* out) = 0;
  // Appends the rest (held rows, closing markup) to *out; called once, last.
  virtual void Finish(std::string* out) = 0;
};

std::unique_ptr<ResultFormatter> MakeFormatter(const ReportOptions& options);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_REPORT_FORMATTER_H_
