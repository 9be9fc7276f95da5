#include "io/sweep/sweep_merge.h"

#include <algorithm>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>

#include <simdjson.h>

#include "engine/json_writer.h"
#include "engine/timestamp.h"
#include "io/shard.h"

namespace credsweep::io {
namespace {

// Members of a run's options that may differ between the parts: --shard, and
// --fail-on (the merge's own decides the merged run's exit status).
bool PartOwnOption(std::string_view key) { return key == "shard" || key == "fail_on"; }

// `options` (a JSON object) with the members named in `values` given those
// string values; the others as they were.
std::string WithMembers(const std::string& options, const std::map<std::string, std::string>& values) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(options).get_object().get(object) != simdjson::SUCCESS) return options;
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  for (auto [key, value] : object) {
    auto it = values.find(std::string(key));
    it == values.end() ? w.Key(key).Raw(simdjson::minify(value)) : w.Member(key, it->second);
  }
  w.EndObject();
  return out;
}

// The options whose values differ between two runs (their own --shard and
// --fail-on aside), e.g. "expiring_within_days (30 vs 7)"; empty when none does.
std::string DifferingOptions(const SweepRun& a, const SweepRun& b) {
  simdjson::dom::parser pa, pb;
  simdjson::dom::object oa, ob;
  if (pa.parse(a.options_json).get_object().get(oa) != simdjson::SUCCESS ||
      pb.parse(b.options_json).get_object().get(ob) != simdjson::SUCCESS) {
    return "unreadable options";
  }
  std::string out;
  auto compare = [&](simdjson::dom::object x, simdjson::dom::object y, bool x_is_a) {
    for (auto [key, value] : x) {
      if (PartOwnOption(key)) continue;
      simdjson::dom::element other;
      const bool in_y = y[key].get(other) == simdjson::SUCCESS;
      if (!x_is_a && in_y) continue;  // compared in the first pass
      const std::string vx = simdjson::minify(value);
      const std::string vy = in_y ? simdjson::minify(other) : "(none)";
      if (vx == vy) continue;
      out += (out.empty() ? "" : ", ") + std::string(key) + " (" + (x_is_a ? vx + " vs " + vy : vy + " vs " + vx) + ")";
    }
  };
  compare(oa, ob, true);
  compare(ob, oa, false);
  return out;
}

// Why part `r` cannot be merged with part 1 (`first`): empty when it can.
std::string Mismatch(const SweepRun& first, const SweepRun& r) {
  const std::string what = "part " + r.shard + " (run " + std::to_string(r.id) + ")";
  if (r.records_read == 0) {
    return what + " was stored by a credsweep that did not keep the records' order; sweep that part again";
  }
  if (r.version != first.version) {
    return what + " was made by credsweep " + r.version + ", part " + first.shard + " by " + first.version;
  }
  if (r.at != first.at) return what + " verified at " + FormatUtc(r.at) + ", part 1 at " + FormatUtc(first.at);
  if (r.trust_digest != first.trust_digest) return what + " had another trust configuration than part 1";
  if (std::string d = DifferingOptions(first, r); !d.empty()) return what + " was run with other options than part 1: " + d;
  if (r.records_read != first.records_read || r.skipped_files.size() != first.skipped_files.size()) {
    return what + " read another corpus than part 1: " + std::to_string(r.records_read) + " records and " +
           std::to_string(r.skipped_files.size()) + " skipped file(s), part 1 " + std::to_string(first.records_read) +
           " and " + std::to_string(first.skipped_files.size());
  }
  for (size_t i = 0; i < r.skipped_files.size(); ++i) {
    if (r.skipped_files[i].path != first.skipped_files[i].path) {
      return what + " read another corpus than part 1: it skipped " + r.skipped_files[i].path + ", part 1 " +
             first.skipped_files[i].path;
    }
  }
  return {};
}

// The parts' warnings: one every part gave, once; one that only some parts gave
// (it may count that part's records, as --nonces' does), once per part, marked
// with it. In order of first appearance.
std::vector<std::string> MergedWarnings(const std::vector<ShardPart>& parts) {
  std::map<std::string, size_t> parts_with;
  for (const ShardPart& p : parts) {
    std::set<std::string> own(p.run.warnings.begin(), p.run.warnings.end());
    for (const std::string& w : own) ++parts_with[w];
  }
  std::vector<std::string> out;
  std::set<std::string> shared_done;
  for (const ShardPart& p : parts) {
    for (const std::string& w : p.run.warnings) {
      if (parts_with[w] == parts.size()) {
        if (shared_done.insert(w).second) out.push_back(w);
      } else {
        out.push_back("part " + p.run.shard + ": " + w);
      }
    }
  }
  return out;
}

