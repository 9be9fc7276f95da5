// Writes verification results as JSON Lines (docs/output-format.md) and keeps the
// counts for the summary.
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

namespace credsweep::io {

// One result as one JSON line (with the trailing newline) appended to *out.
void AppendResultJson(const VerificationResult& r, bool verified, std::string* out);

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

// Buffered output to a file or stdout. Not thread-safe (the pipeline's output stage
// is serial).
class ResultWriter {
 public:
  // "-" is stdout.
  static Result<std::unique_ptr<ResultWriter>> Open(const std::string& path);
  ~ResultWriter();
  Status Write(const VerificationResult& r, bool verified);
  Status Close();

 private:
  ResultWriter(std::FILE* f, bool owned) : f_(f), owned_(owned) {}
  std::FILE* f_;
  bool owned_;
  std::string buffer_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_RESULT_WRITER_H_
