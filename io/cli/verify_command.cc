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
#include "io/record_reader.h"
#include "io/result_writer.h"
#include "io/cached_list_source.h"
#include "io/http_list_source.h"
#include "io/status_list_dir.h"
#include "io/trust/trust_folder.h"
#include "storage/status_index.h"

namespace credsweep::cli {
namespace {

struct VerifyArgs {
  std::vector<std::string> inputs;
  std::vector<std::string> jwks, ca;
  std::string at = "now";
  int64_t clock_skew = 60;
  std::string out = "-";
  std::string summary;
  int threads = 0;
  std::vector<std::string> require;
  size_t max_record_bytes = 8u << 20;
  size_t max_depth = 128;
  bool quiet = false;
  bool no_progress = false;
  std::string db;
  std::string status_lists;
  bool online = false;
  bool allow_private_addresses = false;
  int64_t fetch_timeout = 10;
  int64_t max_status_age = 86400;
  bool allow_unsigned_lists = false;
  size_t max_status_list_bytes = kDefaultMaxStatusListBytes;
  std::string signing_time = "proven";
  std::string require_seal_level = "any";
  std::string trusted_lists, lotl_certs;
};

long PeakRssKb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

int RunVerify(const VerifyArgs& a) {
  auto at = ParseTimeOption(a.at);
  if (!at) return UsageError("--at: '" + a.at + "' is not an RFC 3339 date-time with a time zone");
  unsigned required = 0;
  for (const auto& name : a.require) {
    bool known = false;
    for (int i = 0; i < kCheckCount; ++i) {
      if (CheckName(static_cast<CheckId>(i)) == name) {
        required |= 1u << i;
        known = true;
      }
    }
    if (!known) return UsageError("--require: unknown check '" + name + "'");
  }
  std::shared_ptr<KeySet> keys;
  std::shared_ptr<ChainValidator> anchors;
  if (Status s = LoadKeysAndAnchors(a.jwks, a.ca, &keys, &anchors); !s.ok()) return UsageError(s.message());
  io::ReaderOptions ro;
  ro.max_record_bytes = a.max_record_bytes;
  ro.max_document_bytes = std::max<size_t>(a.max_record_bytes, 64u << 20);
  auto reader = io::RecordReader::Open(a.inputs, ro);
  if (!reader.ok()) return UsageError(reader.status().message());
  auto writer = io::ResultWriter::Open(a.out);
  if (!writer.ok()) return UsageError(writer.status().message());

  VerifierOptions vo;
  vo.keys = keys;
  vo.anchors = anchors;
  vo.at = *at;
  vo.clock_skew_seconds = a.clock_skew;
  if (a.signing_time == "claimed") vo.signing_time = SigningTimePolicy::kClaimed;
  if (a.require_seal_level == "advanced") vo.min_seal_level = SealLevelRequirement::kAdvanced;
  if (a.require_seal_level == "qc") vo.min_seal_level = SealLevelRequirement::kQualified;
  if (a.require_seal_level == "qeseal") vo.min_seal_level = SealLevelRequirement::kQESeal;
  vo.max_record_bytes = a.max_record_bytes;
  vo.max_json_depth = a.max_depth;
  vo.max_status_list_bytes = a.max_status_list_bytes;
  vo.allow_unsigned_status_lists = a.allow_unsigned_lists;
  std::shared_ptr<storage::StatusIndex> index;
  if (!a.db.empty()) {
    // Read-only, except that --online refreshes the index's list cache when no
    // other process holds the index.
    auto idx = storage::OpenForReading(a.db);
    if (idx.ok() && a.online) {
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
    vo.status_index = index;
  }
  if (!a.status_lists.empty()) {
    auto dir = io::StatusListDirectory::Open(a.status_lists);
    if (!dir.ok()) return UsageError(dir.status().message());
    vo.status_lists = std::move(dir).value();
  }
  if (a.online) {
    io::HttpOptions ho;
    ho.timeout = std::chrono::seconds(a.fetch_timeout);
    ho.allow_private_addresses = a.allow_private_addresses;
    auto http = std::make_shared<io::HttpListSource>(ho);
    vo.status_lists = vo.status_lists ? std::make_shared<io::ChainedListSource>(vo.status_lists, http)
                                      : std::shared_ptr<const StatusListSource>(http);
  }
  if (index) {  // the index's list cache comes first
    vo.status_lists = std::make_shared<io::CachedListSource>(index, vo.status_lists, a.max_status_age, NowUtc());
  }
  if (!a.trusted_lists.empty()) {  // re-verified at the verification time; refused lists are warned about
    if (a.lotl_certs.empty()) return UsageError("--trusted-lists needs --lotl-certs");
    std::ifstream pem_in(a.lotl_certs, std::ios::binary);
    std::string pem((std::istreambuf_iterator<char>(pem_in)), std::istreambuf_iterator<char>());
    auto certs = io::CertificatesFromPem(pem);
    if (!certs.ok()) return UsageError("--lotl-certs " + a.lotl_certs + ": " + certs.status().message());
    auto loaded = io::LoadTrustedLists(a.trusted_lists, *certs, *at);
    if (!loaded.ok()) return UsageError("--trusted-lists " + a.trusted_lists + ": " + loaded.status().message());
    for (const auto& l : loaded->outcome.lists) {
      if (!l.accepted()) spdlog::warn("trusted list {} refused ({}): {}", l.name, io::ListVerdictCode(l.verdict), l.message);
    }
    vo.trusted_services = loaded->services;
  }
  Verifier verifier(vo);

  io::Summary summary;
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
        if (write_status.ok()) write_status = (*writer)->Write(result, ok);
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
  cmd->add_option("--jwks", a->jwks, "JWK Set file with issuer keys (repeatable)")
      ->check(CLI::ExistingFile)->allow_extra_args(false);
  cmd->add_option("--ca", a->ca, "PEM file of trust anchors for x5c chains (repeatable)")
      ->check(CLI::ExistingFile)->allow_extra_args(false);
  cmd->add_option("--at", a->at, "Verification time, RFC 3339 (default: now)");
  cmd->add_option("--clock-skew", a->clock_skew, "Tolerance in seconds for validity times (max 86400)")
      ->check(CLI::Range(0, 86400))->capture_default_str();
  cmd->add_option("--out,-o", a->out, "Write JSON Lines results here (default: stdout)");
  cmd->add_option("--summary", a->summary, "Also write the summary as JSON to this file");
  cmd->add_option("--threads,-j", a->threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--require", a->require, "Checks that must pass, not be skipped (e.g. revocation,accreditation)")
      ->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--max-record-bytes", a->max_record_bytes, "Largest record accepted")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 31))->capture_default_str();
  cmd->add_option("--max-depth", a->max_depth, "Deepest JSON nesting accepted")
      ->check(CLI::Range(size_t{8}, size_t{4096}))->capture_default_str();
  cmd->add_option("--db", a->db, "Status index to consult for revocation (read-only)");
  cmd->add_option("--status-lists", a->status_lists, "Folder of status list credentials with an index.json (offline)");
  cmd->add_flag("--online", a->online, "Fetch status lists over HTTP(S) (after --status-lists, if given)");
  cmd->add_flag("--allow-private-addresses", a->allow_private_addresses,
                "With --online: also fetch from loopback, private, link-local and other non-public addresses");
  cmd->add_option("--fetch-timeout", a->fetch_timeout,
                  "With --online: seconds one status list fetch may take, redirects included")
      ->check(CLI::Range(int64_t{1}, int64_t{300}))->capture_default_str();
  cmd->add_option("--max-status-age", a->max_status_age,
                  "Seconds a cached status list may be used before it is fetched again")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_flag("--allow-unsigned-status-lists", a->allow_unsigned_lists,
                "Accept status list credentials without a seal (test suites); a failing seal is never accepted");
  cmd->add_option("--max-status-list-bytes", a->max_status_list_bytes, "Largest decompressed status list")
      ->capture_default_str();
  cmd->add_option("--signing-time", a->signing_time,
                  "Signing time for X.509 seals whose certificate has expired since: proven (default; needs a "
                  "verified timestamp) or claimed (trust the sealer's sigT/iat, as verifiers without timestamps do)")
      ->check(CLI::IsMember({"proven", "claimed"}));
  cmd->add_option("--require-seal-level", a->require_seal_level,
                  "Least eIDAS seal level that passes: any (default), advanced (AdESeal: an X.509 seal anchored "
                  "by --ca or a trusted list), qc (a qualified certificate: AdESeal-QC), qeseal (QESeal)")
      ->check(CLI::IsMember({"any", "advanced", "qc", "qeseal"}));
  cmd->add_option("--trusted-lists", a->trusted_lists,
                  "Folder written by `trust update`: verified again, its CA/QC services give the seal level")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--lotl-certs", a->lotl_certs, "With --trusted-lists: PEM file of the LOTL signing certificates")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--quiet,-q", a->quiet, "No summary or progress on stderr");
  cmd->add_flag("--no-progress", a->no_progress, "No live progress line");
  cmd->callback([a, exit_code] { *exit_code = RunVerify(*a); });
}

}  // namespace credsweep::cli
