#include "io/status_lists/freshness.h"

#include <simdjson.h>

#include <algorithm>
#include <limits>

#include "engine/credential_reader.h"

namespace credsweep::io {
namespace {

// credentialSubject.ttl (VC 2.0, StatusList2021) or vc.credentialSubject.ttl (VC 1.1 JWT claims).
std::optional<uint64_t> TtlMillis(const std::string& payload_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(payload_json).get(root) != simdjson::SUCCESS) return std::nullopt;
  for (auto subject : {root["credentialSubject"], root["vc"]["credentialSubject"]}) {
    uint64_t ttl;
    if (subject["ttl"].get_uint64().get(ttl) == simdjson::SUCCESS) return ttl;
  }
  return std::nullopt;
}

// a + b without overflow (both non-negative in practice; saturates).
UnixSeconds AddSaturating(UnixSeconds a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<UnixSeconds>::max() - b) return std::numeric_limits<UnixSeconds>::max();
  return a + b;
}

}  // namespace

UnixSeconds ListFreshUntil(std::string_view document, UnixSeconds fetched_at, int64_t max_age_seconds) {
  UnixSeconds until = AddSaturating(fetched_at, std::max<int64_t>(0, max_age_seconds));
  UnverifiedCredential c = ReadUnverifiedCredential(document);
  if (auto ttl = TtlMillis(c.payload_json)) {
    const uint64_t seconds = *ttl / 1000;  // well below INT64_MAX for any uint64
    until = std::min(until, AddSaturating(fetched_at, static_cast<int64_t>(seconds)));
  }
  if (c.credential.valid_until) until = std::min(until, *c.credential.valid_until);
  return until;
}

}  // namespace credsweep::io
