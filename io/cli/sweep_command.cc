// credsweep sweep INPUT... --db DIR: the auditor's nightly run. Verifies the corpus
// as `verify` does, stores the run in the status index, diffs it against the
// previous run and writes the report folder (docs/sweep.md). Also `sweep history`
// (the stored runs) and `sweep show RUN` (a stored run's report again).
#include <elf.h>
#include <link.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <memory>
#include <unordered_set>

#include "engine/json_writer.h"
#include "io/cli/argument_check.h"
#include "io/cli/commands.h"
#include "io/cli/corpus_run.h"
#include "io/cli/stop_signals.h"
#include "io/cli/verifier_builder.h"
#include "io/cli/version.h"
#include "io/output_file.h"
#include "io/shard.h"
#include "engine/encoding.h"
#include "engine/sha256.h"
#include "io/sweep/prefault.h"
#include "io/sweep/reading_cache.h"
#include "io/sweep/report_dir.h"
#include "io/sweep/sweep_diff.h"
#include "io/sweep/sweep_files.h"
#include "io/sweep/sweep_lock.h"
#include "io/sweep/sweep_merge.h"
#include "io/sweep/sweep_store.h"
#include "io/sweep/trust_digest.h"
#include "storage/status_index.h"

namespace credsweep::io::cli {
namespace {

struct SweepArgs {
  std::vector<std::string> inputs;
  VerifierFlags verifier;
  std::string at = "now";
  std::string db;
  std::string status_db;  // --status-db: the index consulted for revocation, when not --db
  std::string report;
  std::string metrics_file;
  std::string fail_on = "new-failures";
  int64_t expiring_within = 30;
  size_t keep_runs = 0;  // 0: keep all
  std::vector<std::string> exclude;
  std::string shard;  // --shard K/N
  int threads = 0;
  bool quiet = false;
  bool no_progress = false;
  bool full = false;  // --full: every record read and sealed again, none from the reading cache
};

// The options a run records (summary.json "options").
std::string OptionsJson(const SweepArgs& a) {
  std::string out;
  JsonWriter w(&out);
  auto list = [&](std::string_view key, const std::vector<std::string>& values) {
    w.Key(key).BeginArray();
    for (const auto& v : values) w.String(v);
    w.EndArray();
  };
  const VerifierFlags& f = a.verifier;
  w.BeginObject();
  list("inputs", a.inputs);
  w.Member("at", a.at).Member("expiring_within_days", a.expiring_within).Member("fail_on", a.fail_on);
  list("exclude", a.exclude);
  w.Member("shard", a.shard);
  list("require", f.require);
  list("jwks", f.jwks);
  list("ca", f.ca);
  list("tsa_ca", f.tsa_ca);
  w.Member("trust", f.trust).Member("trusted_lists", f.trusted_lists).Member("lotl_certs", f.lotl_certs);
  w.Member("accreditations", f.accreditations).Member("ebsi_tir", f.ebsi_tir).Member("status_lists", f.status_lists);
  w.Member("did_documents", f.did_documents).Member("online", f.online);
  w.Member("signing_time", f.signing_time).Member("require_seal_level", f.require_seal_level);
  w.Member("profile", f.profile).Member("clock_skew", f.clock_skew);
  w.Member("trust_any_configured_key", f.trust_any_configured_key);
  w.Member("max_status_age", f.max_status_age).Member("status_db", a.status_db);
  // Everything else that can change an outcome: parts of a sharded sweep must agree on it.
  w.Member("certificate_status", f.certificate_status).Member("crls", f.crls);
  w.Member("holder_binding", f.holder_binding).Member("kb_max_age", f.kb_max_age);
  w.Member("audience", f.audience).Member("nonce", f.nonce).Member("nonces", f.nonces_file);
  w.Member("max_record_bytes", uint64_t{f.max_record_bytes}).Member("max_depth", uint64_t{f.max_depth});
  w.Member("allow_unsigned_status_lists", f.allow_unsigned_lists);
  w.Member("max_status_list_bytes", uint64_t{f.max_status_list_bytes});
  w.Member("max_key_document_age", f.max_key_document_age);
  w.Member("max_accreditation_age", f.max_accreditation_age);
  w.Member("fetch_timeout", f.fetch_timeout).Member("allow_private_addresses", f.allow_private_addresses);
  w.EndObject();
  return out;
}

// `kept`: the digest a kept reading's namespace covers, which leaves out the
// trusted-list folder's index.json (rewritten with a new "updated" time by every
// `trust update`; the lists themselves, and which of them are accepted, count).
Result<TrustDigests> TrustDigestOf(const VerifierFlags& f) {
  std::vector<std::pair<std::string, std::string>> paths;
  for (const auto& j : f.jwks) {
    // ISSUER=FILE (as LoadKeysAndAnchors reads it): the binding is a setting, the file a file.
    size_t eq = j.find('=');
    const bool bound = eq != std::string::npos && j.substr(0, eq).find(':') != std::string::npos;
    paths.emplace_back(bound ? "--jwks " + j.substr(0, eq) : "--jwks", bound ? j.substr(eq + 1) : j);
  }
  for (const auto& c : f.ca) paths.emplace_back("--ca", c);
  for (const auto& c : f.tsa_ca) paths.emplace_back("--tsa-ca", c);
  paths.emplace_back("--trust", f.trust);
  paths.emplace_back("--trusted-lists", f.trusted_lists);
  paths.emplace_back("--lotl-certs", f.lotl_certs);
  paths.emplace_back("--accreditations", f.accreditations);
  paths.emplace_back("--did-documents", f.did_documents);
  return TrustDigest(paths, {{"--signing-time", f.signing_time},
                             {"--require-seal-level", f.require_seal_level},
                             {"--profile", f.profile},
                             {"--clock-skew", std::to_string(f.clock_skew)},
                             {"--trust-any-configured-key", f.trust_any_configured_key ? "true" : "false"},
                             {"--online", f.online ? "true" : "false"}},
                     [](const std::string& option, const std::string& relative) {
                       return option == "--trusted-lists" && relative == "index.json";
                     });
}

// The GNU build ID (a digest of the object's contents, written by the linker) of
// one loaded object, or empty when it has none.
std::string NoteBuildId(const dl_phdr_info* info) {
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const size_t align = ph.p_align == 8 ? 8 : 4;
    auto padded = [align](size_t n) { return (n + align - 1) & ~(align - 1); };
    const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
    size_t left = ph.p_memsz;
    while (left >= sizeof(ElfW(Nhdr))) {
      const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(p);
      const size_t name_size = padded(note->n_namesz), desc_size = padded(note->n_descsz);
      if (name_size > left - sizeof(ElfW(Nhdr)) || desc_size > left - sizeof(ElfW(Nhdr)) - name_size) break;
      const char* name = p + sizeof(ElfW(Nhdr));
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        return std::string(name + name_size, note->n_descsz);
      }
      const size_t step = sizeof(ElfW(Nhdr)) + name_size + desc_size;
      p += step;
      left -= step;
    }
  }
  return {};
}

