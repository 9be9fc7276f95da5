// Reading status rows for `credsweep import`: CSV `id,state,reason[,time]` (an
// optional header line starting with `id,` is skipped; fields may be quoted as in
// RFC 4180) or JSON Lines `{"id":..,"state":..,"reason":..,"time":..}`.
#ifndef CREDSWEEP_IO_STATUS_IMPORT_H_
#define CREDSWEEP_IO_STATUS_IMPORT_H_

#include <string>
#include <string_view>

#include "engine/result.h"
#include "engine/ports.h"

namespace credsweep::io {

struct StatusRow {
  std::string id;
  CredentialState state = CredentialState::kRevoked;
  std::string reason;
  UnixSeconds time = 0;  // 0: not given
};

// Parses one line. A header line gives NotFound (skip silently); a malformed row
// gives InvalidArgument with the reason.
Result<StatusRow> ParseStatusRow(std::string_view line);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_STATUS_IMPORT_H_
