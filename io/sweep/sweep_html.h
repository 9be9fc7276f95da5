// report.html: one self-contained page (inline CSS and SVG; no script, no external
// resource, a Content-Security-Policy that forbids both) showing a sweep run:
// its counts, the changes since the previous run, and four charts: outcomes per
// check, per issuer, failure codes, and the trend over the stored runs.
// Every text from a credential goes through AppendHtmlEscaped.
#ifndef CREDSWEEP_IO_SWEEP_SWEEP_HTML_H_
#define CREDSWEEP_IO_SWEEP_SWEEP_HTML_H_

#include <string>
#include <vector>

#include "io/sweep/sweep_diff.h"
#include "io/sweep/sweep_run.h"

namespace credsweep::io {

// At most this many changed credentials are listed (all are in diff.jsonl), and
// this many bars drawn in the issuer and failure-code charts (the largest).
inline constexpr size_t kHtmlMaxChanges = 1000;
inline constexpr size_t kHtmlMaxBars = 20;
// The trend shows this many runs, the newest last.
inline constexpr size_t kTrendRuns = 30;

// `history`: stored runs, oldest first, ending with `run` (the last kTrendRuns
// are drawn).
std::string SweepHtml(const SweepRun& run, const SweepDiff& diff, const std::vector<SweepRun>& history);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_SWEEP_HTML_H_
