#include "io/sweep/sweep_merge.h"

#include <algorithm>
#include <map>
#include <string>

#include <simdjson.h>

#include "engine/timestamp.h"
#include "io/shard.h"

namespace credsweep::io {
namespace {

// The options a part was run with, its --shard left out.
std::string OptionsWithoutShard(const SweepRun& run) {
  const std::string member = "\"shard\":\"" + run.shard + "\"";
  std::string options = run.options_json;
  if (size_t at = options.find(member); at != std::string::npos) options.replace(at, member.size(), "\"shard\":\"\"");
  return options;
}

// The option names whose values differ between two runs' options, e.g.
// "expiring_within_days (30 vs 7)".
std::string DifferingOptions(const SweepRun& a, const SweepRun& b) {
  simdjson::dom::parser pa, pb;
  simdjson::dom::object oa, ob;
  if (pa.parse(a.options_json).get_object().get(oa) != simdjson::SUCCESS ||
      pb.parse(b.options_json).get_object().get(ob) != simdjson::SUCCESS) {
    return "unreadable options";
  }
  std::string out;
  for (auto [key, value] : oa) {
    if (key == "shard") continue;
    simdjson::dom::element other;
    const std::string va = simdjson::minify(value);
    const std::string vb = ob[key].get(other) == simdjson::SUCCESS ? simdjson::minify(other) : "(none)";
    if (va != vb) out += (out.empty() ? "" : ", ") + std::string(key) + " (" + va + " vs " + vb + ")";
  }
  return out.empty() ? "options only part " + b.shard + " has" : out;
}

}  // namespace

Result<std::vector<const SweepRun*>> ChooseShardParts(const std::vector<const SweepRun*>& runs) {
  const SweepRun* newest = nullptr;
  for (const SweepRun* r : runs) {
    if (r->shard.empty()) continue;
    if (newest == nullptr || r->finished > newest->finished || (r->finished == newest->finished && r->id > newest->id)) {
      newest = r;
    }
  }
  if (newest == nullptr) return NotFound("no sharded sweep run (sweep --shard K/N) is stored there");
  auto count = ParseShard(newest->shard);
  if (!count.ok()) return Corruption("sweep run " + std::to_string(newest->id) + ": shard '" + newest->shard + "'");
  const uint32_t n = count->count;
  std::vector<const SweepRun*> parts(n, nullptr);
  for (const SweepRun* r : runs) {
    auto shard = ParseShard(r->shard);
    if (r->shard.empty() || !shard.ok() || shard->count != n || r->at != newest->at) continue;
    const SweepRun*& slot = parts[shard->index - 1];
    // Runs finishing in the same second: the later stored.
    if (slot == nullptr || r->finished > slot->finished || (r->finished == slot->finished && r->id > slot->id)) {
      slot = r;
    }
  }
  std::string missing;
  for (uint32_t k = 0; k < n; ++k) {
    if (parts[k] == nullptr) missing += (missing.empty() ? "" : ", ") + Shard{k + 1, n}.ToString();
  }
  if (!missing.empty()) {
    return NotFound("no stored run of part(s) " + missing + " at " + FormatUtc(newest->at) +
                    " (the newest sharded run, " + newest->shard + ", was made at that time)");
  }
  return parts;
}

Result<ShardPart> MergeShardParts(std::vector<ShardPart> parts) {
  if (parts.empty()) return InvalidArgument("no parts to merge");
  const auto index_of = [](const ShardPart& p) {
    auto shard = ParseShard(p.run.shard);
    return shard.ok() ? shard->index : 0;
  };
  std::sort(parts.begin(), parts.end(),
            [&](const ShardPart& a, const ShardPart& b) { return index_of(a) < index_of(b); });
  const SweepRun& first = parts.front().run;
  const std::string options = OptionsWithoutShard(first);
  for (size_t k = 0; k < parts.size(); ++k) {
    const SweepRun& r = parts[k].run;
    auto shard = ParseShard(r.shard);
    if (!shard.ok() || shard->count != parts.size() || shard->index != k + 1) {
      return InvalidArgument("the parts are not 1/" + std::to_string(parts.size()) + " to " +
                             std::to_string(parts.size()) + "/" + std::to_string(parts.size()) + " once each (run " +
                             std::to_string(r.id) + " is part '" + r.shard + "')");
    }
    const std::string what = "part " + r.shard + " (run " + std::to_string(r.id) + ")";
    if (r.at != first.at) return InvalidArgument(what + " verified at " + FormatUtc(r.at) + ", part 1 at " + FormatUtc(first.at));
    if (r.trust_digest != first.trust_digest) return InvalidArgument(what + " had another trust configuration than part 1");
    if (OptionsWithoutShard(r) != options) {
      return InvalidArgument(what + " was run with other options than part 1: " + DifferingOptions(first, r));
    }
  }
  ShardPart merged;
  SweepRun& m = merged.run;
  m.started = first.started;
  m.at = first.at;
  m.expiring_within_days = first.expiring_within_days;
  m.version = first.version;
  m.options_json = options;
  m.trust_digest = first.trust_digest;
  m.warnings = first.warnings;
  m.skipped_files = first.skipped_files;
  size_t total = 0;
  for (const ShardPart& p : parts) total += p.outcomes.size();
  merged.outcomes.reserve(total);
  for (ShardPart& p : parts) {
    const SweepRun& r = p.run;
    m.started = std::min(m.started, r.started);
    m.records += r.records;
    m.verified += r.verified;
    for (int c = 0; c < kCheckCount; ++c) {
      for (int o = 0; o < 3; ++o) m.outcomes[c][o] += r.outcomes[c][o];
    }
    for (const auto& [code, n] : r.failure_codes) m.failure_codes[code] += n;
    for (const auto& [issuer, n] : r.issuers) {
      m.issuers[issuer].records += n.records;
      m.issuers[issuer].verified += n.verified;
    }
    std::move(p.outcomes.begin(), p.outcomes.end(), std::back_inserter(merged.outcomes));
  }
  // A presentation's credentials share its position and stay in their order.
  std::stable_sort(merged.outcomes.begin(), merged.outcomes.end(),
                   [](const SweepOutcome& a, const SweepOutcome& b) { return a.position < b.position; });
  SweepKeys keys;
  for (SweepOutcome& o : merged.outcomes) o.key = keys.KeyFor(o.id, o.source);
  return merged;
}

}  // namespace credsweep::io
