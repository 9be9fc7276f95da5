#include "io/slot_book.h"

#include <spdlog/spdlog.h>

namespace credsweep::io {

std::pair<std::string, uint64_t> CarriedSlot(const Credential& c, const std::string& source) {
  for (const StatusEntry& e : c.status_entries) {
    if (e.purpose != "revocation" || e.list_url.empty() || !e.index) continue;
    for (const StatusEntry& other : c.status_entries) {
      if (other.purpose == "suspension" && other.list_url != e.list_url + "-suspension") {
        spdlog::warn("{}: a suspension is published at {}-suspension, not at the credential's {}", source,
                     e.list_url, other.list_url);
      }
    }
    return {e.list_url, *e.index};
  }
  return {};
}

Result<SlotBook> SlotBook::Read(const storage::StatusIndex& index) {
  SlotBook book;
  Status s = index.ForEach([&](std::string_view id, const StatusRecord& r) {
    if (r.list_id.empty()) return;
    book.holder_[{r.list_id, r.list_index}] = std::string(id);
    if (!r.issuer.empty()) book.list_issuer_.emplace(r.list_id, r.issuer);
  });
  if (!s.ok()) return s;
  return book;
}

std::string SlotBook::Refusal(const std::string& id, const std::string& issuer, const std::string& list,
                              uint64_t index, const std::optional<StatusRecord>& existing) const {
  const std::string slot = list + "#" + std::to_string(index);
  if (auto h = holder_.find({list, index}); h != holder_.end() && h->second != id) {
    return "its status entry " + slot + " is the slot of " + h->second;
  }
  if (auto li = list_issuer_.find(list); li != list_issuer_.end() && li->second != issuer) {
    return "its status list " + list + " is a list of " + li->second + ", not of its issuer " + issuer;
  }
  if (existing && !existing->list_id.empty() && (existing->list_id != list || existing->list_index != index)) {
    return "it is registered at " + existing->list_id + "#" + std::to_string(existing->list_index) + ", but carries " +
           slot;
  }
  return {};
}

void SlotBook::Hold(const std::string& id, const std::string& issuer, const std::string& list, uint64_t index) {
  holder_[{list, index}] = id;
  list_issuer_.emplace(list, issuer);
}

}  // namespace credsweep::io