// The parts' outcomes in the order of their records. Each part's outcomes are
// in that order already; a record belongs to one part, so a position met in two
// parts (or beyond the records read) means the parts did not read one corpus.
Result<std::vector<SweepOutcome>> MergeInRecordOrder(std::vector<ShardPart>& parts, uint64_t records_read) {
  size_t total = 0;
  for (const ShardPart& p : parts) total += p.outcomes.size();
  std::vector<SweepOutcome> out;
  out.reserve(total);
  using Head = std::pair<uint64_t, size_t>;  // (position, part)
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heads;
  std::vector<size_t> next(parts.size(), 0);
  for (size_t k = 0; k < parts.size(); ++k) {
    if (!parts[k].outcomes.empty()) heads.emplace(parts[k].outcomes[0].position, k);
  }
  std::optional<Head> last;
  while (!heads.empty()) {
    const auto [position, k] = heads.top();
    heads.pop();
    const std::string& shard = parts[k].run.shard;
    if (position >= records_read) {
      return InvalidArgument("part " + shard + " has a record at position " + std::to_string(position) +
                             ", beyond the " + std::to_string(records_read) + " records read");
    }
    if (last && last->first == position && last->second != k) {
      return InvalidArgument("parts " + parts[last->second].run.shard + " and " + shard +
                             " both verified the record at position " + std::to_string(position) +
                             ": they did not read one corpus");
    }
    last = Head{position, k};
    // This part's outcomes of the record (a presentation's credentials share its position).
    std::vector<SweepOutcome>& own = parts[k].outcomes;
    while (next[k] < own.size() && own[next[k]].position == position) out.push_back(std::move(own[next[k]++]));
    if (next[k] < own.size()) {
      if (own[next[k]].position < position) return Corruption("part " + shard + ": stored outcomes out of order");
      heads.emplace(own[next[k]].position, k);
    }
  }
  return out;
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
  // Runs finishing in the same second: the later stored.
  const auto later = [](const SweepRun* a, const SweepRun* b) {
    return b == nullptr || a->finished > b->finished || (a->finished == b->finished && a->id > b->id);
  };
  std::vector<const SweepRun*> parts(n, nullptr);
  std::vector<const SweepRun*> elsewhen(n, nullptr);  // each part's newest run at another time
  for (const SweepRun* r : runs) {
    auto shard = ParseShard(r->shard);
    if (r->shard.empty() || !shard.ok() || shard->count != n) continue;
    const SweepRun*& slot = (r->at == newest->at ? parts : elsewhen)[shard->index - 1];
    if (later(r, slot)) slot = r;
  }
  std::string missing;
  for (uint32_t k = 0; k < n; ++k) {
    if (parts[k] != nullptr) continue;
    missing += (missing.empty() ? "" : ", ") + Shard{k + 1, n}.ToString();
    if (elsewhen[k] != nullptr) missing += " (its newest run, " + std::to_string(elsewhen[k]->id) + ", is at " + FormatUtc(elsewhen[k]->at) + ")";
  }
  if (!missing.empty()) {
    return NotFound("no stored run of part(s) " + missing + " at " + FormatUtc(newest->at) +
                    " (the newest sharded run, " + newest->shard + ", was made at that time)");
  }
  return parts;
}

Result<ShardPart> MergeShardParts(std::vector<ShardPart> parts, const std::string& fail_on) {
  if (parts.empty()) return InvalidArgument("no parts to merge");
  const auto index_of = [](const ShardPart& p) {
    auto shard = ParseShard(p.run.shard);
    return shard.ok() ? shard->index : 0;
  };
  std::sort(parts.begin(), parts.end(),
            [&](const ShardPart& a, const ShardPart& b) { return index_of(a) < index_of(b); });
  const SweepRun& first = parts.front().run;
  for (size_t k = 0; k < parts.size(); ++k) {
    const SweepRun& r = parts[k].run;
    auto shard = ParseShard(r.shard);
    if (!shard.ok() || shard->count != parts.size() || shard->index != k + 1) {
      return InvalidArgument("the parts are not 1/" + std::to_string(parts.size()) + " to " +
                             std::to_string(parts.size()) + "/" + std::to_string(parts.size()) + " once each (run " +
                             std::to_string(r.id) + " is part '" + r.shard + "')");
    }
    if (std::string why = Mismatch(first, r); !why.empty()) return InvalidArgument(why);
  }
  ShardPart merged;
  SweepRun& m = merged.run;
  m.started = first.started;
  m.at = first.at;
  m.expiring_within_days = first.expiring_within_days;
  m.version = first.version;
  m.fail_on = fail_on;
  m.options_json = WithMembers(first.options_json, {{"shard", ""}, {"fail_on", fail_on}});
  m.trust_digest = first.trust_digest;
  m.records_read = first.records_read;
  m.warnings = MergedWarnings(parts);
  m.skipped_files = first.skipped_files;
  for (const ShardPart& p : parts) {
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
  }
  auto outcomes = MergeInRecordOrder(parts, m.records_read);
  if (!outcomes.ok()) return outcomes.status();
  merged.outcomes = std::move(outcomes).value();
  KeyOutcomes(&merged.outcomes);
  return merged;
}

}  // namespace credsweep::io
