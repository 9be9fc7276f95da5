#include "io/report/duplicate_ids.h"

#include <functional>

namespace credsweep::io {

std::string_view DuplicateIds::See(const std::string& id, const std::string& source) {
  if (id.empty()) return {};
  auto hash_of = [](std::string_view s) { return static_cast<uint64_t>(std::hash<std::string_view>()(s)); };
  const uint64_t hash = hash_of(id);
  const uint32_t seen = slots_.Find(hash, [&](uint32_t i) { return first_[i].first == id; });
  if (seen != HashSlots::kNone) return first_[seen].second;
  if (first_.size() >= max_ids_) {
    capped_ = true;
    return {};
  }
  slots_.Insert(hash, static_cast<uint32_t>(first_.size()), [&](uint32_t i) { return hash_of(first_[i].first); });
  first_.emplace_back(copies_.Copy(id), copies_.Copy(source));
  return {};
}

}  // namespace credsweep::io
