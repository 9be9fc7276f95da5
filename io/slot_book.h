// The status list slots an index holds, for registering credentials with the slot
// they carry (`credsweep register`, RESP CRED.ENROL): a slot (list URL, index) is
// one credential's, and a list is one issuer's. Not thread-safe.
#ifndef CREDSWEEP_IO_SLOT_BOOK_H_
#define CREDSWEEP_IO_SLOT_BOOK_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "engine/credential.h"
#include "engine/result.h"
#include "storage/records.h"
#include "storage/status_index.h"

namespace credsweep::io {

// The slot a credential carries: its revocation entry (a Bitstring or 2021 status
// list entry with an index, or an SD-JWT VC's status_list). Empty list URL when it
// carries none. Logs a warning (naming `source`) when its suspension entry is not
// at the revocation list's "-suspension" companion, where lists are published.
std::pair<std::string, uint64_t> CarriedSlot(const Credential& c, const std::string& source);

class SlotBook {
 public:
  // Every slot the index's records hold (one scan).
  static Result<SlotBook> Read(const storage::StatusIndex& index);

  // Why credential `id` of `issuer` may not take slot (`list`, `index`), or "" when
  // it may; `existing` is the id's record, if any: a credential registered at
  // another slot keeps it.
  std::string Refusal(const std::string& id, const std::string& issuer, const std::string& list, uint64_t index,
                      const std::optional<StatusRecord>& existing) const;
  // Records that `id` of `issuer` holds the slot.
  void Hold(const std::string& id, const std::string& issuer, const std::string& list, uint64_t index);

 private:
  std::map<std::pair<std::string, uint64_t>, std::string> holder_;  // slot -> credential id
  std::map<std::string, std::string> list_issuer_;                  // list URL -> issuer
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SLOT_BOOK_H_