// The build IDs of this executable and of the shared libraries that judge seals
// (an OpenSSL or libsodium update can change a verdict): "exe=HEX lib...=HEX ...",
// or empty when the executable has none.
std::string LoadedBuildIds() {
  struct Walk {
    bool first = true;
    std::string ids;
  } walk;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) -> int {
        auto* w = static_cast<Walk*>(data);
        const bool exe = w->first;
        w->first = false;
        std::string name = exe ? "exe" : std::filesystem::path(info->dlpi_name ? info->dlpi_name : "").filename().string();
        static constexpr std::string_view kJudges[] = {"libcrypto.", "libssl.", "libsodium.", "libsimdjson.",
                                                        "libxmlsec1", "libxml2."};
        const bool judges = exe || std::any_of(std::begin(kJudges), std::end(kJudges),
                                               [&](std::string_view prefix) { return name.starts_with(prefix); });
        if (!judges) return 0;
        std::string id = NoteBuildId(info);
        if (exe && id.empty()) return 1;  // no build IDs: the caller hashes the executable
        w->ids += (w->ids.empty() ? "" : " ") + name + "=" + (id.empty() ? "none" : HexEncode(id));
        return 0;
      },
      &walk);
  return walk.ids;
}

// What identifies the running build: another build, or another OpenSSL, may judge
// seals otherwise, so readings kept by one are not used by another. The linker's
// build IDs when the executable has one; else the SHA-256 of the executable;
// unreadable: a value of this process alone (nothing kept is used).
std::string BuildDigest() {
  static const std::string digest = [] {
    if (std::string ids = LoadedBuildIds(); !ids.empty()) return "gnu-build-ids " + ids;
    std::ifstream in("/proc/self/exe", std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in.good() && !in.eof()) return "unreadable " + std::to_string(getpid()) + " " + std::to_string(NowUtc());
    return "sha256 " + HexEncode(Sha256(bytes.str()));
  }();
  return digest;
}

// The previous run and its outcomes (none for the first run).
struct Previous {
  std::optional<SweepRun> run;
  std::vector<SweepOutcome> outcomes;
  std::optional<ExpiryWindow> window() const {
    if (!run) return std::nullopt;
    return ExpiryWindow{run->at, run->expiring_within_days};
  }
};

Result<Previous> LoadPrevious(const SweepStore& store, std::optional<uint64_t> id) {
  Previous p;
  if (!id) return p;
  auto run = store.LoadRun(*id);
  if (!run.ok()) return run.status();
  if (!*run) return p;  // pruned: diffed as a first run
  p.run = std::move(*run);
  Status st = store.ForEachOutcome(*id, [&](SweepOutcome&& o) { p.outcomes.push_back(std::move(o)); });
  if (!st.ok()) return st;
  return p;
}

// The last stored run of the same shard ("" the whole corpus), if any: a shard
// is compared with itself, never with the whole corpus or another shard.
Result<std::optional<uint64_t>> LastRunId(const SweepStore& store, const std::string& shard) {
  auto runs = store.ListRuns();
  if (!runs.ok()) return runs.status();
  std::optional<uint64_t> last;
  for (const auto& r : *runs) {
    if (r.shard == shard) last = r.id;
  }
  return last;
}

// Stored runs of the same shard up to and including `last`, oldest first.
Result<std::vector<SweepRun>> HistoryUpTo(const SweepStore& store, uint64_t last, const std::string& shard) {
  auto runs = store.ListRuns();
  if (!runs.ok()) return runs.status();
  std::vector<SweepRun> out;
  for (auto& r : *runs) {
    if (r.id <= last && r.shard == shard) out.push_back(std::move(r));
  }
  return out;
}

int ExitStatusFor(const std::string& fail_on, const SweepRun& run) {
  if (fail_on == "never") return 0;
  if (fail_on == "any-failure") return run.verified == run.records ? 0 : 1;
  return run.new_failures > 0 ? 1 : 0;
}

std::string ChangesLine(const SweepRun& run) {
  std::string line = "changes since run " + (run.previous ? std::to_string(*run.previous) : std::string("(none)")) + ":";
  for (int k = 0; k < kChangeKindCount; ++k) {
    line += " " + std::to_string(run.changes[k]) + " " + std::string(ChangeKindName(static_cast<ChangeKind>(k))) + ",";
  }
  line.back() = '\n';
  return line;
}

