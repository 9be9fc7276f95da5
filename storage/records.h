// The status index's records and their binary encodings (docs/storage-format.md).
#ifndef CREDSWEEP_STORAGE_RECORDS_H_
#define CREDSWEEP_STORAGE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/ports.h"

namespace credsweep::storage {

enum class Operation : uint8_t {
  kRegister = 1,
  kRevoke = 2,
  kSuspend = 3,
  kReinstate = 4,
  kImport = 5,
  kUnrevoke = 6,  // reinstate of a revoked credential, allowed explicitly (--allow-unrevoke)
};
std::string_view OperationName(Operation op);

// One entry of the hash-chained event log.
struct Event {
  uint64_t seq = 0;
  UnixSeconds time = 0;
  Operation op = Operation::kRegister;
  std::string id;
  std::optional<CredentialState> old_state;  // nullopt: was unknown
  CredentialState new_state = CredentialState::kActive;
  std::string actor;
  std::string reason;
  std::string prev_hash;  // 32 bytes; zeros for the first event
  std::string hash;       // SHA-256(prev_hash || EncodeEventBody(event))
};

inline constexpr uint8_t kRecordVersion = 1;

std::string EncodeStatusRecord(const StatusRecord& r);
bool DecodeStatusRecord(std::string_view in, StatusRecord* r);

// A StatusRecord's fields as decoded from `in`, the strings as views into it.
struct StatusRecordView {
  CredentialState state = CredentialState::kActive;
  UnixSeconds changed_at = 0;
  uint64_t last_event = 0;
  std::string_view reason, list_id;
  uint64_t list_index = 0;
  std::string_view issuer;
};
bool DecodeStatusRecordView(std::string_view in, StatusRecordView* r);

// The hashed part of an event: everything but `hash` itself.
std::string EncodeEventBody(const Event& e);
// Body followed by the 32-byte hash.
std::string EncodeEvent(const Event& e);
bool DecodeEvent(std::string_view in, Event* e);

// The hash an event must carry, given its predecessor's.
std::string ChainHash(const Event& e);

}  // namespace credsweep::storage

#endif  // CREDSWEEP_STORAGE_RECORDS_H_
