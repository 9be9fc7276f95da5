// credsweep verify INPUT... : the five checks over files, folders and stdin.
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>

#include "engine/pipeline.h"
#include "engine/verifier.h"
#include "io/cli/commands.h"
#include "io/cli/verifier_builder.h"
#include "io/record_reader.h"
#include "io/result_writer.h"
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
  int threads = 0;
  bool quiet = false;
  bool no_progress = false;
  std::string db;
};

long PeakRssKb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

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

int RunVerify(const VerifyArgs& a) {
  auto at = ParseTimeOption(a.at);
  if (!at) return UsageError("--at: '" + a.at + "' is not an RFC 3339 date-time with a time zone");
  auto report = ReportOptionsFor(a, *at);
  if (!report.ok()) return UsageError(report.status().message());
  io::ReaderOptions ro;
  ro.max_record_bytes = a.verifier.max_record_bytes;
  ro.max_document_bytes = std::max<size_t>(a.verifier.max_record_bytes, 64u << 20);
  auto reader = io::RecordReader::Open(a.inputs, ro);
  if (!reader.ok()) return UsageError(reader.status().message());
  auto writer = io::ResultWriter::Open(a.out, *report);
  if (!writer.ok()) return UsageError(writer.status().message());

  std::shared_ptr<storage::StatusIndex> index;
  if (!a.db.empty()) {
    // Read-only, except that --online refreshes the index's list cache when no
    // other process holds the index.
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
    if (!idx.ok()) return UsageError(idx.status().message());
    index = std::move(idx).value();
  }
  auto built = BuildVerifier(a.verifier, index, ListCacheLifetime::kOneRun);
  if (!built.ok()) return UsageError(built.status().message());
  const unsigned required = built->required;
  VerifierOptions vo = std::move(built->options);
  vo.at = *at;
  if (Status st = LoadTrustedServices(a.verifier, *at, &vo); !st.ok()) return UsageError(st.message());
  Verifier verifier(vo);

  io::Summary summary;
  if (vo.trust_any_configured_key) summary.warnings.push_back(kTrustAnyKeyWarning);
  if (vo.signing_time == SigningTimePolicy::kClaimed) {
    summary.warnings.push_back(
        "--signing-time claimed: expired seal certificates are accepted on the signing time the sealer claims, "
        "which no timestamp proves");
  }
  Status write_status;
  const bool progress = !a.no_progress && !a.quiet && isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  auto last_progress = start;
  PipelineOptions po;
  po.threads = CapThreads(a.threads, "-j");
  RunPipeline(
      verifier, [&](Record* r) { return (*reader)->Next(r); },
      [&](const Record&, VerificationResult&& result) {
        bool ok = result.verified(required);
        summary.Add(result, ok);
        if (write_status.ok()) write_status = (*writer)->Write(std::move(result), ok);
        if (progress && (summary.records & 255) == 0) {
          auto now = std::chrono::steady_clock::now();
          if (now - last_progress > std::chrono::milliseconds(250)) {
            last_progress = now;
            double s = std::chrono::duration<double>(now - start).count();
            std::fprintf(stderr, "\r%zu records, %zu verified, %.0f/s   ", summary.records,
                         summary.verified, summary.records / s);
          }
        }
      },
      po);
  if (progress) std::fprintf(stderr, "\r\033[K");
  if (Status s = (*writer)->Close(); write_status.ok()) write_status = s;
  if ((*writer)->duplicate_search_capped()) {
    summary.warnings.push_back("duplicate_of: more distinct credential ids than are remembered (" +
                               std::to_string(io::DuplicateIds::kDefaultMaxIds) +
                               "); later ids were not compared");
  }
  summary.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.peak_rss_kb = PeakRssKb();
  if (!write_status.ok()) return UsageError(write_status.message());
  if (!a.quiet) std::fputs(summary.ToText().c_str(), stderr);
  if (!a.summary.empty()) {
    std::ofstream out(a.summary, std::ios::binary);
    out << summary.ToJson();
    if (!out) return UsageError("cannot write summary " + a.summary);
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
  cmd->add_option("--out,-o", a->out, "Write the results here (default: stdout)");
  cmd->add_option("--format", a->format,
                  "jsonl, csv, elm (ELM VerificationCheck nodes), text (a table) or html (one page); "
                  "default: text when stdout is a terminal, else jsonl");
  cmd->add_option("--group-by", a->group_by,
                  "For text, csv and html: folder (the first folder level under the input: the applicant), "
                  "issuer or none; default: folder for html, else none");
  cmd->add_option("--summary", a->summary, "Also write the summary as JSON to this file");
  cmd->add_option("--threads,-j", a->threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--db", a->db, "Status index to consult for revocation (read-only)");
  cmd->add_flag("--quiet,-q", a->quiet, "No summary or progress on stderr");
  cmd->add_flag("--no-progress", a->no_progress, "No live progress line");
  cmd->callback([a, exit_code] { *exit_code = RunVerify(*a); });
}

}  // namespace credsweep::io::cli