// Opens the index for writing under the sweep lock. *lock holds the lock.
Result<std::shared_ptr<storage::StatusIndex>> LockAndOpen(const std::string& db, std::unique_ptr<SweepLock>* lock) {
  // No lock file is left in a directory that is not an index (an empty one would
  // then no longer be empty for `init`).
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(db) / "CURRENT", ec)) {
    auto idx = storage::OpenForWriting(db);  // its message for a missing or foreign index
    if (!idx.ok()) return idx.status();
    return NotFound("no status index at " + db);
  }
  auto l = SweepLock::Acquire(db);
  if (!l.ok()) return l.status();
  *lock = std::move(l).value();
  // A sweep reads its kept readings once each, in key order: a small block cache
  // holds the few blocks in use, and memory is not spent on blocks read before.
  storage::OpenOptions options;
  options.block_cache_bytes = 64u << 20;
  auto idx = storage::StatusIndex::Open(db, options);
  if (!idx.ok()) return idx.status();
  return std::shared_ptr<storage::StatusIndex>(std::move(idx).value());
}

// Writes the metrics file (temporary file, then rename).
Status WriteMetrics(const std::string& path, const SweepRun& run) {
  auto f = OutputFile::Create(path);
  if (!f.ok()) return f.status();
  Status s = (*f)->Write(SweepMetrics(run));
  return s.ok() ? (*f)->Commit() : s;
}

// One sweep run, in the order it happens: Prepare (everything that can fail
// before the work: outputs, the lock, the index, the previous run), Verify,
// then Store and Write. Each step returns a Status; the caller turns an error
// into exit 2.
class NightlySweep {
 public:
  explicit NightlySweep(const SweepArgs& a) : a_(a) {}
  // The thread that loads last night's outcomes goes on to members declared after
  // its future (UseSlack): it is stopped and waited for before they go.
  ~NightlySweep() {
    EndSlack();
    if (previous_outcomes_.valid()) previous_outcomes_.wait();
  }
  NightlySweep(const NightlySweep&) = delete;
  NightlySweep& operator=(const NightlySweep&) = delete;

  Status Prepare() {
    if (a_.inputs.empty()) return InvalidArgument("sweep: no INPUT given (credsweep sweep INPUT... --db DIR --report DIR)");
    std::error_code ec;
    if (a_.inputs.size() == 1 && !std::filesystem::exists(a_.inputs[0], ec)) {
      // `sweep histroy`: a mistyped subcommand reads as an input.
      if (std::string hint = DidYouMean(a_.inputs[0], {"history", "show", "merge"}); !hint.empty()) {
        return InvalidArgument("sweep: no input '" + a_.inputs[0] + "'" + hint);
      }
    }
    auto at = ParseTimeOption(a_.at);
    if (!at) return InvalidArgument("--at: '" + a_.at + "' is not an RFC 3339 date-time with a time zone");
    run_.started = NowUtc();
    run_.at = *at;
    if (!a_.shard.empty()) {
      auto shard = ParseShard(a_.shard);
      if (!shard.ok()) return shard.status();
      // "now" differs from machine to machine; the merge takes parts of one time.
      if (a_.at == "now") return InvalidArgument("--shard needs --at TIME, the same for every part");
      shard_ = *shard;
      run_.shard = shard_.ToString();
    }
    if (!a_.report.empty()) {
      for (const auto& p : SweepReportDir::Paths(a_.report)) outputs_.emplace_back("--report", p);
    }
    outputs_.emplace_back("--metrics-file", a_.metrics_file);
    // Outputs never overwrite inputs, and are checked before any work.
    if (Status s = CheckOutputsAgainstInputs(outputs_, a_.inputs); !s.ok()) return s;
    auto digests = TrustDigestOf(a_.verifier);
    if (!digests.ok()) return digests.status();
    run_.trust_digest = digests->whole;
    readings_trust_digest_ = digests->kept;
    // From here on a stop request is a clean stop: the run is not stored.
    stop_ = std::make_unique<StopSignals>();
    auto index = LockAndOpen(a_.db, &lock_);
    if (!index.ok()) return index.status();
    index_ = *index;
    store_ = std::make_unique<SweepStore>(index_.get());
    if (Status s = OpenStatusDb(); !s.ok()) return s;
    if (Status s = LoadPreviousRun(/*verify_tonight=*/true); !s.ok()) return s;
    if (Status s = PrepareCorpus(); !s.ok()) return s;
    return CreateOutputs();
  }

  // Verifies the corpus, keeping each credential's outcome.
  Status Verify() {
    // The thread that loaded last night's outcomes may have made the key table
    // and backed the first of tonight's outcomes meanwhile (UseSlack): it stops now.
    // (Tonight's outcomes were reserved with the previous run: LoadPreviousRun.)
    EndSlack();
    if (!keys_) keys_ = std::make_unique<SweepKeys>(&outcomes_, ExpectedOutcomes());
    SweepKeys& keys = *keys_;
    Status s = corpus_->Run([&](VerificationResult&& r, bool ok, uint64_t position) {
      // A presentation's own line is no credential of the alliance's: its
      // credentials follow as lines of their own.
      if (r.kind() == ResultKind::kPresentation) return Status::Ok();
      run_.Add(r, ok);
      outcomes_.push_back(MakeSweepOutcome(r, ok, r.id(), position));
      // A repeated id (the same credential handed in twice) is told apart by its source.
      keys.Appended();
      return Status::Ok();
    });
    keys.KeyTheRest();
    run_.warnings = summary().warnings;
    run_.records_read = summary().records_read;
    run_.skipped_files = summary().skipped_files;
    return s;
  }

