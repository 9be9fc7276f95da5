// Writes verification results in the report format chosen (docs/output-format.md)
// and keeps the counts for the summary.
#ifndef CREDSWEEP_IO_RESULT_WRITER_H_
#define CREDSWEEP_IO_RESULT_WRITER_H_

#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/result.h"
#include "engine/verification_result.h"
#include "io/report/duplicate_ids.h"
#include "io/report/formatter.h"
#include "io/report/report_options.h"

namespace credsweep::io {

struct Summary {
  size_t records = 0;
  size_t verified = 0;
  std::array<std::array<size_t, 3>, kCheckCount> outcomes{};  // [check][Outcome]
  std::map<std::string, size_t> failure_codes;                // "check:code" for fails
  double elapsed_seconds = 0;
  long peak_rss_kb = 0;
  // Policy loosenings in effect for the run (e.g. --signing-time claimed), shown
  // first in the text summary and as "warnings" in the JSON one.
  std::vector<std::string> warnings;

  void Add(const VerificationResult& r, bool verified);
  std::string ToJson() const;
  std::string ToText() const;  // the human summary printed on stderr
};

// Buffered output to a file or stdout, in one report format. Marks each record
// whose credential id an earlier record of the run had (duplicate_of). Not
// thread-safe: the pipeline's output stage is serial and in input order, which
// makes "earlier" the input order whatever the thread count.
class ResultWriter {
 public:
  // "-" is stdout.
  static Result<std::unique_ptr<ResultWriter>> Open(const std::string& path, const ReportOptions& options);
  ~ResultWriter();
  Status Write(VerificationResult&& r, bool verified);
  // Writes what the format held back (grouped and table formats), then flushes.
  Status Close();
  // True when the run had more distinct credential ids than duplicates are
  // looked for among (DuplicateIds).
  bool duplicate_search_capped() const { return duplicates_.capped(); }

 private:
  ResultWriter(std::FILE* f, bool owned, const ReportOptions& options)
      : f_(f), owned_(owned), formatter_(MakeFormatter(options)) {}
  Status Flush();
  std::FILE* f_;
  bool owned_;
  std::unique_ptr<ResultFormatter> formatter_;
  DuplicateIds duplicates_;
  std::string buffer_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_RESULT_WRITER_H_
