// StatusIndex::Audit: the hash chain, then everything derived from it.
//
// The event log is the only part an attacker cannot edit unseen (the chain and an
// anchored head protect it); the state records, the by-id listing and the head
// are caches of it. So the audit verifies the chain first and then proves each
// cache against it, with sequential scans plus one or two point reads per entry.
#include <rocksdb/db.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "engine/credential_id.h"
#include "engine/coding.h"
#include "storage/internal/index_impl.h"
#include "storage/status_index.h"

namespace credsweep::storage {
namespace {

using internal::ByIdPrefix;
using internal::Translate;

// Record-level problems, counted in full and listed up to a cap.
class Findings {
 public:
  Findings(AuditReport* report, size_t max) : report_(report), max_(max) {}
  void Add(std::string_view id, const std::string& what) {
    ++report_->problem_count;
    if (report_->problems.size() < max_) report_->problems.push_back("'" + std::string(id) + "': " + what);
  }

 private:
  AuditReport* report_;
  size_t max_;
};

std::string Seq(uint64_t seq) { return "event " + std::to_string(seq); }

// What differs between a state record and the event that must have set it.
std::string Differences(const StatusRecord& r, const Event& e) {
  std::string out;
  auto add = [&](const std::string& what) { out += (out.empty() ? "" : "; ") + what; };
  if (r.last_event != e.seq) {
    add("the record names " + Seq(r.last_event) + ", its last event is " + std::to_string(e.seq));
  }
  if (r.state != e.new_state) {
    add("the record says " + std::string(StateName(r.state)) + ", " + Seq(e.seq) + " says " +
        std::string(StateName(e.new_state)));
  }
  if (r.reason != e.reason) add("the record's reason differs from " + Seq(e.seq));
  if (r.changed_at != e.time) add("the record's time differs from " + Seq(e.seq));
  return out;
}

// Walks `events` from 1; stops verifying at the first bad link but keeps counting
// entries (`*log_entries`) so that the listing check covers the whole log.
Status WalkChain(const internal::IndexState& impl, const AuditOptions& o, AuditReport* report,
                        uint64_t* log_entries) {
  std::string prev(32, '\0');
  std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions(), impl.events));
  auto broken = [&](uint64_t seq, const std::string& why) {
    if (!report->first_broken) {
      report->first_broken = seq;
      report->message = Seq(seq) + ": " + why;
    }
  };
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++*log_entries;
    if (report->first_broken) continue;
    uint64_t expected = report->events + 1;
    Event e;
    if (it->key().size() != 8 || !DecodeEvent(std::string_view(it->value().data(), it->value().size()), &e)) {
      broken(expected, "record is damaged");
      continue;
    }
    uint64_t key_seq = DecodeBigEndian64(std::string_view(it->key().data(), 8));
    if (key_seq != expected || e.seq != expected) {
      broken(expected, "missing (found " + std::to_string(key_seq) + " next)");
    } else if (e.prev_hash != prev) {
      broken(e.seq, "does not link to event " + std::to_string(e.seq - 1));
    } else if (ChainHash(e) != e.hash) {
      broken(e.seq, "content does not match its hash (edited)");
    } else {
      prev = e.hash;
      report->events = e.seq;
      if (o.expect_hash && *o.expect_hash == e.hash && o.expect_seq.value_or(e.seq) == e.seq) {
        report->anchor_found = true;
      }
    }
  }
  if (!it->status().ok()) return Translate(it->status(), "audit");
  report->head_seq = report->events;
  report->head_hash = prev;
  if (report->first_broken) return Status::Ok();
  std::string head;
  rocksdb::Status s = impl.db->Get(rocksdb::ReadOptions(), impl.meta, internal::kHeadKey, &head);
  if (s.ok()) {
    std::string_view in(head);
    uint64_t head_seq = 0;
    if (!GetFixed64(&in, &head_seq) || head_seq != report->events || in != prev) {
      broken(report->events + 1, "the chain head does not match the last event (events were removed)");
    }
  } else if (!s.IsNotFound()) {
    return Translate(s, "audit");
  } else if (report->events) {
    broken(report->events, "chain head missing");
  }
  if (!report->first_broken) report->message = std::to_string(report->events) + " events, chain intact";
  return Status::Ok();
}

