// The JSON Lines result object (docs/output-format.md), shared by `verify
// --format jsonl` and the HTTP server's POST /v1/verify.
#ifndef CREDSWEEP_IO_REPORT_RESULT_JSON_H_
#define CREDSWEEP_IO_REPORT_RESULT_JSON_H_

#include <string>
#include <string_view>

#include "engine/verification_result.h"

namespace credsweep::io {

// One result as one JSON line (with the trailing newline) appended to *out.
// `duplicate_of` is the source of an earlier record with the same credential id,
// or empty (written as null).
void AppendResultJson(const VerificationResult& r, bool verified, std::string* out,
                      std::string_view duplicate_of = {});

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_REPORT_RESULT_JSON_H_
