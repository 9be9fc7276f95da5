// The outcome of verifying one credential: five checks, each pass/fail/skipped with a
// stable code and a human message. See docs/output-format.md for every code.
//
// A VerificationResult is a verdict, not an error: forged, expired or malformed
// credentials all produce one. Only Verifier (and the pipeline, for internal
// failures) constructs them.
#ifndef CREDSWEEP_ENGINE_VERIFICATION_RESULT_H_
#define CREDSWEEP_ENGINE_VERIFICATION_RESULT_H_

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/timestamp.h"

namespace credsweep {

enum class CheckId { kFormat = 0, kSeal, kRevocation, kAccreditation, kValidity };
inline constexpr int kCheckCount = 5;
std::string_view CheckName(CheckId id);

enum class Outcome : uint8_t { kSkipped = 0, kPass, kFail };  // one byte: kept per credential in sweeps
std::string_view OutcomeName(Outcome o);

struct CheckResult {
  Outcome outcome = Outcome::kSkipped;
  std::string code;     // stable, snake_case; empty only for an unset check
  std::string message;  // for people; may change between versions
};

// What a passing X.509 seal rests on; the seal check's message says it in words.
// Empty for other seals and for seals that did not pass.
struct SealDetails {
  // The time the certificate chain was judged at, and its basis: "proven" (a
  // trusted signature timestamp, by `time_authority`), "claimed" (the sealer's sigT
  // or iat) or "assumed" (neither: validFrom, or the verification time).
  std::optional<UnixSeconds> signing_time;
  std::string time_basis, time_authority;
  // The chain's revocation status at that time: "good", "revoked" (after the
  // signing time, so the seal stands) or "unknown"; empty when not asked
  // (--certificate-status off). Its source: "ocsp", "crl" or "none"; and where
  // that came from: "embedded" (the seal's rVals), "crls" (--crls) or "online".
  std::string certificate_status, certificate_status_source, certificate_status_origin;
};

// A credential's result, or a presentation's: its own proof, holder and
// challenge, with a result of its own for every credential it encloses.
enum class ResultKind { kCredential, kPresentation };
std::string_view ResultKindName(ResultKind k);

class VerificationResult {
 public:
  ResultKind kind() const { return kind_; }
  const std::string& source() const { return source_; }
  const std::string& id() const { return id_; }
  const std::string& issuer() const { return issuer_; }
  const CheckResult& check(CheckId id) const { return checks_[static_cast<int>(id)]; }
  // What a person reads in a report, empty (nullopt) when the credential does not
  // say or could not be read (docs/output-format.md names the paths):
  // the learner's name, else credentialSubject.id;
  const std::string& subject() const { return subject_; }
  // the claim's or achievement's title, else the credential's name;
  const std::string& title() const { return title_; }
  // the awarding body's name or id, else the issuer's name or id;
  const std::string& awarding_body() const { return awarding_body_; }
  // issuanceDate (VC 1.1), else validFrom, else the JWT's iat, else nbf;
  const std::optional<UnixSeconds>& issued() const { return issued_; }
  // validUntil / expirationDate, else the JWT's exp.
  const std::optional<UnixSeconds>& valid_until() const { return valid_until_; }
  // The eIDAS level of a passing X.509 seal ("QESeal", "AdESeal-QC", "AdESeal"), or
  // empty when the seal is not an X.509 e-seal or did not pass.
  const std::string& seal_level() const { return seal_level_; }
  // For such a seal: its signing time and certificate status, and their basis.
  const SealDetails& seal_details() const { return seal_details_; }
  // With VerifierOptions::with_claims, an SD-JWT's claims with its disclosures in
  // place (the JSON object the format check read); else empty.
  const std::string& claims_json() const { return claims_json_; }
  // True when the seal passed and no check failed; a check named in `required`
  // (bit i for CheckId i) must also have passed rather than been skipped.
  // A presentation: none of its own checks failed, its proof passed (or, with
  // --holder-binding off, it has none), and every credential it encloses is
  // verified under `required`.
  bool verified(unsigned required_mask = 0) const;

  // A presentation's holder (`holder`, else the JWT's iss); empty for a credential.
  const std::string& holder() const { return holder_; }
  // A presentation's credentials, each with its own result (source SOURCE#k, k
  // from 1), in the order it holds them; Flatten hands them on.
  const std::vector<VerificationResult>& enclosed() const { return enclosed_; }
  // How many credentials a presentation encloses, and how many of them were
  // verified (set by Flatten, under its `required`).
  size_t credential_count() const { return credential_count_; }
  size_t credentials_verified() const { return credentials_verified_; }

  // Hands `r` to `each` with its verdict under `required`, then (a presentation)
  // each credential it encloses with theirs: the one-result-per-line order of
  // every report (docs/output-format.md).
  static void Flatten(VerificationResult&& r, unsigned required,
                      const std::function<void(VerificationResult&&, bool verified)>& each);

  // Sets all five checks to an internal error; used by the pipeline's exception fence.
  static VerificationResult InternalError(std::string source, std::string message);

 private:
  friend class Verifier;
  VerificationResult() = default;
  ResultKind kind_ = ResultKind::kCredential;
  std::string source_, id_, issuer_, seal_level_, claims_json_, holder_;
  std::vector<VerificationResult> enclosed_;
  size_t credential_count_ = 0, credentials_verified_ = 0;
  bool seal_optional_ = false;  // a presentation without a proof, under --holder-binding off
  SealDetails seal_details_;
  std::string subject_, title_, awarding_body_;
  std::optional<UnixSeconds> issued_, valid_until_;
  std::array<CheckResult, kCheckCount> checks_;
  void Set(CheckId id, Outcome o, std::string_view code, std::string message) {
    auto& c = checks_[static_cast<int>(id)];
    c.outcome = o;
    c.code = std::string(code);
    c.message = std::move(message);
  }
  void Set(CheckId id, CheckResult c) { checks_[static_cast<int>(id)] = std::move(c); }
  // Every check not yet set becomes `skipped` with `not_checked` and `why`.
  void SkipUnset(std::string_view why) {
    for (auto& c : checks_) {
      if (c.code.empty()) c = {Outcome::kSkipped, "not_checked", std::string(why)};
    }
  }
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_VERIFICATION_RESULT_H_
