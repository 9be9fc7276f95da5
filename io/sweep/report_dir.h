// The four files of a sweep's --report DIR (diff.jsonl, failures.csv,
// summary.json, report.html), each written under a temporary name and renamed
// into place by Commit, so that a failed or stopped run leaves the previous
// report whole.
#ifndef CREDSWEEP_IO_SWEEP_REPORT_DIR_H_
#define CREDSWEEP_IO_SWEEP_REPORT_DIR_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "io/output_file.h"
#include "io/sweep/sweep_diff.h"
#include "io/sweep/sweep_outcome.h"
#include "io/sweep/sweep_run.h"

namespace credsweep::io {

class SweepReportDir {
 public:
  static constexpr std::array<const char*, 4> kFileNames = {"diff.jsonl", "failures.csv", "summary.json",
                                                           "report.html"};

  // The paths of the four files in `dir`.
  static std::vector<std::string> Paths(const std::string& dir);
  // Creates `dir` (and its parents) when missing, and the four temporary files.
  // IoError / InvalidArgument naming the path that cannot be written.
  static Result<std::unique_ptr<SweepReportDir>> Create(const std::string& dir);

  // Writes the four files and renames them into place. `outcomes`: the run's, in
  // input order; `history`: stored runs, oldest first, ending with `run`.
  Status WriteAndCommit(const SweepRun& run, const SweepDiff& diff, const std::vector<SweepOutcome>& outcomes,
                        const std::vector<SweepRun>& history);

 private:
  explicit SweepReportDir(std::array<std::unique_ptr<OutputFile>, 4> files) : files_(std::move(files)) {}
  std::array<std::unique_ptr<OutputFile>, 4> files_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_REPORT_DIR_H_