  // In place of Prepare and Verify: the parts of a sharded sweep stored in the
  // indexes `from` (which may include --db) become this run.
  Status PrepareMerge(const std::vector<std::string>& from) {
    if (!a_.report.empty()) {
      for (const auto& p : SweepReportDir::Paths(a_.report)) outputs_.emplace_back("--report", p);
    }
    outputs_.emplace_back("--metrics-file", a_.metrics_file);
    auto index = LockAndOpen(a_.db, &lock_);
    if (!index.ok()) return index.status();
    index_ = *index;
    store_ = std::make_unique<SweepStore>(index_.get());
    // The parts' runs and outcomes, from each index (--db's own through its store).
    std::vector<std::unique_ptr<storage::StatusIndex>> readers;
    std::vector<std::unique_ptr<SweepStore>> stores;
    std::vector<std::pair<SweepRun, const SweepStore*>> runs;
    std::error_code ec;
    for (const std::string& dir : from) {
      const SweepStore* store = store_.get();
      if (!std::filesystem::equivalent(dir, a_.db, ec)) {
        auto reader = storage::OpenForReading(dir);
        if (!reader.ok()) return Status(reader.status().code(), "--from: " + reader.status().message());
        readers.push_back(std::move(reader).value());
        stores.push_back(std::make_unique<SweepStore>(readers.back().get()));
        store = stores.back().get();
      }
      auto listed = store->ListRuns();
      if (!listed.ok()) return Status(listed.status().code(), dir + ": " + listed.status().message());
      for (auto& r : *listed) runs.emplace_back(std::move(r), store);
    }
    std::vector<const SweepRun*> candidates;
    for (const auto& [r, store] : runs) candidates.push_back(&r);
    auto chosen = ChooseShardParts(candidates);
    if (!chosen.ok()) return Status(chosen.status().code(), "sweep merge: " + chosen.status().message());
    std::vector<ShardPart> parts;
    for (const SweepRun* r : *chosen) {
      const SweepStore* store = nullptr;
      for (const auto& [run, s] : runs) {
        if (&run == r) store = s;
      }
      ShardPart& part = parts.emplace_back();
      part.run = *r;
      Status st = store->ForEachOutcome(r->id, [&](SweepOutcome&& o) { part.outcomes.push_back(std::move(o)); });
      if (!st.ok()) return st;
    }
    auto merged = MergeShardParts(std::move(parts), a_.fail_on);
    if (!merged.ok()) return Status(merged.status().code(), "sweep merge: " + merged.status().message());
    merged_parts_ = chosen->size();
    run_ = std::move(merged->run);
    outcomes_ = std::move(merged->outcomes);
    const SweepRun kept = run_;
    if (Status s = LoadPreviousRun(/*verify_tonight=*/false); !s.ok()) return s;
    // Parts merged before (a second merge of one night) would make a second run of that night.
    if (previous_.run && previous_.run->at >= kept.at) {
      return InvalidArgument("sweep merge: the newest parts, verified at " + FormatUtc(kept.at) +
                             ", are not newer than run " + std::to_string(previous_.run->id) + " (at " +
                             FormatUtc(previous_.run->at) + "), the last whole run in " + a_.db +
                             ": they were merged already, or the parts of a later night are still missing");
    }
    run_.started = kept.started;
    run_.version = kept.version;  // the parts' (they agree)
    run_.expiring_within_days = kept.expiring_within_days;
    run_.options_json = kept.options_json;
    return CreateOutputs();
  }

  const io::Summary& summary() const { return corpus_->summary(); }
  int stop_exit_status() const { return corpus_->stop_exit_status(); }
  std::string NothingFoundMessage() const { return corpus_->NothingFoundMessage(); }

  // Compares with the previous run and stores this one (then prunes). Only for a
  // complete run that read something: a run cut short, or one that found nothing
  // (an unmounted corpus), leaves the kept readings alone.
  Status Store() {
    // The outcomes are final: written beside the diff, which the run record waits for.
    std::future<Status> outcomes_saved =
        std::async(std::launch::async, [this] { return store_->SaveOutcomes(run_.id, outcomes_); });
    Status saved = DiffAndStore(outcomes_saved);
    if (outcomes_saved.valid()) outcomes_saved.wait();  // an early return must not leave it writing
    return saved;
  }

  // Store's own steps, while `outcomes_saved` writes the outcomes.
  Status DiffAndStore(std::future<Status>& outcomes_saved) {
    if (reading_cache_) {
      // A part reads only its records: the others' readings stay.
      if (Status c = reading_cache_->Finish(shard_.whole()); !c.ok()) {
        spdlog::warn("{}; the next sweep verifies more seals", c.message());
      } else if (Status k = reading_cache_->CompactIfRewritten(); !k.ok()) {
        spdlog::warn("{}; the next sweep reads them more slowly", k.message());
      }
    }
    if (previous_outcomes_.valid()) {
      // Read beside the verification (LoadPreviousRun).
      Status loaded = previous_outcomes_.get();
      if (!loaded.ok()) return loaded;
    }
    diff_ = DiffRuns(previous_.outcomes, previous_.window(), outcomes_,
                     ExpiryWindow{run_.at, run_.expiring_within_days});
    run_.changes = diff_.counts;
    run_.new_failures = diff_.new_failures;
    run_.exit_status = ExitStatusFor(a_.fail_on, run_);
    run_.finished = NowUtc();
    Status saved = outcomes_saved.get();
    if (saved.ok()) saved = store_->SaveRunRecord(run_);
    if (!saved.ok()) return Status(saved.code(), "storing the run: " + saved.message());
    if (a_.keep_runs == 0) return Status::Ok();
    size_t removed = 0;
    if (Status s = store_->Prune(a_.keep_runs, &removed); !s.ok()) return Status(s.code(), "--keep-runs: " + s.message());
    if (removed > 0) spdlog::info("--keep-runs {}: removed {} old run(s)", a_.keep_runs, removed);
    return Status::Ok();
  }

