#include "engine/credential_reader.h"

#include "engine/checks/format.h"
#include "engine/internal/envelope.h"

namespace credsweep {

std::optional<CompactJwsParts> SplitCompactJws(std::string_view jws) {
  const size_t d1 = jws.find('.');
  const size_t d2 = d1 == std::string_view::npos ? d1 : jws.find('.', d1 + 1);
  if (d2 == std::string_view::npos || jws.find('.', d2 + 1) != std::string_view::npos) return std::nullopt;
  return CompactJwsParts{jws.substr(0, d1), jws.substr(d1 + 1, d2 - d1 - 1), jws.substr(d2 + 1), jws.substr(0, d2)};
}

UnverifiedCredential ReadUnverifiedCredential(std::string_view record, const ReadLimits& limits) {
  UnverifiedCredential out;
  if (record.size() > limits.max_record_bytes) {
    out.problem = {"record_too_large", "record of " + std::to_string(record.size()) + " bytes exceeds the limit of " +
                                           std::to_string(limits.max_record_bytes)};
    return out;
  }
  internal::Parsers& p = internal::ThreadParsers(limits.max_record_bytes, limits.max_json_depth);
  internal::Envelope env;
  internal::OpenEnvelope(record, p, &env);
  checks::ParsedCredential parsed;
  CheckResult format = checks::CheckFormat(env, p, &parsed);
  out.credential = std::move(parsed.credential);
  if (env.problem.ok()) out.payload_json = std::move(env.payload);
  if (format.outcome != Outcome::kPass) out.problem = {format.code, format.message};
  return out;
}

}  // namespace credsweep
