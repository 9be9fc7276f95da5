#include "io/cli/corpus_run.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>

#include "engine/pipeline.h"
#include "engine/verifier.h"
#include "io/cli/applicant_nonces.h"
#include "io/cli/commands.h"

namespace credsweep::io::cli {
namespace {

std::string JoinInputs(const std::vector<std::string>& inputs) {
  std::string out;
  for (const auto& in : inputs) out += (out.empty() ? "" : ", ") + (in == "-" ? std::string("stdin") : in);
  return out;
}

// 128 random bits as hex.
std::string RandomNonce() {
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 4; ++i) {
    char part[9];
    std::snprintf(part, sizeof part, "%08x", static_cast<unsigned>(rd()));
    out += part;
  }
  return "unanswerable-" + out;
}

long PeakRssKb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

}  // namespace

struct CorpusRun::Impl {
  CorpusRunOptions options;
  std::unique_ptr<RecordReader> reader;
  std::unique_ptr<Verifier> verifier;
  ApplicantNonces nonces;  // --nonces
  unsigned required = 0;
  std::chrono::steady_clock::time_point start;
};

CorpusRun::CorpusRun(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CorpusRun::~CorpusRun() = default;

Result<std::unique_ptr<CorpusRun>> CorpusRun::Prepare(CorpusRunOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const CorpusRunOptions& o = impl->options;
  ReaderOptions ro;
  ro.max_record_bytes = o.verifier.max_record_bytes;
  ro.max_document_bytes = std::max<size_t>(o.verifier.max_record_bytes, 64u << 20);
  ro.exclude = o.exclude;
  ro.own_outputs = o.own_outputs;
  auto reader = RecordReader::Open(o.inputs, ro);
  if (!reader.ok()) return reader.status();
  impl->reader = std::move(reader).value();
  if (!o.verifier.nonces_file.empty()) {
    auto nonces = ApplicantNonces::Load(o.verifier.nonces_file);
    if (!nonces.ok()) return nonces.status();
    impl->nonces = std::move(nonces).value();
  }
  auto built = BuildVerifier(o.verifier, o.index, ListCacheLifetime::kOneRun);
  if (!built.ok()) return built.status();
  impl->required = built->required;
  VerifierOptions vo = std::move(built->options);
  vo.at = o.at;
  vo.explain_passes = o.explain_passes;
  if (o.status_lookup && vo.status_index) vo.status_index = o.status_lookup;
  std::string accepted_lists;
  if (Status st = LoadTrustedServices(o.verifier, o.at, &vo, nullptr, &accepted_lists); !st.ok()) return st;
  if (o.reading_cache) {
    auto cache = o.reading_cache(accepted_lists);
    if (!cache.ok()) return cache.status();
    vo.reading_cache = std::move(cache).value();
  }
  std::unique_ptr<CorpusRun> run(new CorpusRun(std::move(impl)));
  if (vo.trust_any_configured_key) run->summary_.warnings.push_back(kTrustAnyKeyWarning);
  if (vo.signing_time == SigningTimePolicy::kClaimed) {
    run->summary_.warnings.push_back(
        "--signing-time claimed: expired seal certificates are accepted on the signing time the sealer claims, "
        "which no timestamp proves");
  }
  run->impl_->verifier = std::make_unique<Verifier>(std::move(vo));
  return run;
}

Status CorpusRun::Run(const ResultSink& sink) {
  Status sink_status;
  const auto start = std::chrono::steady_clock::now();
  impl_->start = start;
  auto last_progress = start;
  PipelineOptions po;
  po.threads = CapThreads(impl_->options.threads, "-j");
  // With kept readings, each thread's cursor through them seeks once per batch
  // (the other threads read the records between its batches): larger batches,
  // fewer seeks.
  if (impl_->verifier->options().reading_cache) po.batch_records = 256;
  std::optional<StopSignals> own_stop;
  const StopSignals& stop = impl_->options.stop ? *impl_->options.stop : own_stop.emplace();
  RecordReader& reader = *impl_->reader;
  // A stop request ends the reading; records already read are verified and written.
  const ApplicantNonces& nonces = impl_->nonces;
  // A record --nonces does not cover, without a --nonce to fall back on, must
  // answer a nonce no one was given: one drawn for this run.
  const std::string unanswerable = nonces.empty() || !impl_->options.verifier.nonce.empty() ? std::string()
                                                                                             : RandomNonce();
  size_t uncovered = 0;
  const Shard& shard = impl_->options.shard;
  uint64_t position = 0;  // records read so far, in every shard
  auto next = [&](Record* r) {
    for (;;) {
      if (stop.received() || !reader.Next(r) || stop.received()) return false;
      r->position = position++;
      if (shard.Contains(r->source)) break;
      ++summary_.outside_shard;  // read by the serial input stage alone
    }
    if (!nonces.empty()) {
      r->nonce = nonces.For(r->source);
      if (r->nonce.empty() && !unanswerable.empty()) {
        r->nonce = unanswerable;
        ++uncovered;
      }
    }
    return true;
  };
  RunPipeline(
      *impl_->verifier, next,
      [&](const Record& record, VerificationResult&& result) {
        // A presentation's line, then its credentials', each counted.
        VerificationResult::Flatten(std::move(result), impl_->required, [&](VerificationResult&& line, bool ok) {
          summary_.Add(line, ok);
          if (sink_status.ok()) sink_status = sink(std::move(line), ok, record.position);
        });
        if (impl_->options.progress && (summary_.records & 255) == 0) {
          auto now = std::chrono::steady_clock::now();
          if (now - last_progress > std::chrono::milliseconds(250)) {
            last_progress = now;
            double s = std::chrono::duration<double>(now - start).count();
            std::fprintf(stderr, "\r%zu records, %zu verified, %.0f/s   ", summary_.records, summary_.verified,
                         summary_.records / s);
          }
        }
      },
      po);
  if (impl_->options.progress) std::fprintf(stderr, "\r\033[K");
  if (uncovered > 0) {
    summary_.warnings.push_back("--nonces gives no nonce for " + std::to_string(uncovered) +
                                " record(s) and there is no --nonce: their presentations and key binding JWTs "
                                "fail nonce_mismatch");
  }
  if (!shard.whole()) summary_.shard = shard.ToString();
  summary_.records_read = position;
  summary_.interrupted = stop.name();
  stop_exit_status_ = stop.received() ? stop.exit_status() : 0;
  summary_.skipped_files = reader.skipped();
  return sink_status;
}

void CorpusRun::Finish() {
  summary_.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - impl_->start).count();
  summary_.peak_rss_kb = PeakRssKb();
}

std::string CorpusRun::NothingFoundMessage() const {
  if (summary_.records + summary_.presentations + summary_.outside_shard != 0 || !summary_.interrupted.empty()) {
    return {};
  }
  const auto& skipped = summary_.skipped_files;
  return "no credentials found in " + JoinInputs(impl_->options.inputs) +
         (skipped.empty() ? std::string()
                          : " (" + std::to_string(skipped.size()) + " file(s) skipped: " + skipped.front().path +
                                ": " + skipped.front().reason + (skipped.size() > 1 ? ", ..." : "") + ")");
}

}  // namespace credsweep::io::cli
