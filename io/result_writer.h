// Writes verification results in the report format chosen (docs/output-format.md)
// and keeps the counts for the summary.
#ifndef CREDSWEEP_IO_RESULT_WRITER_H_
#define CREDSWEEP_IO_RESULT_WRITER_H_

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/result.h"
#include "engine/verification_result.h"
#include "io/output_file.h"
#include "io/record_reader.h"
#include "io/report/duplicate_ids.h"
#include "io/report/formatter.h"
#include "io/report/report_options.h"

namespace credsweep::io {

struct Summary {
  size_t records = 0;  // credentials: records, and the credentials presentations enclose
  size_t verified = 0;
  size_t presentations = 0, presentations_verified = 0;  // presentation lines, counted apart
  std::array<std::array<size_t, 3>, kCheckCount> outcomes{};  // [check][Outcome]
  std::map<std::string, size_t> failure_codes;                // "check:code" for fails
  double elapsed_seconds = 0;
  long peak_rss_kb = 0;
  // Policy loosenings in effect for the run (e.g. --signing-time claimed), shown
  // first in the text summary and as "warnings" in the JSON one.
  std::vector<std::string> warnings;
  // Files of input folders that were not read (RecordReader::skipped()).
  std::vector<SkippedFile> skipped_files;
  // --shard K/N ("" for the whole corpus) and the records read that belong to
  // the other shards (not verified, not counted above).
  std::string shard;
  size_t outside_shard = 0;
  // Records read from the inputs, every shard's included (a presentation is one
  // record). Not written; a sweep stores it (SweepRun::records_read).
  uint64_t records_read = 0;
  // The signal that stopped the run early ("SIGTERM"); empty for a complete run.
  std::string interrupted;

  void Add(const VerificationResult& r, bool verified);
  std::string ToJson() const;
  std::string ToText() const;  // the human summary printed on stderr
};

// Buffered output to a file or stdout, in one report format, through an
// OutputFile: the file appears (or replaces the previous one) only at Close(). Marks each record
// whose credential id an earlier record of the run had (duplicate_of). Not
// thread-safe: the pipeline's output stage is serial and in input order, which
// makes "earlier" the input order whatever the thread count.
class ResultWriter {
 public:
  // "-" is stdout; a path ending in ".gz" is written gzip-compressed.
  static Result<std::unique_ptr<ResultWriter>> Open(const std::string& path, const ReportOptions& options);
  // Without Close(), nothing is written to the path.
  ~ResultWriter();
  Status Write(VerificationResult&& r, bool verified);
  // Writes what the format held back (grouped and table formats), then puts the
  // file in place.
  Status Close();
  // True when the run had more distinct credential ids than duplicates are
  // looked for among (DuplicateIds).
  bool duplicate_search_capped() const { return duplicates_.capped(); }

 private:
  ResultWriter(std::unique_ptr<OutputFile> file, const ReportOptions& options)
      : file_(std::move(file)), formatter_(MakeFormatter(options)) {}
  Status Flush();
  std::unique_ptr<OutputFile> file_;
  std::unique_ptr<ResultFormatter> formatter_;
  DuplicateIds duplicates_;
  std::string buffer_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_RESULT_WRITER_H_
