// The revocation check: the engine's own status index and the status lists a
// credential points to. Revoked, suspended, "could not be fetched" and "nothing
// known" are always different answers. Private to engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_REVOCATION_H_
#define CREDSWEEP_ENGINE_CHECKS_REVOCATION_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/checks/format.h"
#include "engine/status_list.h"
#include "engine/verifier.h"

namespace credsweep::checks {

// A status list credential, fetched, verified and decoded once per Verifier.
struct ResolvedList {
  Finding problem;  // ok(): usable
  std::string issuer;
  std::vector<std::string> purposes;
  StatusBitstring bits;
  std::optional<UnixSeconds> valid_until;
  std::map<uint32_t, std::string> messages;  // statusMessage: value -> text
  // An IETF Token Status List (statuslist+jwt): bits per entry (1, 2, 4 or 8);
  // 0 for a Bitstring Status List credential.
  unsigned token_bits = 0;
};

// Where the check gets lists from (the Verifier's cache). Thread-safe.
class ListResolver {
 public:
  virtual ~ListResolver() = default;
  virtual std::shared_ptr<const ResolvedList> Resolve(const std::string& url) const = 0;
  // Asks the processor to fetch the bits of entry `index` (of `bits_per_entry`
  // bits; 0: the list's own width, a Status List Token's) of the list at `url`,
  // when this thread has that list in hand already. A hint: never loads a list,
  // never fails.
  virtual void Prefetch(const std::string& url, uint64_t index, unsigned bits_per_entry) const {
    (void)url;
    (void)index;
    (void)bits_per_entry;
  }
};

// Requires a credential whose format and seal passed, and a configured source
// (status index or lists).
CheckResult CheckRevocation(const ParsedCredential& cred, const VerifierOptions& options, const ListResolver& lists);

// Announces the status list entries CheckRevocation will look at for `cred`
// (ListResolver::Prefetch): called a while before it, so that the bits, in lists
// of millions of entries, have arrived from memory when it runs.
void PrefetchStatusEntries(const ParsedCredential& cred, const ListResolver& lists);

// Reads a verified status list credential's JSON (its subject, purposes, messages
// and encodedList) into *out; sets out->problem when it is not a usable list.
void ReadListSubject(std::string_view payload_json, size_t max_list_bytes, ResolvedList* out);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_REVOCATION_H_
