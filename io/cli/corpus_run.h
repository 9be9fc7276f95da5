// One run of the five checks over a corpus (files, folders, stdin), shared by
// `verify` and `sweep`: the reader, the verifier built from the shared options,
// the oneTBB pipeline, the stop signals and the summary counts. Each command
// keeps what it does with the results (verify writes them in a report format,
// sweep stores and diffs them).
#ifndef CREDSWEEP_IO_CLI_CORPUS_RUN_H_
#define CREDSWEEP_IO_CLI_CORPUS_RUN_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/result.h"
#include "engine/verification_result.h"
#include "io/cli/stop_signals.h"
#include "io/cli/verifier_builder.h"
#include "io/record_reader.h"
#include "io/result_writer.h"
#include "io/shard.h"
#include "storage/status_index.h"

namespace credsweep::io::cli {

struct CorpusRunOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> exclude;      // --exclude globs
  std::vector<std::string> own_outputs;  // this run's output files: never read from an input folder
  Shard shard;                           // --shard K/N: only the records of this part are verified
  VerifierFlags verifier;
  std::shared_ptr<storage::StatusIndex> index;  // may be null
  // Answers revocation lookups in place of `index` (a sweep's snapshot of it,
  // StatusIndex::LoadSnapshot); null: `index` itself.
  std::shared_ptr<const StatusLookup> status_lookup;
  UnixSeconds at = 0;
  int threads = 0;        // 0: all cores
  bool progress = false;  // a live progress line on stderr
  // VerifierOptions::explain_passes: false for a caller that keeps codes only.
  bool explain_passes = true;
  // Installed by the caller before Prepare, so that a stop during its own set-up
  // counts too; null: Run installs one for the run alone. Must outlive Run.
  const StopSignals* stop = nullptr;
  // Readings kept between runs (a sweep's), given once the trust configuration is
  // loaded: `trusted_lists` names the EU trusted lists accepted at `at` ("" without
  // --trusted-lists), which the cache's namespace must cover. Null: no cache.
  std::function<Result<std::shared_ptr<const ReadingCache>>(const std::string& trusted_lists)> reading_cache;
};

// Receives each result, in input order, with its verdict under --require and its
// record's Record::position: a presentation's (ResultKind::kPresentation), then
// each of its credentials' (all with the presentation's position). An error stops
// further calls (the run still reads to the end) and is returned by Run.
using ResultSink = std::function<Status(VerificationResult&&, bool verified, uint64_t position)>;

class CorpusRun {
 public:
  // Opens the inputs and builds the verifier. InvalidArgument / IoError for a
  // missing input or a bad verifier option (the caller's usage error).
  static Result<std::unique_ptr<CorpusRun>> Prepare(CorpusRunOptions options);
  ~CorpusRun();

  // Verifies everything (until SIGINT/SIGTERM, which ends the reading: records
  // already read are still verified and given to `sink`). Fills summary() except
  // elapsed_seconds and peak_rss_kb, which Finish sets. Returns the sink's first
  // error. Call once.
  Status Run(const ResultSink& sink);
  // Sets the elapsed time and peak memory in summary().
  void Finish();

  io::Summary& summary() { return summary_; }
  // 128 + the signal that stopped the run (130, 143), or 0 after a complete run.
  int stop_exit_status() const { return stop_exit_status_; }
  // "no credentials found in ..." when the run read no record and was not
  // stopped (the command's exit 2), else empty.
  std::string NothingFoundMessage() const;

 private:
  struct Impl;
  explicit CorpusRun(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  io::Summary summary_;
  int stop_exit_status_ = 0;
};

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_CORPUS_RUN_H_
