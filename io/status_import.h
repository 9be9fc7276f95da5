// Reading status rows for `credsweep import` (docs/status-import.md): CSV
// `id,state,reason[,time]` with an optional header row and RFC 4180 quoting, or
// JSON Lines `{"id":..,"state":..,"reason":..,"time" or "changed_at":..}`, as
// spreadsheets and other systems write them.
#ifndef CREDSWEEP_IO_STATUS_IMPORT_H_
#define CREDSWEEP_IO_STATUS_IMPORT_H_

#include <string>
#include <string_view>

#include "engine/ports.h"
#include "engine/timestamp.h"

namespace credsweep::io {

// Limits on one row; a longer line or field is malformed (code line_too_long,
// id_too_long, reason_too_long).
inline constexpr size_t kMaxImportLineBytes = 64 * 1024;
inline constexpr size_t kMaxImportIdBytes = 2048;
inline constexpr size_t kMaxImportReasonBytes = 4096;

struct StatusRow {
  std::string id;
  CredentialState state = CredentialState::kRevoked;
  std::string reason;
  UnixSeconds time = 0;  // 0: not given
};

// What one line holds.
struct ParsedRow {
  enum class Kind { kRow, kHeader, kMalformed };
  Kind kind = Kind::kMalformed;
  StatusRow row;        // kRow
  std::string code;     // kMalformed: a stable code (bad_state, future_time, ...)
  std::string message;  // kMalformed: what is wrong, naming the value
};

// Parses one line (without its '\n'; a trailing '\r' is ignored). A row dated
// after `now` is malformed (future_time). Never throws.
ParsedRow ParseStatusRow(std::string_view line, UnixSeconds now);

// `text` without a leading UTF-8 byte order mark (as Excel's "CSV UTF-8" writes).
std::string_view StripUtf8Bom(std::string_view text);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_STATUS_IMPORT_H_
