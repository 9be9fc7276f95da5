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

bool VerificationResult::verified(unsigned required_mask) const {
  if (check(CheckId::kSeal).outcome != Outcome::kPass) return false;
  for (int i = 0; i < kCheckCount; ++i) {
    const auto& c = checks_[i];
    if (c.outcome == Outcome::kFail) return false;
    if ((required_mask >> i & 1u) && c.outcome != Outcome::kPass) return false;
  }
  return true;
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
