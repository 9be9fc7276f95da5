// The Verifier that POST /v1/verify requests use, kept across requests.
//
// A Verifier judges every record at one fixed verification time (VerifierOptions::at)
// and keeps DID keys and decoded status lists for as long as it lives. The server
// needs both: each request verified at the wall-clock second it started (as the
// per-request Verifier did before), and caches that outlive a request. So one
// Verifier serves every request that starts within the same second; the first
// request of a new second builds its successor and swaps it in. Requests in flight
// keep the Verifier they started with (shared ownership).
//
// Status lists therefore outlive a request twice over: within the second, in the
// Verifier's own cache; across seconds, in the status index's list cache
// (io/status_lists/cached_source.h, long-lived mode), which honours --max-status-age and
// each list's ttl/validUntil (docs/status-lists.md, "In the server").
//
// Thread-safe; Get() takes a mutex for a pointer copy, once per request.
#ifndef CREDSWEEP_IO_HTTP_CURRENT_VERIFIER_H_
#define CREDSWEEP_IO_HTTP_CURRENT_VERIFIER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "engine/timestamp.h"
#include "engine/verifier.h"

namespace credsweep::io::http {

class CurrentVerifier {
 public:
  // `base`: everything but `at`. `clock`: the wall clock (tests pass their own).
  explicit CurrentVerifier(VerifierOptions base, std::function<UnixSeconds()> clock = NowUtc)
      : base_(std::move(base)), clock_(std::move(clock)) {}

  // The Verifier for a request starting now: verification time = the clock's now.
  std::shared_ptr<const Verifier> Get();

  // Verifiers built so far (for /metrics).
  uint64_t built() const;

 private:
  const VerifierOptions base_;
  const std::function<UnixSeconds()> clock_;
  mutable std::mutex mu_;
  std::shared_ptr<const Verifier> current_;
  uint64_t built_ = 0;
};

}  // namespace credsweep::io::http

#endif  // CREDSWEEP_IO_HTTP_CURRENT_VERIFIER_H_
