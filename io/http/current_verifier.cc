#include "io/http/current_verifier.h"

namespace credsweep::io::http {

std::shared_ptr<const Verifier> CurrentVerifier::Get() {
  const UnixSeconds now = clock_();
  std::lock_guard lock(mu_);
  if (!current_ || current_->options().at != now) {
    // Built under the lock: building is cheap (no I/O; caches start empty), and
    // requests of the same second must not race to build one each.
    VerifierOptions o = base_;
    o.at = now;
    current_ = std::make_shared<const Verifier>(std::move(o));
    ++built_;
  }
  return current_;
}

uint64_t CurrentVerifier::built() const {
  std::lock_guard lock(mu_);
  return built_;
}

}  // namespace credsweep::io::http
