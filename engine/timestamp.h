// Points in time as Unix seconds, and the RFC 3339 / XML Schema dateTimeStamp
// syntax credentials use.
#ifndef CREDSWEEP_ENGINE_TIMESTAMP_H_
#define CREDSWEEP_ENGINE_TIMESTAMP_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace credsweep {

// Seconds since 1970-01-01T00:00:00Z; fractional seconds are truncated.
using UnixSeconds = int64_t;

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" (dateTimeStamp: the
// offset is required). 't'/'z' are accepted in lower case, as RFC 3339 allows.
// Returns nullopt for any other syntax or an impossible date.
std::optional<UnixSeconds> ParseDateTimeStamp(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ" ("invalid-date" outside the years 0000-9999).
std::string FormatUtc(UnixSeconds t);

// The same text into `out`, without an allocation (for the verification hot
// path); returns its length.
inline constexpr size_t kUtcTextSize = 20;
size_t FormatUtcInto(UnixSeconds t, char (&out)[kUtcTextSize]);

UnixSeconds NowUtc();

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_TIMESTAMP_H_
