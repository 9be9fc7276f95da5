// The verification times a seal verdict holds for. A seal is judged on the record's
// bytes and the trust configuration, but also, in a few places, against the
// verification time: a certificate that expires, a registry period that ends, a
// claimed signing time that must not lie ahead, the JWS `exp`. CheckSeal records
// each such comparison here, so that the verdict can be reused for another
// verification time inside the window (a sweep's cached readings) and is never
// reused outside it. Private to engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_VERDICT_WINDOW_H_
#define CREDSWEEP_ENGINE_CHECKS_VERDICT_WINDOW_H_

#include <algorithm>
#include <limits>

#include "engine/timestamp.h"

namespace credsweep::checks {

struct VerdictWindow {
  UnixSeconds from = std::numeric_limits<UnixSeconds>::min();
  UnixSeconds until = std::numeric_limits<UnixSeconds>::max();
  // The verdict depends on more than the record, the trust configuration and the
  // time in [from, until]: a document fetched online, a certificate status source
  // that changes (--crls, OCSP), a timestamp, the verification time standing in
  // for a signing time, or a message that quotes the verification time.
  bool varies = false;

  // The verdict holds for verification times >= t (<= t).
  void AtLeast(UnixSeconds t) { from = std::max(from, t); }
  void AtMost(UnixSeconds t) { until = std::min(until, t); }
  void Varies() { varies = true; }
  bool Holds(UnixSeconds at) const { return !varies && from <= at && at <= until; }
};

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_VERDICT_WINDOW_H_
