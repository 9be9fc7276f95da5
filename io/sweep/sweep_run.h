// A sweep run's record: what `summary.json` holds and what the index keeps under
// `sweep:run:ID` (the same JSON, docs/sweep.md "summary.json").
#ifndef CREDSWEEP_IO_SWEEP_SWEEP_RUN_H_
#define CREDSWEEP_IO_SWEEP_SWEEP_RUN_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "engine/verification_result.h"
#include "io/record_reader.h"

namespace credsweep::io {

// The kinds of change a diff reports, in the order they are listed.
enum class ChangeKind {
  kNew = 0,
  kVanished,
  kNewlyFailing,
  kNewlyRevoked,
  kNewlySuspended,
  kNewlyExpired,
  kExpiring,
  kRecovered,
};
inline constexpr int kChangeKindCount = 8;
std::string_view ChangeKindName(ChangeKind k);  // "new", "newly_failing", ...

struct IssuerCounts {
  uint64_t records = 0;
  uint64_t verified = 0;
};

struct SweepRun {
  uint64_t id = 0;
  std::optional<uint64_t> previous;  // the run this one was diffed against
  UnixSeconds started = 0, finished = 0;
  UnixSeconds at = 0;  // the verification time (--at)
  int64_t expiring_within_days = 30;
  std::string version;       // "0.1.0"
  std::string options_json;  // a JSON object: the options the run was made with
  std::string trust_digest;  // lowercase hex SHA-256 (TrustDigest)
  std::string fail_on;       // new-failures | any-failure | never
  std::string shard;         // --shard "K/N"; empty for the whole corpus
  int exit_status = 0;
  uint64_t records = 0, verified = 0;
  // Records read from the inputs, those of every shard included (a presentation
  // is one record); 0 in runs stored before it was kept. Parts of one sharded
  // sweep read the same corpus, so they agree on it.
  uint64_t records_read = 0;
  std::array<std::array<uint64_t, 3>, kCheckCount> outcomes{};  // [check][Outcome]
  std::map<std::string, uint64_t, std::less<>> failure_codes;   // "check:code"
  std::map<std::string, IssuerCounts, std::less<>> issuers;      // "" for no issuer
  std::array<uint64_t, kChangeKindCount> changes{};              // credentials per kind
  uint64_t new_failures = 0;  // credentials failing tonight that did not fail (or exist) before
  std::vector<std::string> warnings;
  std::vector<SkippedFile> skipped_files;

  void Add(const VerificationResult& r, bool verified);
  uint64_t changed(ChangeKind k) const { return changes[static_cast<int>(k)]; }
};

// summary.json: one JSON object and a newline (docs/sweep.md).
std::string SweepRunToJson(const SweepRun& run);
// The inverse, for stored runs. InvalidArgument / Corruption for damaged JSON.
Result<SweepRun> ParseSweepRun(std::string_view json);

// The name issuers without one are counted under in reports.
inline constexpr const char* kNoIssuer = "(no issuer)";

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_SWEEP_RUN_H_
