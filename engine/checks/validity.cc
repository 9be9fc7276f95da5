#include "engine/checks/validity.h"

#include "engine/timestamp.h"

namespace credsweep::checks {

CheckResult CheckValidity(const ParsedCredential& cred, UnixSeconds at, int64_t skew, bool explain_pass) {
  // The narrower of the credential's period and the JWT's.
  auto from = cred.credential.valid_from, until = cred.credential.valid_until;
  if (cred.nbf && (!from || *cred.nbf > *from)) from = cred.nbf;
  if (cred.exp && (!until || *cred.exp < *until)) until = cred.exp;
  if (from && at + skew < *from) {
    return {Outcome::kFail, "not_yet_valid", "valid from " + FormatUtc(*from) + ", checked at " + FormatUtc(at)};
  }
  if (until && at - skew > *until) {
    return {Outcome::kFail, "expired", "expired at " + FormatUtc(*until) + ", checked at " + FormatUtc(at)};
  }
  if (!explain_pass) return {Outcome::kPass, "ok", ""};
  // "valid at T (from F, until U)", in one allocation: this message is every
  // verified credential's.
  std::string msg;
  msg.reserve(64 + 3 * kUtcTextSize);
  char time[kUtcTextSize];
  msg.append("valid at ").append(time, FormatUtcInto(at, time));
  if (from) msg.append(" (from ").append(time, FormatUtcInto(*from, time));
  if (until) msg.append(from ? ", until " : " (until ").append(time, FormatUtcInto(*until, time));
  if (from || until) msg.push_back(')');
  return {Outcome::kPass, "ok", std::move(msg)};
}

}  // namespace credsweep::checks
