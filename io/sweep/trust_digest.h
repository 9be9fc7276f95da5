// The trust-configuration digest a sweep run records: one SHA-256 over everything
// that decides whether a seal is trusted (key and anchor files, the registry,
// trusted lists, accreditation records, and the policy settings), so that two
// runs can be told apart when their trust changed. Status lists are not part of
// it: revocation is expected to change from night to night.
#ifndef CREDSWEEP_IO_SWEEP_TRUST_DIGEST_H_
#define CREDSWEEP_IO_SWEEP_TRUST_DIGEST_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/result.h"

namespace credsweep::io {

// Both digests of one reading of the trust files: `whole` covers every file and
// each path as given; `kept` (what a kept reading depends on) leaves out the files
// `skip` names and the paths themselves: the same files named otherwise (a
// relative path, another mount point) give the same `kept`.
struct TrustDigests {
  std::string whole;
  std::string kept;
};

// `paths`: (option, path) pairs, files or folders (read recursively, in sorted
// order; each file's path below the folder is part of the digest); empty paths are
// skipped. `settings`: (name, value) pairs. The digest covers, in order, each
// pair's name and value, and each file's SHA-256 (docs/sweep.md gives the exact
// input). Lowercase hex. IoError naming the file that cannot be read. `skip`
// (may be null): files below a folder option that `kept` leaves out, by option
// and path relative to the folder. Each file is read once.
Result<TrustDigests> TrustDigest(
    const std::vector<std::pair<std::string, std::string>>& paths,
    const std::vector<std::pair<std::string, std::string>>& settings,
    const std::function<bool(const std::string& option, const std::string& relative)>& skip = nullptr);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_TRUST_DIGEST_H_
