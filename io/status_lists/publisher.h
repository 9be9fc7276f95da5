// Publishing the status lists the engine manages (`credsweep lists publish`).
//
// Every record of `issuer` gets a slot (list id, index): records without one are
// given a random free index, so a list does not reveal issue order. For each list
// id L (a URL, BASE/1, BASE/2, ...) two BitstringStatusListCredentials are written,
// both signed by `key`:
//   L             statusPurpose "revocation": bit set for revoked credentials
//   L-suspension  statusPurpose "suspension": bit set for suspended credentials
// Each goes to the path of its URL inside OUT, as vc+jwt (OUT/lists/1 for
// https://status.example/lists/1) and as flattened JWS JSON (OUT/lists/1.json), so
// OUT served as the root of the URLs' host (by `serve --lists OUT`, or any static
// web server) answers the URLs in the credentials. With ListFormat::kTokenStatusList
// each list id L is instead one IETF Status List Token (statuslist+jwt, 2 bits per
// entry: 1 revoked, 2 suspended) at the path of L, for SD-JWT VCs whose
// status.status_list names L. OUT/index.json maps every list
// URL to its file, so the folder is also `verify --status-lists OUT`.
// InvalidArgument for a base URL whose path a file path cannot mirror (see
// docs/status-lists.md), or a list whose file already holds another URL's list.
#ifndef CREDSWEEP_IO_STATUS_LISTS_PUBLISHER_H_
#define CREDSWEEP_IO_STATUS_LISTS_PUBLISHER_H_

#include <string>
#include <vector>

#include "engine/result.h"
#include "engine/signer.h"
#include "storage/status_index.h"

namespace credsweep::io {

enum class ListFormat {
  kBitstring,        // W3C BitstringStatusListCredentials: L (revocation) and L-suspension
  kTokenStatusList,  // IETF Status List Tokens (statuslist+jwt): one list L, 2 bits per entry
};

struct PublishOptions {
  std::string issuer;       // only this issuer's records; the lists' issuer
  std::string base_url;     // list ids are base_url + "/" + n (trailing slashes dropped)
  std::string out_dir;
  uint64_t list_entries = 131072;  // at least the W3C minimum
  int64_t ttl_seconds = 86400;     // validUntil = now + ttl; also the ttl member (ms)
  UnixSeconds now = 0;             // 0: the current time
  ListFormat format = ListFormat::kBitstring;
};

struct PublishStats {
  size_t lists = 0, records = 0, newly_assigned = 0, revoked = 0, suspended = 0;
  std::vector<std::string> urls;  // every list written (L and L-suspension), in order
};

Result<PublishStats> PublishStatusLists(storage::StatusIndex& index, const PrivateKey& key,
                                        const PublishOptions& options);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_STATUS_LISTS_PUBLISHER_H_
