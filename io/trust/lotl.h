// Following the EU List of Trusted Lists: verify the LOTL against the signing
// certificates the user trusts (from the Official Journal, or a later announced
// set), walking the pivot LOTLs when the LOTL's signer is newer than those
// certificates, then fetch and verify each national list against the
// certificates the LOTL announces for it.
//
// Every list ends with a ListOutcome; a refused national list never stops the
// others. Where the documents come from is the caller's ListFetcher (HTTP, or a
// folder for offline use and tests). Not thread-safe per call; no shared state.
#ifndef CREDSWEEP_IO_TRUST_LOTL_H_
#define CREDSWEEP_IO_TRUST_LOTL_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "io/trust/trusted_list.h"

namespace credsweep::io {

inline constexpr char kEuLotlUrl[] = "https://ec.europa.eu/tools/lotl/eu-lotl.xml";

// Returns the document at `url`; any error becomes a kUnavailable outcome.
using ListFetcher = std::function<Result<std::string>(const std::string& url)>;

struct ListOutcome {
  std::string name;  // "LOTL", "pivot <url basename>", or the territory code
  std::string url;
  ListVerdict verdict = ListVerdict::kUnavailable;
  std::string message;
  std::optional<TrustedListContent> list;  // set when accepted
  std::string xml;                         // the verified bytes, when accepted

  bool accepted() const { return verdict == ListVerdict::kAccepted; }
};

struct LotlOptions {
  std::string lotl_url = kEuLotlUrl;
  std::optional<UnixSeconds> at;        // NextUpdate check for the LOTL and the TLs; none: no check
  std::vector<std::string> territories; // only these national lists; empty: all
  TrustedListOptions list;
};

struct TrustedListsOutcome {
  ListOutcome lotl;
  std::vector<ListOutcome> pivots;  // those fetched while walking, oldest first
  std::vector<ListOutcome> lists;   // national lists, in LOTL order
};

// The LOTL, verified with `lotl_certs` (DER) directly, or else through its pivots:
// each pivot (oldest first) that verifies with the current set replaces it with
// the set it announces for the EU; one that does not is recorded and skipped.
ListOutcome VerifyLotl(const ListFetcher& fetch, const std::vector<std::string>& lotl_certs,
                       const LotlOptions& options, std::vector<ListOutcome>* pivots);

// The LOTL, then every national XML list it points to (see LotlOptions). When the
// LOTL is refused, `lists` is empty.
TrustedListsOutcome FetchTrustedLists(const ListFetcher& fetch, const std::vector<std::string>& lotl_certs,
                                      const LotlOptions& options);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_TRUST_LOTL_H_
