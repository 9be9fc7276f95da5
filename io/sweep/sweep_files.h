// The files a sweep writes into --report DIR, and its --metrics-file, as text
// (docs/sweep.md gives each format). Writing them to disk is the caller's
// (OutputFile: temporary file, then rename).
#ifndef CREDSWEEP_IO_SWEEP_SWEEP_FILES_H_
#define CREDSWEEP_IO_SWEEP_SWEEP_FILES_H_

#include <string>
#include <vector>

#include "io/sweep/sweep_diff.h"
#include "io/sweep/sweep_outcome.h"
#include "io/sweep/sweep_run.h"

namespace credsweep::io {

// diff.jsonl: one line per DiffEntry, in the diff's order.
std::string DiffJsonl(const SweepDiff& diff);

// failures.csv: RFC 4180 with CRLF, a header row, then one row per failing check
// of each credential of `outcomes` (and one row for a credential not verified
// without a failing check: a --require'd check skipped).
std::string FailuresCsv(const std::vector<SweepOutcome>& outcomes, const SweepDiff& diff);

// The Prometheus text exposition of `run` (node_exporter textfile collector).
std::string SweepMetrics(const SweepRun& run);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_SWEEP_FILES_H_