  // The report folder and the metrics file.
  Status Write() {
    if (report_) {
      auto history = HistoryUpTo(*store_, run_.id, run_.shard);
      if (!history.ok()) return history.status();
      if (Status s = report_->WriteAndCommit(run_, diff_, outcomes_, *history); !s.ok()) {
        return Status(s.code(), "--report: " + s.message());
      }
    }
    if (a_.metrics_file.empty()) return Status::Ok();
    Status s = WriteMetrics(a_.metrics_file, run_);
    return s.ok() ? s : Status(s.code(), "--metrics-file: " + s.message());
  }

  void PrintSummary() {
    if (corpus_) corpus_->Finish();
    if (a_.quiet) return;
    if (corpus_) std::fputs(summary().ToText().c_str(), stderr);
    std::fprintf(stderr, "sweep run %llu stored%s: %llu records, %llu verified; %llu new failure(s)\n",
                 static_cast<unsigned long long>(run_.id),
                 merged_parts_ ? (" (merged from " + std::to_string(merged_parts_) + " parts)").c_str() : "",
                 static_cast<unsigned long long>(run_.records), static_cast<unsigned long long>(run_.verified),
                 static_cast<unsigned long long>(run_.new_failures));
    std::fputs(ChangesLine(run_).c_str(), stderr);
    if (reading_cache_) {
      std::fprintf(stderr,
                   "incremental: %llu record(s) read and sealed in an earlier run, %llu verified in full%s; %llu "
                   "reading(s) kept for the next run\n",
                   static_cast<unsigned long long>(reading_cache_->reused()),
                   static_cast<unsigned long long>(run_.records - std::min(run_.records, reading_cache_->reused())),
                   a_.full ? " (--full)" : "", static_cast<unsigned long long>(reading_cache_->entries()));
    }
  }

  int exit_status() const { return run_.exit_status; }

 private:
  // The previous run's record now; its outcomes, which only the diff reads, on
  // another thread while this run verifies (Store waits for them). When this run
  // verifies (a merge does not), that thread then goes on to UseSlack.
  Status LoadPreviousRun(bool verify_tonight) {
    auto last = LastRunId(*store_, run_.shard);
    if (!last.ok()) return last.status();
    if (*last) {
      auto run = store_->LoadRun(**last);
      if (!run.ok()) return run.status();
      previous_.run = std::move(*run);  // none when pruned: diffed as a first run
    }
    if (previous_.run) {
      run_.previous = previous_.run->id;
      previous_.outcomes.reserve(previous_.run->records);
      // A merge has tonight's outcomes already, and verifies nothing.
      if (verify_tonight) outcomes_.reserve(ExpectedOutcomes());  // address space, backed as written
      previous_outcomes_ = std::async(std::launch::async, [this, verify_tonight, id = previous_.run->id] {
        Status s = store_->ForEachOutcome(id, [this](SweepOutcome&& o) { previous_.outcomes.push_back(std::move(o)); });
        if (verify_tonight) UseSlack();
        return s;
      });
    }
    auto id = store_->NextRunId();
    if (!id.ok()) return id.status();
    run_.id = *id;
    run_.expiring_within_days = a_.expiring_within;
    run_.version = kVersion;
    run_.options_json = OptionsJson(a_);
    run_.fail_on = a_.fail_on;
    return Status::Ok();
  }

  // Tonight's outcomes and key table are sized for the previous run's count and
  // a sixteenth more, up to 2^24 records (beyond that they grow as they fill: a
  // damaged count reserves no more).
  size_t ExpectedOutcomes() const {
    const uint64_t expected = std::min<uint64_t>(previous_.run ? previous_.run->records : 0, SweepKeys::kMaxExpected);
    return static_cast<size_t>(expected + expected / 16);
  }

  // Run by the thread that loaded last night's outcomes, when it is done: while
  // the status index is still being read into memory (PrepareCorpus; a million
  // records take most of a second), it makes tonight's key table and backs
  // tonight's outcomes with memory ahead of their first write, until Verify
  // begins (EndSlack). The first write to a fresh page is what costs: on this
  // project's 2-core VMs about 3 ms a MB, inside the verification otherwise.
  // Only the previous run's count is backed, not the headroom past it (nor more
  // than kMaxSlackBytes, should that count be damaged).
  static constexpr size_t kMaxSlackBytes = size_t{1} << 30;
  void UseSlack() noexcept {
    Slack idle = Slack::kIdle;
    if (!slack_.compare_exchange_strong(idle, Slack::kBusy)) return;  // Verify has begun
    try {
      keys_ = std::make_unique<SweepKeys>(&outcomes_, ExpectedOutcomes());
      const size_t count = std::min<size_t>(outcomes_.capacity(), previous_.run ? previous_.run->records : 0);
      PrefaultWritable(outcomes_.data(), std::min(count * sizeof(SweepOutcome), kMaxSlackBytes), slack_over_);
    } catch (...) {
      // Only a head start: Verify makes the table itself (keys_ is null or whole).
    }
    slack_.store(Slack::kDone);
    slack_.notify_all();
  }
  // Stops UseSlack (within one chunk of memory) or keeps it from starting.
  void EndSlack() {
    slack_over_.store(true);
    Slack idle = Slack::kIdle;
    if (!slack_.compare_exchange_strong(idle, Slack::kDone)) slack_.wait(Slack::kBusy);
  }

