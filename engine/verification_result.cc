#include "engine/verification_result.h"

namespace credsweep {

std::string_view CheckName(CheckId id) {
  static constexpr std::string_view kNames[] = {"format", "seal", "revocation", "accreditation",
                                                "validity"};
  return kNames[static_cast<int>(id)];
}

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kPass: return "pass";
    case Outcome::kFail: return "fail";
    case Outcome::kSkipped: return "skipped";
  }
  return "?";
}

std::string_view ResultKindName(ResultKind k) {
  return k == ResultKind::kPresentation ? "presentation" : "credential";
}

bool VerificationResult::verified(unsigned required_mask) const {
  if (kind_ == ResultKind::kPresentation) {
    const Outcome seal = check(CheckId::kSeal).outcome;
    if (seal != Outcome::kPass && !(seal_optional_ && seal == Outcome::kSkipped)) return false;
    for (const auto& c : checks_) {
      if (c.outcome == Outcome::kFail) return false;
    }
    if (enclosed_.empty()) return credentials_verified_ == credential_count_;
    for (const auto& e : enclosed_) {
      if (!e.verified(required_mask)) return false;
    }
    return true;
  }
  if (check(CheckId::kSeal).outcome != Outcome::kPass) return false;
  for (int i = 0; i < kCheckCount; ++i) {
    const auto& c = checks_[i];
    if (c.outcome == Outcome::kFail) return false;
    if ((required_mask >> i & 1u) && c.outcome != Outcome::kPass) return false;
  }
  return true;
}

void VerificationResult::Flatten(VerificationResult&& r, unsigned required,
                                 const std::function<void(VerificationResult&&, bool)>& each) {
  std::vector<VerificationResult> enclosed = std::move(r.enclosed_);
  r.enclosed_.clear();
  std::vector<char> verdicts;
  verdicts.reserve(enclosed.size());
  r.credentials_verified_ = 0;
  for (const auto& e : enclosed) {
    verdicts.push_back(e.verified(required));
    r.credentials_verified_ += verdicts.back();
  }
  const bool ok = r.verified(required);
  each(std::move(r), ok);
  for (size_t i = 0; i < enclosed.size(); ++i) each(std::move(enclosed[i]), verdicts[i] != 0);
}

VerificationResult VerificationResult::InternalError(std::string source, std::string message) {
  VerificationResult r;
  r.source_ = std::move(source);
  for (auto& c : r.checks_) {
    c.outcome = Outcome::kSkipped;
    c.code = "internal_error";
    c.message = "not checked: internal error";
  }
  r.checks_[0].outcome = Outcome::kFail;
  r.checks_[0].message = std::move(message);
  return r;
}

}  // namespace credsweep
