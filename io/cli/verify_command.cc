// credsweep verify INPUT... : the five checks over files, folders and stdin.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "io/cli/commands.h"
#include "io/cli/corpus_run.h"
#include "io/cli/verifier_builder.h"
#include "io/output_file.h"
#include "io/result_writer.h"
#include "io/shard.h"
#include "storage/status_index.h"

namespace credsweep::io::cli {
namespace {

struct VerifyArgs {
  std::vector<std::string> inputs;
  VerifierFlags verifier;  // shared with `serve`
  std::string at = "now";
  std::string out = "-";
  std::string format;    // empty: text on a terminal, else jsonl
  std::string group_by;  // empty: the format's default
  std::string summary;
  std::vector<std::string> exclude;
  std::string shard;  // --shard K/N
  int threads = 0;
  bool quiet = false;
  bool no_progress = false;
  std::string db;
};

// --format and --group-by, with their defaults: text when the results go to a
// terminal, else jsonl; folder for html, else none.
Result<io::ReportOptions> ReportOptionsFor(const VerifyArgs& a, UnixSeconds at) {
  io::ReportOptions o;
  if (a.format.empty()) {
    o.format = a.out == "-" && isatty(STDOUT_FILENO) ? io::ReportFormat::kText : io::ReportFormat::kJsonl;
  } else if (auto f = io::ParseReportFormat(a.format)) {
    o.format = *f;
  } else {
    return InvalidArgument("--format: unknown format '" + a.format + "' (jsonl, csv, elm, text, html)");
  }
  o.group_by = io::DefaultGroupBy(o.format);
  if (!a.group_by.empty()) {
    auto g = io::ParseGroupBy(a.group_by);
    if (!g) return InvalidArgument("--group-by: unknown grouping '" + a.group_by + "' (folder, issuer, none)");
    if (*g != io::GroupBy::kNone && !io::Groupable(o.format)) {
      return InvalidArgument("--group-by applies to text, csv and html, not to --format " +
                             std::string(io::ReportFormatName(o.format)));
    }
    o.group_by = *g;
  }
  o.inputs = a.inputs;
  o.checked_at = FormatUtc(at);
  return o;
}

// The status index verify consults (null without --db): read-only, except that
// --online refreshes the index's list cache when no other process holds the index.
Result<std::shared_ptr<storage::StatusIndex>> OpenIndex(const VerifyArgs& a) {
  if (a.db.empty()) return std::shared_ptr<storage::StatusIndex>();
  auto idx = storage::OpenForReading(a.db);
  if (idx.ok() && a.verifier.online) {
    idx->reset();
    auto writable = storage::StatusIndex::Open(a.db, {});
    if (writable.ok()) {
      idx = std::move(writable);
    } else {
      spdlog::warn("{}; fetched status lists will not be cached", writable.status().message());
      idx = storage::OpenForReading(a.db);
    }
  }
  if (!idx.ok()) return idx.status();
  return std::shared_ptr<storage::StatusIndex>(std::move(idx).value());
}

int RunVerify(const VerifyArgs& a) {
  auto at = ParseTimeOption(a.at);
  if (!at) return UsageError("--at: '" + a.at + "' is not an RFC 3339 date-time with a time zone");
  auto report = ReportOptionsFor(a, *at);
  if (!report.ok()) return UsageError(report.status().message());
  // Outputs are checked and created (under temporary names) before any work:
  // a run never destroys its input and never fails at the end for a bad path.
  if (Status s = io::CheckOutputsAgainstInputs({{"--out", a.out}, {"--summary", a.summary}}, a.inputs); !s.ok()) {
    return UsageError(s.message());
  }
  CorpusRunOptions co;
  co.inputs = a.inputs;
  co.exclude = a.exclude;
  if (!a.shard.empty()) {
    auto shard = io::ParseShard(a.shard);
    if (!shard.ok()) return UsageError(shard.status().message());
    co.shard = *shard;
  }
  for (const auto& path : {a.out, a.summary}) {
    if (!path.empty() && path != "-") co.own_outputs.push_back(path);
  }
  co.verifier = a.verifier;
  co.at = *at;
  co.threads = a.threads;
  co.progress = !a.no_progress && !a.quiet && isatty(STDERR_FILENO);
  auto index = OpenIndex(a);
  if (!index.ok()) return UsageError(index.status().message());
  co.index = *index;
  auto run = CorpusRun::Prepare(std::move(co));
  if (!run.ok()) return UsageError(run.status().message());
  auto writer = io::ResultWriter::Open(a.out, *report);
  if (!writer.ok()) return UsageError(writer.status().message());
  std::unique_ptr<io::OutputFile> summary_file;
  if (!a.summary.empty()) {
    auto f = io::OutputFile::Create(a.summary);
    if (!f.ok()) return UsageError("--summary: " + f.status().message());
    summary_file = std::move(f).value();
  }

  Status write_status = (*run)->Run(
      [&](VerificationResult&& result, bool ok, uint64_t) { return (*writer)->Write(std::move(result), ok); });
  io::Summary& summary = (*run)->summary();
  // Nothing is written: an empty result file would read as "all is well".
  if (std::string none = (*run)->NothingFoundMessage(); !none.empty()) return UsageError(none);
  if (Status s = (*writer)->Close(); write_status.ok()) write_status = s;
  if ((*writer)->duplicate_search_capped()) {
    summary.warnings.push_back("duplicate_of: more distinct credential ids than are remembered (" +
                               std::to_string(io::DuplicateIds::kDefaultMaxIds) +
                               "); later ids were not compared");
  }
  (*run)->Finish();
  if (!write_status.ok()) return UsageError(write_status.message());
  if (!a.quiet) std::fputs(summary.ToText().c_str(), stderr);
  if (summary_file) {
    Status s = summary_file->Write(summary.ToJson());
    if (s.ok()) s = summary_file->Commit();
    if (!s.ok()) return UsageError("--summary: " + s.message());
  }
  if (!summary.interrupted.empty()) {
    spdlog::warn("stopped by {} after {} records; the results and the summary hold those records only",
                 summary.interrupted, summary.records);
    return (*run)->stop_exit_status();
  }
  return summary.verified == summary.records ? 0 : 1;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand("verify", "Verify credentials: format, seal, revocation, accreditation, validity");
  cmd->add_option("inputs", a->inputs, "Files, directories (recursive) or - for stdin (JSON Lines)")->required();
  AddVerifierFlags(cmd, &a->verifier);
  cmd->add_option("--at", a->at, "Verification time, RFC 3339 (default: now)");
  cmd->add_option("--out,-o", a->out, "Write the results here (default: stdout); FILE.gz is written gzip-compressed");
  cmd->add_option("--format", a->format,
                  "jsonl, csv, elm (ELM VerificationCheck nodes), text (a table) or html (one page); "
                  "default: text when stdout is a terminal, else jsonl");
  cmd->add_option("--group-by", a->group_by,
                  "For text, csv and html: folder (the first folder level under the input: the applicant), "
                  "issuer or none; default: folder for html, else none");
  cmd->add_option("--summary", a->summary, "Also write the summary as JSON to this file (- for stdout)");
  cmd->add_option("--exclude", a->exclude,
                  "Do not read files or folders matching this glob inside input folders (repeatable; a glob "
                  "with / matches the path below the folder, any other the name)")
      ->allow_extra_args(false);
  cmd->add_option("--shard", a->shard,
                  "K/N: verify only part K of N of the records, a stable partition by a hash of each record's "
                  "source (give every part the same input paths)");
  cmd->add_option("--threads,-j", a->threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--db", a->db, "Status index to consult for revocation (read-only)");
  cmd->add_flag("--quiet,-q", a->quiet, "No summary or progress on stderr");
  cmd->add_flag("--no-progress", a->no_progress, "No live progress line");
  cmd->callback([a, exit_code] { *exit_code = RunVerify(*a); });
}

}  // namespace credsweep::io::cli
