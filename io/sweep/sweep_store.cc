#include "io/sweep/sweep_store.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <map>

namespace credsweep::io {
namespace {

constexpr std::string_view kRunPrefix = "sweep:run:";
constexpr std::string_view kOutcomesPrefix = "sweep:outcomes:";

std::string Padded(uint64_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(n));
  return buf;
}

std::string RunKey(uint64_t id) { return std::string(kRunPrefix) + Padded(id, 20); }
std::string OutcomesPrefix(uint64_t id) { return std::string(kOutcomesPrefix) + Padded(id, 20) + ":"; }

constexpr auto kOutcomesSpace = storage::StatusIndex::MetaSpace::kOutcomes;

}  // namespace

Result<std::vector<SweepRun>> SweepStore::ListRuns() const {
  std::vector<SweepRun> runs;
  Status damaged;
  Status st = index_->ForEachMeta(kRunPrefix, [&](std::string_view key, std::string_view value) {
    auto run = ParseSweepRun(value);
    if (!run.ok()) {
      damaged = Corruption("sweep run " + std::string(key.substr(kRunPrefix.size())) + ": " + run.status().message());
      return false;
    }
    runs.push_back(std::move(run).value());
    return true;
  });
  if (!st.ok()) return st;
  if (!damaged.ok()) return damaged;
  return runs;
}

Result<std::optional<SweepRun>> SweepStore::LoadRun(uint64_t id) const {
  auto value = index_->GetMeta(RunKey(id));
  if (!value.ok()) return value.status();
  if (!*value) return std::optional<SweepRun>();
  auto run = ParseSweepRun(**value);
  if (!run.ok()) return Corruption("sweep run " + std::to_string(id) + ": " + run.status().message());
  return std::optional<SweepRun>(std::move(run).value());
}

Result<uint64_t> SweepStore::NextRunId() const {
  uint64_t last = 0;
  Status damaged;
  Status st = index_->ForEachMeta(kRunPrefix, [&](std::string_view key, std::string_view) {
    std::string_view digits = key.substr(kRunPrefix.size());
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), last);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      damaged = Corruption("sweep run key '" + std::string(key) + "' is not a run number");
      return false;
    }
    return true;
  });
  if (!st.ok()) return st;
  if (!damaged.ok()) return damaged;
  if (last == UINT64_MAX) return Corruption("sweep run numbers are exhausted");
  return last + 1;
}

Status SweepStore::ForEachOutcome(uint64_t id, const std::function<void(SweepOutcome&&)>& fn) const {
  Status damaged;
  bool found = false;
  auto each_chunk = [&](std::string_view key, std::string_view value) {
    found = true;
    SweepSource previous_source;  // within the chunk
    bool first = true;
    while (!value.empty()) {
      SweepOutcome o;
      if (!DecodeSweepOutcome(&value, &o, first ? nullptr : &previous_source)) {
        damaged = Corruption("sweep outcomes " + std::string(key) + " are damaged");
        return false;
      }
      previous_source = o.source;
      first = false;
      fn(std::move(o));
    }
    return true;
  };
  index_->ReadAhead(OutcomesPrefix(id), kOutcomesSpace, UINT64_MAX);
  Status st = index_->ForEachMeta(OutcomesPrefix(id), each_chunk, kOutcomesSpace);
  // Runs stored by credsweep before the outcomes family kept theirs in meta.
  if (st.ok() && damaged.ok() && !found) st = index_->ForEachMeta(OutcomesPrefix(id), each_chunk);
  return st.ok() ? damaged : st;
}

Status SweepStore::SaveRun(const SweepRun& run, const std::vector<SweepOutcome>& outcomes) {
  if (Status st = SaveOutcomes(run.id, outcomes); !st.ok()) return st;
  return SaveRunRecord(run);
}

Status SweepStore::SaveOutcomes(uint64_t id, const std::vector<SweepOutcome>& outcomes) {
  // Chunks left under the id by an attempt cut off before its run record.
  if (Status st = DeleteOutcomes(id); !st.ok()) return st;
  auto writer = index_->NewMetaBulkWriter(kOutcomesSpace);
  if (!writer.ok()) return writer.status();
  const std::string prefix = OutcomesPrefix(id);
  std::string value;
  uint64_t chunk = 0;
  for (size_t i = 0; i < outcomes.size(); i += kOutcomesPerChunk) {
    value.clear();
    for (size_t j = i; j < outcomes.size() && j < i + kOutcomesPerChunk; ++j) {
      EncodeSweepOutcome(outcomes[j], &value, j > i ? &outcomes[j - 1].source : nullptr);
    }
    if (Status st = (*writer)->Add(prefix + Padded(chunk++, 10), value); !st.ok()) return st;
  }
  return (*writer)->Finish();
}

Status SweepStore::DeleteOutcomes(uint64_t id) {
  if (Status st = index_->DeleteMetaPrefix(OutcomesPrefix(id), kOutcomesSpace); !st.ok()) return st;
  return index_->DeleteMetaPrefix(OutcomesPrefix(id));  // stored before the outcomes family
}

Status SweepStore::SaveRunRecord(const SweepRun& run) {
  // The run record last: the run exists once all of it is durable.
  return index_->PutMeta(RunKey(run.id), SweepRunToJson(run));
}

Status SweepStore::Prune(size_t keep, size_t* removed) {
  *removed = 0;
  auto runs = ListRuns();
  if (!runs.ok()) return runs.status();
  if (keep == 0 || runs->size() <= keep) return Status::Ok();
  // The newest `keep` of each shard stay (runs are in id order).
  std::map<std::string, size_t> kept;
  for (size_t i = runs->size(); i-- > 0;) {
    if (++kept[(*runs)[i].shard] <= keep) continue;
    const uint64_t id = (*runs)[i].id;
    // The record first: a run is gone once its record is.
    if (Status st = index_->WriteMeta({}, {RunKey(id)}); !st.ok()) return st;
    if (Status st = DeleteOutcomes(id); !st.ok()) return st;
    ++*removed;
  }
  return Status::Ok();
}

}  // namespace credsweep::io
