#include "engine/checks/validity.h"

#include <gtest/gtest.h>

namespace credsweep::checks {
namespace {

constexpr UnixSeconds k2026 = 1767225600;  // 2026-01-01T00:00:00Z
constexpr UnixSeconds k2027 = 1798761600;  // 2027-01-01T00:00:00Z
constexpr UnixSeconds kAt = 1780000000;    // 2026-05-28T20:26:40Z

ParsedCredential Period(std::optional<UnixSeconds> from, std::optional<UnixSeconds> until) {
  ParsedCredential c;
  c.present = true;
  c.credential.valid_from = from;
  c.credential.valid_until = until;
  return c;
}

TEST(ValidityCheck, APassSaysItsPeriodUnlessPassesGoUnexplained) {
  const CheckResult explained = CheckValidity(Period(k2026, k2027), kAt, 0);
  EXPECT_EQ(explained.outcome, Outcome::kPass);
  EXPECT_EQ(explained.code, "ok");
  EXPECT_EQ(explained.message, "valid at 2026-05-28T20:26:40Z (from 2026-01-01T00:00:00Z, until 2027-01-01T00:00:00Z)");
  // A sweep's (VerifierOptions::explain_passes off): the code alone.
  const CheckResult brief = CheckValidity(Period(k2026, k2027), kAt, 0, false);
  EXPECT_EQ(brief.outcome, Outcome::kPass);
  EXPECT_EQ(brief.code, "ok");
  EXPECT_EQ(brief.message, "");
}

TEST(ValidityCheck, AFailureSaysWhyEitherWay) {
  for (const bool explain : {true, false}) {
    const CheckResult expired = CheckValidity(Period(std::nullopt, k2026), kAt, 0, explain);
    EXPECT_EQ(expired.outcome, Outcome::kFail);
    EXPECT_EQ(expired.code, "expired");
    EXPECT_EQ(expired.message, "expired at 2026-01-01T00:00:00Z, checked at 2026-05-28T20:26:40Z");
    const CheckResult early = CheckValidity(Period(k2027, std::nullopt), kAt, 0, explain);
    EXPECT_EQ(early.code, "not_yet_valid");
    EXPECT_EQ(early.message, "valid from 2027-01-01T00:00:00Z, checked at 2026-05-28T20:26:40Z");
  }
}

}  // namespace
}  // namespace credsweep::checks