  // --status-db: another index consulted for revocation, read-only (another
  // process, e.g. `serve`, may hold it for writing).
  Status OpenStatusDb() {
    std::error_code ec;
    if (a_.status_db.empty() || std::filesystem::equivalent(a_.status_db, a_.db, ec)) return Status::Ok();
    auto idx = storage::OpenForReading(a_.status_db);
    if (!idx.ok()) return Status(idx.status().code(), "--status-db: " + idx.status().message());
    status_index_ = std::move(idx).value();
    return Status::Ok();
  }

  Status PrepareCorpus() {
    CorpusRunOptions co;
    co.inputs = a_.inputs;
    co.exclude = a_.exclude;
    co.shard = shard_;
    for (const auto& [option, path] : outputs_) {
      if (!path.empty() && path != "-") co.own_outputs.push_back(path);
    }
    co.verifier = a_.verifier;
    co.index = status_index_ ? status_index_ : index_;
    co.status_lookup = StatusSnapshot(*co.index);
    co.at = run_.at;
    co.threads = a_.threads;
    co.explain_passes = false;  // a sweep stores codes (SweepOutcome), never messages
    co.progress = !a_.no_progress && !a_.quiet && isatty(STDERR_FILENO);
    co.stop = stop_.get();
    co.reading_cache = [this](const std::string& trusted_lists) -> Result<std::shared_ptr<const ReadingCache>> {
      return OpenReadingCache(trusted_lists);
    };
    auto corpus = CorpusRun::Prepare(std::move(co));
    if (!corpus.ok()) return corpus.status();
    corpus_ = std::move(corpus).value();
    return Status::Ok();
  }

  // A sweep that will look up a large part of the status index reads the index in
  // one sequential scan instead of one random read per credential
  // (StatusIndex::LoadSnapshot). The previous run of this part says how many
  // lookups to expect; a first run, or one much smaller than the index, looks up.
  std::shared_ptr<const StatusLookup> StatusSnapshot(const storage::StatusIndex& index) const {
    // A scan reads each record for about a sixteenth of a random lookup's cost.
    constexpr uint64_t kScanPerLookup = 16;
    constexpr size_t kMaxBytes = size_t{1} << 30, kMaxRecords = size_t{16} << 20;
    const uint64_t expected = previous_.run ? previous_.run->records : 0;
    if (expected == 0 || expected * kScanPerLookup < index.ApproximateCount()) return nullptr;
    auto snapshot = index.LoadSnapshot(kMaxBytes, kMaxRecords);
    if (!snapshot.ok()) {
      spdlog::warn("reading the status index in one scan failed ({}); each credential is looked up instead",
                   snapshot.status().message());
      return nullptr;
    }
    return *snapshot;
  }

  // The readings kept in --db from earlier runs, under the namespace of this run's
  // trust configuration and policy.
  Result<std::shared_ptr<const ReadingCache>> OpenReadingCache(const std::string& trusted_lists) {
    uint64_t dropped = 0;
    auto cache = SweepReadingCache::Open(index_.get(), ReadingNamespace(trusted_lists), a_.full, &dropped);
    if (!cache.ok()) return Status(cache.status().code(), "the reading cache: " + cache.status().message());
    if (dropped > 0) {
      spdlog::info("the trust configuration or policy changed since the last sweep: {} kept reading(s) dropped, "
                   "every seal is verified again", dropped);
    }
    reading_cache_ = std::move(cache).value();
    return std::shared_ptr<const ReadingCache>(reading_cache_);
  }

  // What a kept reading depends on besides the record: the trust digest, the
  // trusted lists accepted at this time, the options the format and seal checks
  // read, and the credsweep build (docs/sweep.md, "Incremental sweeps").
  std::string ReadingNamespace(const std::string& trusted_lists) const {
    const VerifierFlags& f = a_.verifier;
    // Of --crls only whether it is given: a verdict that consulted the CRLs is
    // never kept (they change from night to night), so their files do not matter,
    // nor the path they are named by.
    std::string text = "credsweep-readings 1\n" + std::string(kVersion) + "\n" + BuildDigest() + "\n" +
                       readings_trust_digest_ + "\n" + trusted_lists + "\n" + f.certificate_status + "\n" +
                       (f.crls.empty() ? "" : "crls given") + "\n" +
                       std::to_string(f.max_record_bytes) + "\n" + std::to_string(f.max_depth) + "\n";
    return HexEncode(Sha256(text));
  }

  // Created now so that an unwritable path fails before the run.
  Status CreateOutputs() {
    if (!a_.report.empty()) {
      auto r = SweepReportDir::Create(a_.report);
      if (!r.ok()) return Status(r.status().code(), "--report: " + r.status().message());
      report_ = std::move(r).value();
    }
    if (!a_.metrics_file.empty()) {
      auto probe = OutputFile::Create(a_.metrics_file);  // removed again; written by Write
      if (!probe.ok()) return Status(probe.status().code(), "--metrics-file: " + probe.status().message());
    }
    return Status::Ok();
  }

  const SweepArgs& a_;
  std::unique_ptr<StopSignals> stop_;
  std::vector<std::pair<std::string, std::string>> outputs_;
  std::unique_ptr<SweepLock> lock_;
  std::shared_ptr<storage::StatusIndex> index_;
  std::shared_ptr<storage::StatusIndex> status_index_;  // --status-db, when not --db
  std::unique_ptr<SweepStore> store_;
  Previous previous_;
  std::future<Status> previous_outcomes_;  // fills previous_.outcomes, then UseSlack
  enum class Slack : uint8_t { kIdle, kBusy, kDone };
  std::atomic<Slack> slack_{Slack::kIdle};
  std::atomic<bool> slack_over_{false};
  std::unique_ptr<SweepKeys> keys_;  // tonight's: made by UseSlack or Verify
  Shard shard_;
  std::shared_ptr<SweepReadingCache> reading_cache_;  // set by PrepareCorpus
  std::string readings_trust_digest_;                 // TrustDigestOf(...).kept
  std::unique_ptr<CorpusRun> corpus_;
  std::unique_ptr<SweepReportDir> report_;
  SweepRun run_;
  std::vector<SweepOutcome> outcomes_;
  SweepDiff diff_;
  size_t merged_parts_ = 0;  // sweep merge
};

