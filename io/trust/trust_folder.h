// A folder of verified EU trusted lists, written by `credsweep trust update` and
// read by `verify --trusted-lists` (layout: docs/trusted-lists.md):
//
//   index.json      {"format":"credsweep-trusted-lists/1","lotl_url":…,"updated":…,
//                    "files":{URL: relative path},"lists":[…],"refused":[…]}
//   lotl.xml        the LOTL
//   pivots/NAME     the pivot LOTLs walked to verify it (URL basename)
//   lists/CC.xml    each accepted national list
//
// Only verified bytes are stored, and loading verifies them again from the
// LOTL signing certificates on: the folder is a cache, never a trust root.
#ifndef CREDSWEEP_IO_TRUST_TRUST_FOLDER_H_
#define CREDSWEEP_IO_TRUST_TRUST_FOLDER_H_

#include <memory>
#include <string>
#include <vector>

#include "engine/trusted_services.h"
#include "io/trust/lotl.h"

namespace credsweep::io {

// Reads list documents from `dir` instead of the network: URL -> file from
// DIR/index.json (its "files" object, or the whole object as in a status list
// folder), else the URL's basename in DIR. Paths stay inside DIR; files over
// `max_bytes` are refused. Errors: NotFound, IoError, InvalidArgument (index).
Result<ListFetcher> FolderFetcher(const std::string& dir, size_t max_bytes);

// Writes the accepted LOTL, the pivots walked and the accepted national lists
// with index.json (written last, by rename). Files of an earlier update that
// this one no longer names are removed. Errors: IoError.
Status StoreTrustedLists(const TrustedListsOutcome& outcome, const std::string& dir, UnixSeconds updated);

struct LoadedTrustedLists {
  std::shared_ptr<const TrustedServiceSet> services;  // from every accepted national list
  TrustedListsOutcome outcome;                        // what was accepted and refused, and why
};

// Re-verifies a stored folder at time `at` (the time of use: NextUpdate) from
// `lotl_certs` (DER) on, and collects the services of the lists that pass.
// Errors: NotFound/InvalidArgument for a missing or bad index.json,
// Corruption "LOTL refused: …" when the LOTL does not verify (nothing is trusted).
Result<LoadedTrustedLists> LoadTrustedLists(const std::string& dir, const std::vector<std::string>& lotl_certs,
                                            UnixSeconds at, const TrustedListOptions& options = {});

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_TRUST_TRUST_FOLDER_H_
