// The seal check: was the record signed by a key that belongs to its issuer, and is
// it untouched since? Every JWS signature (or the Data Integrity proof) must verify
// with a key the policy admits, chosen by the key, never by the token. Private to
// engine/.
#ifndef CREDSWEEP_ENGINE_CHECKS_SEAL_H_
#define CREDSWEEP_ENGINE_CHECKS_SEAL_H_

#include "engine/checks/format.h"
#include "engine/checks/verdict_window.h"
#include "engine/internal/did_cache.h"
#include "engine/internal/envelope.h"
#include "engine/internal/published_keys.h"
#include "engine/verifier.h"

namespace credsweep::checks {

// How many distinct issuers' published documents (did:web DID documents, JWT VC
// issuer metadata) one presentation may make the verifier fetch: the documents are
// fetched before any signature is checked, so a presentation of many credentials
// naming many hosts could otherwise hold a worker for a fetch timeout each. One
// presentation's credentials are verified on one thread: not thread-safe.
class FetchBudget {
 public:
  static constexpr size_t kPerPresentation = 8;
  explicit FetchBudget(size_t max = kPerPresentation) : left_(max) {}
  // True when documents of `subject` (a DID or issuer) may be fetched.
  bool Allow(const std::string& subject) {
    for (const auto& s : seen_) {
      if (s == subject) return true;
    }
    if (left_ == 0) return false;
    --left_;
    seen_.push_back(subject);
    return true;
  }

 private:
  size_t left_;
  std::vector<std::string> seen_;
};

// options.clock_skew_seconds is already capped (the Verifier clamps it).
// `published` is null when no IssuerDocumentSource is configured: then did:web
// keys and issuer metadata are never fetched.
struct SealContext {
  const VerifierOptions& options;
  internal::DidKeyCache& did_keys;
  const internal::PublishedKeys* published = nullptr;
  const OnlineRevocation* online_revocation = nullptr;  // null: certificate status is not fetched
  FetchBudget* budget = nullptr;  // a presentation's credentials: null otherwise (no limit)
  // A presentation's own proof: a did:web key must be under `authentication`, not
  // `assertionMethod`.
  bool authentication = false;
  // When given, receives the verification times the verdict holds for
  // (engine/checks/verdict_window.h). Starts as the whole range.
  VerdictWindow* window = nullptr;
};

struct SealResult {
  CheckResult check;
  // For a passing seal: the RFC 7638 thumbprint of the key that verified (the first
  // signature's), which a presentation's holder binding compares with cnf.jwk.
  std::string key_thumbprint;
  std::string level;  // eIDAS level of a passing X.509 seal; empty otherwise
  SealDetails details;  // for a passing X.509 seal
};

// Requires env.sealable. `cred` may be absent or partial (the seal covers bytes).
SealResult CheckSeal(const internal::Envelope& env, const ParsedCredential& cred, const SealContext& ctx);

}  // namespace credsweep::checks

#endif  // CREDSWEEP_ENGINE_CHECKS_SEAL_H_