int RunSweep(const SweepArgs& a) {
  NightlySweep sweep(a);
  if (Status s = sweep.Prepare(); !s.ok()) return UsageError(s.message());
  if (Status s = sweep.Verify(); !s.ok()) return UsageError(s.message());
  if (!sweep.summary().interrupted.empty()) {
    spdlog::warn("stopped by {} after {} records; the run was not stored and no report was written",
                 sweep.summary().interrupted, sweep.summary().records);
    return sweep.stop_exit_status();
  }
  if (std::string none = sweep.NothingFoundMessage(); !none.empty()) return UsageError(none);
  if (Status s = sweep.Store(); !s.ok()) return UsageError(s.message());
  if (Status s = sweep.Write(); !s.ok()) return UsageError(s.message());
  sweep.PrintSummary();
  return sweep.exit_status();
}

int RunMerge(const SweepArgs& a, const std::vector<std::string>& from) {
  NightlySweep sweep(a);
  if (Status s = sweep.PrepareMerge(from); !s.ok()) return UsageError(s.message());
  if (Status s = sweep.Store(); !s.ok()) return UsageError(s.message());
  if (Status s = sweep.Write(); !s.ok()) return UsageError(s.message());
  sweep.PrintSummary();
  return sweep.exit_status();
}

int RunHistory(const std::string& db, const std::string& format) {
  auto index = storage::OpenForReading(db);
  if (!index.ok()) return UsageError(index.status().message());
  SweepStore store(index->get());
  auto runs = store.ListRuns();
  if (!runs.ok()) return UsageError(runs.status().message());
  if (format == "jsonl") {
    for (const SweepRun& r : *runs) std::fputs(SweepRunToJson(r).c_str(), stdout);
    return 0;
  }
  std::printf("%-6s %-20s %-20s %-11s %10s %10s %12s %12s %4s\n", "RUN", "STARTED", "AT", "SHARD", "RECORDS",
              "VERIFIED", "NOT_VERIFIED", "NEW_FAILURES", "EXIT");
  for (const SweepRun& r : *runs) {
    std::printf("%-6llu %-20s %-20s %-11s %10llu %10llu %12llu %12llu %4d\n", static_cast<unsigned long long>(r.id),
                FormatUtc(r.started).c_str(), FormatUtc(r.at).c_str(), r.shard.empty() ? "-" : r.shard.c_str(),
                static_cast<unsigned long long>(r.records),
                static_cast<unsigned long long>(r.verified), static_cast<unsigned long long>(r.records - r.verified),
                static_cast<unsigned long long>(r.new_failures), r.exit_status);
  }
  return 0;
}

int RunShow(uint64_t id, const std::string& db, const std::string& report_dir, const std::string& metrics_file) {
  auto index = storage::OpenForReading(db);
  if (!index.ok()) return UsageError(index.status().message());
  SweepStore store(index->get());
  auto run = store.LoadRun(id);
  if (!run.ok()) return UsageError(run.status().message());
  if (!*run) return UsageError("no sweep run " + std::to_string(id) + " in " + db + " (credsweep sweep history lists them)");
  auto previous = LoadPrevious(store, (*run)->previous);
  if (!previous.ok()) return UsageError(previous.status().message());
  if ((*run)->previous && !previous->run) {
    spdlog::warn("run {} was diffed against run {}, which was pruned; diff.jsonl lists every credential as new",
                 id, *(*run)->previous);
  }
  std::vector<SweepOutcome> outcomes;
  Status st = store.ForEachOutcome(id, [&](SweepOutcome&& o) { outcomes.push_back(std::move(o)); });
  if (!st.ok()) return UsageError(st.message());
  auto history = HistoryUpTo(store, id, (*run)->shard);
  if (!history.ok()) return UsageError(history.status().message());
  auto report = SweepReportDir::Create(report_dir);
  if (!report.ok()) return UsageError("--report: " + report.status().message());
  SweepDiff diff = DiffRuns(previous->outcomes, previous->window(), outcomes,
                            ExpiryWindow{(*run)->at, (*run)->expiring_within_days});
  if (Status s = (*report)->WriteAndCommit(**run, diff, outcomes, *history); !s.ok()) {
    return UsageError("--report: " + s.message());
  }
  if (!metrics_file.empty()) {
    if (Status s = WriteMetrics(metrics_file, **run); !s.ok()) return UsageError("--metrics-file: " + s.message());
  }
  return 0;
}

void AddHistoryCommand(CLI::App* sweep, int* exit_code) {
  auto db = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  CLI::App* cmd = sweep->add_subcommand("history", "List the sweep runs stored in the index");
  cmd->add_option("--db", *db, "Status index")->required();
  cmd->add_option("--format", *format, "text (a table, default) or jsonl (each run's summary.json, one per line)")
      ->check(CLI::IsMember({"text", "jsonl"}));
  cmd->callback([db, format, exit_code] { *exit_code = RunHistory(*db, *format); });
}

