// One record as the report writers see it: the verifier's result, the verdict
// under the run's --require, and the record it duplicates.
#ifndef CREDSWEEP_IO_REPORT_REPORT_ROW_H_
#define CREDSWEEP_IO_REPORT_REPORT_ROW_H_

#include <string>

#include "engine/verification_result.h"

namespace credsweep::io {

struct ReportRow {
  VerificationResult result;
  bool verified = false;
  // The source of the first record in this run with the same credential id, or
  // empty (docs/output-format.md, DuplicateIds).
  std::string duplicate_of;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_REPORT_REPORT_ROW_H_
