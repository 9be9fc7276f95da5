#include "io/status_lists/freshness.h"

#include <simdjson.h>

#include <algorithm>
#include <limits>

#include "engine/certificate_status.h"
#include "engine/credential_reader.h"
#include "engine/encoding.h"

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

std::string_view TrimmedDocument(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// a + b without overflow (both non-negative in practice; saturates).
UnixSeconds AddSaturating(UnixSeconds a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<UnixSeconds>::max() - b) return std::numeric_limits<UnixSeconds>::max();
  return a + b;
}

// An IETF Status List Token (statuslist+jwt): its ttl (seconds) and exp, else nullopt.
std::optional<std::pair<std::optional<uint64_t>, std::optional<uint64_t>>> TokenTtlExp(std::string_view document) {
  auto parts = SplitCompactJws(TrimmedDocument(document));
  if (!parts) return std::nullopt;
  simdjson::dom::parser parser;
  std::string header = Base64UrlDecode(parts->header64).value_or("");
  std::string_view typ;
  if (header.empty() || parser.parse(header)["typ"].get_string().get(typ) != simdjson::SUCCESS ||
      typ != "statuslist+jwt") {
    return std::nullopt;
  }
  std::string payload = Base64UrlDecode(parts->payload64).value_or("");
  simdjson::dom::element root;
  std::pair<std::optional<uint64_t>, std::optional<uint64_t>> out;
  if (payload.empty() || parser.parse(payload).get(root) != simdjson::SUCCESS) return out;
  uint64_t v;
  if (root["ttl"].get_uint64().get(v) == simdjson::SUCCESS) out.first = v;
  if (root["exp"].get_uint64().get(v) == simdjson::SUCCESS) out.second = v;
  return out;
}

}  // namespace

UnixSeconds ListFreshUntil(std::string_view document, UnixSeconds fetched_at, int64_t max_age_seconds) {
  UnixSeconds until = AddSaturating(fetched_at, std::max<int64_t>(0, max_age_seconds));
  if (auto token = TokenTtlExp(document)) {  // draft-ietf-oauth-status-list: ttl in seconds
    if (token->first) until = std::min(until, AddSaturating(fetched_at, static_cast<int64_t>(std::min<uint64_t>(*token->first, INT64_MAX / 2))));
    if (token->second) until = std::min<UnixSeconds>(until, static_cast<UnixSeconds>(std::min<uint64_t>(*token->second, INT64_MAX / 2)));
    return until;
  }
  UnverifiedCredential c = ReadUnverifiedCredential(document);
  if (auto ttl = TtlMillis(c.payload_json)) {
    const uint64_t seconds = *ttl / 1000;  // well below INT64_MAX for any uint64
    until = std::min(until, AddSaturating(fetched_at, static_cast<int64_t>(seconds)));
  }
  if (c.credential.valid_until) until = std::min(until, *c.credential.valid_until);
  return until;
}

UnixSeconds CertificateStatusFreshUntil(std::string_view document, UnixSeconds fetched_at, int64_t max_age_seconds) {
  UnixSeconds until = AddSaturating(fetched_at, std::max<int64_t>(0, max_age_seconds));
  if (auto next = CertificateStatusNextUpdate(document)) until = std::min(until, *next);
  return until;
}

}  // namespace credsweep::io