// Every `by_id` entry must name an event of that id; the last one per id must
// match the id's state record. Counts the entries that do, and the ids whose
// record exists.
Status CheckListing(const internal::IndexState& impl, Findings* findings, uint64_t* entries,
                           uint64_t* ids_with_record) {
  std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions(), impl.by_id));
  std::string id;
  bool have_id = false;
  std::optional<Event> last;
  auto finish = [&]() -> Status {
    if (!have_id) return Status::Ok();
    auto r = impl.Get(id);
    if (!r.ok() && r.status().code() != StatusCode::kCorruption) return r.status();
    if (!r.ok()) {
      ++*ids_with_record;  // damaged: reported by the record scan
      return Status::Ok();
    }
    if (!*r) {
      if (last) findings->Add(id, "has events up to " + std::to_string(last->seq) + " but no state record");
      return Status::Ok();
    }
    ++*ids_with_record;
    if (!last) return Status::Ok();  // its listed events are reported already
    if (std::string diff = Differences(**r, *last); !diff.empty()) findings->Add(id, diff);
    return Status::Ok();
  };
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view in(it->key().data(), it->key().size());
    std::string_view key_id;
    if (!GetLengthPrefixed(&in, &key_id) || in.size() != 8) {
      findings->Add(it->key().ToString(true), "a by-id entry with a damaged key");
      continue;
    }
    if (!have_id || key_id != id) {
      if (Status s = finish(); !s.ok()) return s;
      id = std::string(key_id);
      have_id = true;
      last.reset();
    }
    uint64_t seq = DecodeBigEndian64(in);
    auto e = impl.GetEvent(seq);
    if (!e.ok() && e.status().code() != StatusCode::kCorruption) return e.status();
    if (!e.ok() || !*e) {
      findings->Add(id, "listed with " + Seq(seq) + ", which is " + (e.ok() ? "not in the log" : "damaged"));
    } else if ((*e)->id != id) {
      findings->Add(id, "listed with " + Seq(seq) + ", which belongs to '" + (*e)->id + "'");
    } else {
      ++*entries;
      last = std::move(**e);
    }
  }
  if (!it->status().ok()) return Translate(it->status(), "audit");
  return finish();
}

// Only when the counts say so: names the events missing from `by_id`.
Status FindUnlistedEvents(const internal::IndexState& impl, Findings* findings) {
  std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions(), impl.events));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    Event e;
    if (!DecodeEvent(std::string_view(it->value().data(), it->value().size()), &e)) continue;  // chain reports it
    std::string v;
    rocksdb::Status s = impl.db->Get(rocksdb::ReadOptions(), impl.by_id, internal::ByIdKey(e.id, e.seq), &v);
    if (s.IsNotFound()) findings->Add(e.id, Seq(e.seq) + " is not listed under its id (history would hide it)");
    else if (!s.ok()) return Translate(s, "audit");
  }
  return Translate(it->status(), "audit");
}

// Scans `status`: every record must decode, be keyed by its id's normal form (a
// record under another spelling is one no lookup finds), and no two may hold one slot.
// `ids_with_events` (from the listing) tells whether some record has no event.
Status CheckRecords(const internal::IndexState& impl, uint64_t ids_with_events, Findings* findings,
                           AuditReport* report) {
  std::map<std::string, uint32_t> list_numbers;  // interned list URLs
  std::vector<std::pair<uint32_t, uint64_t>> slots;
  auto scan = [&](const std::function<void(std::string_view, const StatusRecord*)>& fn) -> Status {
    std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions(), impl.status));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      StatusRecord r;
      bool ok = DecodeStatusRecord(std::string_view(it->value().data(), it->value().size()), &r);
      fn(std::string_view(it->key().data(), it->key().size()), ok ? &r : nullptr);
    }
    return Translate(it->status(), "audit");
  };
  Status s = scan([&](std::string_view id, const StatusRecord* r) {
    ++report->records;
    if (!r) return findings->Add(id, "the state record is damaged");
    if (std::string normal = NormalizeCredentialId(id); normal != id) {
      findings->Add(id, "is not in its normal form '" + normal + "', so no lookup finds it");
    }
    if (r->list_id.empty()) return;
    auto [it, fresh] = list_numbers.try_emplace(r->list_id, static_cast<uint32_t>(list_numbers.size()));
    slots.emplace_back(it->second, r->list_index);
  });
  if (!s.ok()) return s;
  std::sort(slots.begin(), slots.end());
  std::set<std::pair<uint32_t, uint64_t>> shared;
  for (size_t i = 1; i < slots.size(); ++i) {
    if (slots[i] == slots[i - 1]) shared.insert(slots[i]);
  }
  bool unlogged = report->records != ids_with_events;
  if (shared.empty() && !unlogged) return Status::Ok();
  std::unique_ptr<rocksdb::Iterator> by_id(impl.db->NewIterator(rocksdb::ReadOptions(), impl.by_id));
  return scan([&](std::string_view id, const StatusRecord* r) {
    if (r && !r->list_id.empty() && shared.count({list_numbers[r->list_id], r->list_index})) {
      findings->Add(id, "shares slot " + std::to_string(r->list_index) + " of " + r->list_id +
                            " with another credential");
    }
    if (!unlogged) return;
    std::string prefix = ByIdPrefix(id);
    by_id->Seek(prefix);
    if (!by_id->Valid() || !by_id->key().starts_with(prefix)) {
      findings->Add(id, "has a state record but no event in the log");
    }
  });
}

}  // namespace

Result<AuditReport> StatusIndex::Audit(const AuditOptions& o) const {
  AuditReport report;
  if (o.expect_hash) report.anchor_found = false;
  Findings findings(&report, o.max_reported);
  uint64_t log_entries = 0, listed = 0, ids_with_record = 0;
  if (Status s = WalkChain(*impl_, o, &report, &log_entries); !s.ok()) return s;
  if (Status s = CheckListing(*impl_, &findings, &listed, &ids_with_record); !s.ok()) return s;
  if (listed != log_entries) {
    if (Status s = FindUnlistedEvents(*impl_, &findings); !s.ok()) return s;
  }
  if (Status s = CheckRecords(*impl_, ids_with_record, &findings, &report); !s.ok()) return s;
  return report;
}

}  // namespace credsweep::storage
