// `--nonces FILE`: the nonce the verifier gave each applicant, for the presentations
// and key binding JWTs in their files. The file is one JSON object mapping a path
// (a file, or a folder ending in '/', as the record sources name it) to a nonce:
//
//   {"applicants/ana/": "8f1c2e", "applicants/bob/": "51d0aa", "late/carol.jwt": "77e1"}
//
// Paths are compared as absolute, lexically normal paths, so `applicants/ana/`
// matches records read through `./applicants` or an absolute path too. A record's
// nonce is that of the longest path that is its file or a folder above it; a
// record no path covers keeps --nonce, or (without one) a nonce no presentation
// can answer, so a folder the file forgot is not silently left unchallenged.
#ifndef CREDSWEEP_IO_CLI_APPLICANT_NONCES_H_
#define CREDSWEEP_IO_CLI_APPLICANT_NONCES_H_

#include <map>
#include <string>
#include <string_view>

#include "engine/result.h"

namespace credsweep::io::cli {

class ApplicantNonces {
 public:
  // InvalidArgument (a usage error) for a file that is not such an object.
  static Result<ApplicantNonces> Load(const std::string& path);

  // The nonce for the record named `source` (PATH, PATH:LINE, PATH#K, PATH:LINE#K),
  // or empty.
  std::string For(std::string_view source) const;
  bool empty() const { return by_path_.empty(); }

 private:
  std::map<std::string, std::string, std::less<>> by_path_;
};

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_APPLICANT_NONCES_H_
