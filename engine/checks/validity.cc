#include "engine/checks/validity.h"

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
  std::string msg = "valid at " + FormatUtc(at);
  if (from) msg += " (from " + FormatUtc(*from);
  if (until) msg += std::string(from ? ", " : " (") + "until " + FormatUtc(*until);
  if (from || until) msg += ")";
  return {Outcome::kPass, "ok", std::move(msg)};
}

}  // namespace credsweep::checks
