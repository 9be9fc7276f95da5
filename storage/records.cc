#include "storage/records.h"

#include "engine/sha256.h"
#include "engine/coding.h"

namespace credsweep::storage {
namespace {

constexpr uint8_t kUnknownState = 0xFF;

bool ValidState(uint8_t s) { return s <= static_cast<uint8_t>(CredentialState::kSuspended); }

}  // namespace

std::string_view OperationName(Operation op) {
  switch (op) {
    case Operation::kRegister: return "register";
    case Operation::kRevoke: return "revoke";
    case Operation::kSuspend: return "suspend";
    case Operation::kReinstate: return "reinstate";
    case Operation::kImport: return "import";
    case Operation::kUnrevoke: return "unrevoke";
  }
  return "?";
}

std::string EncodeStatusRecord(const StatusRecord& r) {
  std::string out;
  out.push_back(static_cast<char>(kRecordVersion));
  out.push_back(static_cast<char>(r.state));
  PutFixed64(&out, static_cast<uint64_t>(r.changed_at));
  PutVarint64(&out, r.last_event);
  PutLengthPrefixed(&out, r.reason);
  PutLengthPrefixed(&out, r.list_id);
  if (!r.list_id.empty()) PutVarint64(&out, r.list_index);
  PutLengthPrefixed(&out, r.issuer);
  return out;
}

bool DecodeStatusRecordView(std::string_view in, StatusRecordView* r) {
  uint8_t version, state;
  uint64_t changed;
  if (!GetByte(&in, &version) || version != kRecordVersion || !GetByte(&in, &state) || !ValidState(state) ||
      !GetFixed64(&in, &changed) || !GetVarint64(&in, &r->last_event) || !GetLengthPrefixed(&in, &r->reason) ||
      !GetLengthPrefixed(&in, &r->list_id)) {
    return false;
  }
  r->state = static_cast<CredentialState>(state);
  r->changed_at = static_cast<UnixSeconds>(changed);
  r->list_index = 0;
  if (!r->list_id.empty() && !GetVarint64(&in, &r->list_index)) return false;
  return GetLengthPrefixed(&in, &r->issuer) && in.empty();
}

bool DecodeStatusRecord(std::string_view in, StatusRecord* r) {
  StatusRecordView v;
  if (!DecodeStatusRecordView(in, &v)) return false;
  r->state = v.state;
  r->changed_at = v.changed_at;
  r->last_event = v.last_event;
  r->reason = v.reason;
  r->list_id = v.list_id;
  r->list_index = v.list_index;
  r->issuer = v.issuer;
  return true;
}

std::string EncodeEventBody(const Event& e) {
  std::string out;
  out.push_back(static_cast<char>(kRecordVersion));
  PutFixed64(&out, e.seq);
  PutFixed64(&out, static_cast<uint64_t>(e.time));
  out.push_back(static_cast<char>(e.op));
  out.push_back(static_cast<char>(e.old_state ? static_cast<uint8_t>(*e.old_state) : kUnknownState));
  out.push_back(static_cast<char>(e.new_state));
  PutLengthPrefixed(&out, e.id);
  PutLengthPrefixed(&out, e.actor);
  PutLengthPrefixed(&out, e.reason);
  out.append(e.prev_hash);
  return out;
}

std::string EncodeEvent(const Event& e) { return EncodeEventBody(e) + e.hash; }

bool DecodeEvent(std::string_view in, Event* e) {
  uint8_t version, op, old_state, new_state;
  uint64_t seq, time;
  std::string_view id, actor, reason;
  if (!GetByte(&in, &version) || version != kRecordVersion || !GetFixed64(&in, &seq) ||
      !GetFixed64(&in, &time) || !GetByte(&in, &op) || op < 1 || op > 6 || !GetByte(&in, &old_state) ||
      !GetByte(&in, &new_state) || !ValidState(new_state) ||
      (old_state != kUnknownState && !ValidState(old_state)) || !GetLengthPrefixed(&in, &id) ||
      !GetLengthPrefixed(&in, &actor) || !GetLengthPrefixed(&in, &reason) || in.size() != 64) {
    return false;
  }
  e->seq = seq;
  e->time = static_cast<UnixSeconds>(time);
  e->op = static_cast<Operation>(op);
  e->old_state = old_state == kUnknownState ? std::nullopt
                                            : std::optional(static_cast<CredentialState>(old_state));
  e->new_state = static_cast<CredentialState>(new_state);
  e->id = std::string(id);
  e->actor = std::string(actor);
  e->reason = std::string(reason);
  e->prev_hash = std::string(in.substr(0, 32));
  e->hash = std::string(in.substr(32));
  return true;
}

std::string ChainHash(const Event& e) { return Sha256(e.prev_hash, EncodeEventBody(e)); }

}  // namespace credsweep::storage
