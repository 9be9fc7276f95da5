// credsweep sample --count N --out DIR : a sealed micro-credential corpus.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "io/cli/commands.h"
#include "tools/sample_corpus.h"

namespace credsweep::io::cli {
namespace {

struct SampleArgs {
  tools::SampleOptions o;
  std::vector<std::string> algs, envelopes;
  std::string at = "now";
  bool wallet = false;
};

int RunSample(SampleArgs& a) {
  if (!a.algs.empty()) {
    a.o.algs.clear();
    for (const auto& n : a.algs) {
      auto alg = ParseAlgOption(n);
      if (!alg) return UsageError("--algs: unsupported algorithm '" + n + "'");
      a.o.algs.push_back(*alg);
    }
  }
  if (a.wallet) {
    if (!a.envelopes.empty()) {
      return UsageError("--wallet and --envelopes go apart: --wallet is --envelopes sd-jwt,presentation");
    }
    a.envelopes = {"sd-jwt", "presentation"};
  }
  if (!a.envelopes.empty()) {
    a.o.envelopes.clear();
    for (const auto& n : a.envelopes) {
      auto e = tools::ParseEnvelope(n);
      if (!e.ok()) return UsageError(e.status().message());
      a.o.envelopes.push_back(*e);
    }
  }
  auto at = ParseTimeOption(a.at);
  if (!at) return UsageError("--at: '" + a.at + "' is not an RFC 3339 date-time");
  a.o.at = *at;
  if (a.o.expired + a.o.not_yet_valid + a.o.tampered + a.o.revoked + a.o.suspended + a.o.forged + a.o.unbound > 1.0) {
    return UsageError(
        "--expired + --not-yet-valid + --tampered + --revoked + --suspended + --forged + --unbound must not exceed 1");
  }
  if (a.o.threads > 0) a.o.threads = CapThreads(a.o.threads, "-j");
  auto stats = tools::WriteSampleCorpus(a.o);
  if (!stats.ok()) return UsageError(stats.status().message());
  spdlog::info("{} credentials in {} file(s) under {}/credentials ({} expected to verify at {})",
               stats->records, stats->files, a.o.out_dir, stats->expected_verified, FormatUtc(a.o.at));
  const bool wallet = std::any_of(a.o.envelopes.begin(), a.o.envelopes.end(), [](tools::Envelope e) {
    return e == tools::Envelope::kSdJwtVc || e == tools::Envelope::kPresentation;
  });
  const std::string kb = wallet ? std::string(" --audience ") + tools::kWalletAudience + " --nonce " +
                                      tools::kWalletNonce + " --at " + FormatUtc(a.o.at)
                                : std::string();
  if (wallet) {
    spdlog::info("the wallet's key binding JWTs and presentations were signed at {} for audience {} and nonce {}: verify them "
                 "with --at {} (or --kb-max-age covering the time since)",
                 FormatUtc(a.o.at), tools::kWalletAudience, tools::kWalletNonce, FormatUtc(a.o.at));
  }
  if (a.o.with_status) {
    spdlog::info("verify with: credsweep verify {0}/credentials --jwks {0}/keys/jwks.json --trust {0}/trust-registry.json "
                 "--db {0}/index --status-lists {0}/status-lists{1}",
                 a.o.out_dir, kb);
  } else {
    spdlog::info("verify with: credsweep verify {0}/credentials --jwks {0}/keys/jwks.json --trust {0}/trust-registry.json{1}",
                 a.o.out_dir, kb);
  }
  return 0;
}

}  // namespace

void AddSampleCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<SampleArgs>();
  CLI::App* cmd = app.add_subcommand("sample", "Write a sample corpus of sealed micro-credentials");
  cmd->add_option("--count,-n", a->o.count, "Number of credentials")->capture_default_str();
  cmd->add_option("--out", a->o.out_dir, "Output directory")->required();
  cmd->add_option("--algs", a->algs, "Algorithms for the JWS envelopes (default ES256,ES384,EdDSA,RS256,PS256)")
      ->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--envelopes", a->envelopes,
                  "vc-jwt, vc11-jwt, jades, sd-jwt, presentation (default: the first three; sd-jwt: SD-JWT VCs as a "
                  "wallet presents them; presentation: vp+jwt presentations of 5 vc+jwt credentials)")
      ->delimiter(',')->allow_extra_args(false);
  cmd->add_flag("--wallet", a->wallet,
                "What applicants hand in from wallets: SD-JWT VCs with ten disclosures and the holder's key binding, "
                "and vp+jwt presentations of 5 credentials (same as --envelopes sd-jwt,presentation)");
  cmd->add_option("--expired", a->o.expired, "Share deliberately expired")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_option("--not-yet-valid", a->o.not_yet_valid, "Share not yet valid")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_option("--tampered", a->o.tampered, "Share changed after sealing")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_option("--revoked", a->o.revoked, "Share revoked (index and lists)")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_option("--suspended", a->o.suspended, "Share suspended")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_option("--forged", a->o.forged,
                  "Share claiming another member as issuer, or (JAdES) an awarding body without a mandate")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_option("--unbound", a->o.unbound, "Share sealed with a key in keys/jwks.json that no issuer owns")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_flag("--no-status", [a](int64_t) { a->o.with_status = false; },
                "No status entries, index or lists (plain signed credentials)");
  cmd->add_flag("--no-accreditations", [a](int64_t) { a->o.with_accreditations = false; },
                "No accreditation records in the registry and no accreditation evidence (benchmarks of the seal)");
  cmd->add_option("--seed", a->o.seed, "Seed for the corpus content")->capture_default_str();
  cmd->add_option("--payload-kb", a->o.payload_kb, "Pad each credential to about this size (an embedded image)");
  cmd->add_option("--per-file", a->o.per_file, "Records per output file")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_flag("--gzip", a->o.gzip, "Write .jsonl.gz files");
  cmd->add_flag("--jades-long-term", a->o.jades_long_term,
                "JAdES seals also carry a signature timestamp (sigTst; trust it with --tsa-ca keys/ca.pem) and the "
                "OCSP response for the seal certificate (rVals), as Europass seals do");
  cmd->add_option("--at", a->at, "Reference time for validity (default: now)");
  cmd->add_option("--threads,-j", a->o.threads, "Signing threads (default: all cores)");
  cmd->callback([a, exit_code] { *exit_code = RunSample(*a); });
}

}  // namespace credsweep::io::cli