void AddShowCommand(CLI::App* sweep, int* exit_code) {
  struct ShowArgs {
    uint64_t run = 0;
    std::string db, report, metrics_file;
  };
  auto a = std::make_shared<ShowArgs>();
  CLI::App* cmd = sweep->add_subcommand("show", "Write a stored run's report folder again");
  cmd->add_option("run", a->run, "Run number (sweep history lists them)")->required();
  cmd->add_option("--db", a->db, "Status index")->required();
  cmd->add_option("--report", a->report, "Folder for diff.jsonl, failures.csv, summary.json and report.html")
      ->required();
  cmd->add_option("--metrics-file", a->metrics_file, "Also write the run's metrics (Prometheus text format)");
  cmd->callback([a, exit_code] { *exit_code = RunShow(a->run, a->db, a->report, a->metrics_file); });
}

void AddMergeCommand(CLI::App* sweep, int* exit_code) {
  struct MergeArgs {
    SweepArgs sweep;
    std::vector<std::string> from;
  };
  auto a = std::make_shared<MergeArgs>();
  CLI::App* cmd = sweep->add_subcommand(
      "merge", "Combine the parts of a sharded sweep (sweep --shard K/N) into one run, stored, diffed and reported "
               "as if one machine had swept the whole corpus");
  cmd->add_option("--db", a->sweep.db, "Status index the merged run is stored in (and compared with its previous "
                                       "merged or whole run)")
      ->required();
  cmd->add_option("--from", a->from,
                  "An index holding parts (repeatable; may be --db): the newest sharded run names N and the "
                  "time, and the newest run of each part K/N at that time is taken")
      ->required();
  cmd->add_option("--report", a->sweep.report,
                  "Write diff.jsonl, failures.csv, summary.json and report.html into this folder");
  cmd->add_option("--metrics-file", a->sweep.metrics_file, "Write the run's metrics (Prometheus text format)");
  cmd->add_option("--fail-on", a->sweep.fail_on, "Exit 1 on: new-failures (default), any-failure, never")
      ->check(CLI::IsMember({"new-failures", "any-failure", "never"}));
  cmd->add_option("--keep-runs", a->sweep.keep_runs, "After storing the run, remove all but the newest N runs")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--quiet,-q", a->sweep.quiet, "No summary on stderr");
  cmd->footer("Exit status: as sweep (0, 1 under --fail-on, 2 usage or I/O error, a part missing, or parts made "
              "with different times, trust or options). docs/sweep.md#shards");
  cmd->callback([a, exit_code] { *exit_code = RunMerge(a->sweep, a->from); });
}

}  // namespace

void AddSweepCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<SweepArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Verify a corpus, store the run in the index and report what changed since the previous run");
  cmd->add_option("inputs", a->inputs, "Files, directories (recursive) or - for stdin (JSON Lines)");
  AddVerifierFlags(cmd, &a->verifier);
  cmd->add_option("--db", a->db, "Status index: consulted for revocation, and where runs are stored");
  cmd->add_option("--status-db", a->status_db,
                  "Consult this status index for revocation instead of --db (opened read-only, so another "
                  "process may hold it): the registrar's index, or a copy of it, for the parts of a sharded sweep "
                  "whose own --db holds only their runs");
  cmd->add_option("--at", a->at, "Verification time, RFC 3339 (default: now)");
  cmd->add_option("--report", a->report,
                  "Write diff.jsonl, failures.csv, summary.json and report.html into this folder (created if missing)");
  cmd->add_option("--metrics-file", a->metrics_file,
                  "Write the run's metrics here in Prometheus text format (node_exporter textfile collector)");
  cmd->add_option("--fail-on", a->fail_on,
                  "Exit 1 on: new-failures (default: a credential fails that did not fail, or exist, in the "
                  "previous run), any-failure, never")
      ->check(CLI::IsMember({"new-failures", "any-failure", "never"}));
  cmd->add_option("--expiring-within", a->expiring_within, "Report credentials expiring within DAYS (default 30)")
      ->check(CLI::Range(int64_t{0}, int64_t{36500}));
  cmd->add_option("--keep-runs", a->keep_runs,
                  "After storing the run, remove all but the newest N runs of each shard (default: keep all)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--shard", a->shard,
                  "K/N: sweep only part K of N of the records (a stable partition by a hash of each record's "
                  "source; give every part the same input paths); the run is compared with this part's previous "
                  "run");
  cmd->add_option("--exclude", a->exclude,
                  "Do not read files or folders matching this glob inside input folders (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--threads,-j", a->threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--quiet,-q", a->quiet, "No summary or progress on stderr");
  cmd->add_flag("--no-progress", a->no_progress, "No live progress line");
  cmd->add_flag("--full", a->full,
                "Read and seal-check every record again instead of reusing what earlier runs found for records that "
                "did not change (the results are the same; docs/sweep.md#incremental-sweeps)");
  AddHistoryCommand(cmd, exit_code);
  AddShowCommand(cmd, exit_code);
  AddMergeCommand(cmd, exit_code);
  cmd->footer(
      "Exit status: 0 stored, --fail-on not met; 1 --fail-on met (default: a credential fails that did not fail, "
      "or exist, in the previous run); 2 usage or I/O error, no credentials found, or another sweep running on the "
      "index; 130/143 stopped by SIGINT/SIGTERM (nothing stored). Formats: docs/sweep.md");
  cmd->callback([cmd, a, exit_code] {
    for (const char* sub : {"history", "show", "merge"}) {
      if (cmd->get_subcommand(sub)->parsed()) return;
    }
    if (a->db.empty()) {
      *exit_code = UsageError("sweep: --db DIR is required (the index the runs are stored in)");
      return;
    }
    *exit_code = RunSweep(*a);
  });
}

}  // namespace credsweep::io::cli
