// DiffRuns on outcomes made by hand: each change kind, and what is not a change;
// SweepKeys, which gives each outcome the key the diff matches on.
#include "io/sweep/sweep_diff.h"

#include <gtest/gtest.h>

namespace credsweep::io {
namespace {

constexpr UnixSeconds kDay = 86400;
constexpr UnixSeconds kNight1 = 1780000000;  // 2026-05-28

SweepOutcome Passing(const std::string& key, std::optional<UnixSeconds> valid_until = std::nullopt) {
  SweepOutcome o;
  o.id = key;
  o.set_key(key);
  o.source = key + ".jwt:1";
  o.set_issuer("https://i.example");
  o.verified = true;
  o.outcomes.fill(Outcome::kPass);
  for (int i = 0; i < kCheckCount; ++i) o.set_code(static_cast<CheckId>(i), "ok");
  o.valid_until = valid_until;
  return o;
}

SweepOutcome Failing(SweepOutcome o, CheckId check, const std::string& code) {
  o.verified = false;
  o.outcomes[static_cast<int>(check)] = Outcome::kFail;
  o.set_code(check, code);
  return o;
}

std::string Kinds(const DiffEntry& e) {
  std::string out;
  for (int k = 0; k < kChangeKindCount; ++k) {
    if (e.kinds[k]) out += (out.empty() ? "" : " ") + std::string(ChangeKindName(static_cast<ChangeKind>(k)));
  }
  return out;
}

const ExpiryWindow kWindow1{kNight1, 30};
const ExpiryWindow kWindow2{kNight1 + kDay, 30};

TEST(SweepDiff, NothingChangedIsAnEmptyDiff) {
  std::vector<SweepOutcome> runs = {Passing("a"), Failing(Passing("b"), CheckId::kSeal, "signature_invalid")};
  SweepDiff d = DiffRuns(runs, kWindow1, runs, kWindow2);
  EXPECT_TRUE(d.entries.empty());
  EXPECT_EQ(d.new_failures, 0u);
}

TEST(SweepDiff, EachKindOfChange) {
  std::vector<SweepOutcome> before = {Passing("revoked"), Passing("suspended"), Passing("expired", kNight1 + kDay / 2),
                                      Failing(Passing("recovered"), CheckId::kRevocation, "suspended"),
                                      Passing("vanished"), Passing("codechange")};
  before.back() = Failing(before.back(), CheckId::kSeal, "key_not_found");
  std::vector<SweepOutcome> after = {
      Failing(Passing("revoked"), CheckId::kRevocation, "revoked"),
      Failing(Passing("suspended"), CheckId::kRevocation, "suspended"),
      Failing(Passing("expired", kNight1 + kDay / 2), CheckId::kValidity, "expired"),
      Passing("recovered"),
      Failing(Passing("codechange"), CheckId::kSeal, "signature_invalid"),
      Passing("new"),
  };
  SweepDiff d = DiffRuns(before, kWindow1, after, kWindow2);
  ASSERT_EQ(d.entries.size(), 7u);
  EXPECT_EQ(Kinds(d.entries[0]), "newly_failing newly_revoked");
  EXPECT_EQ(Kinds(d.entries[1]), "newly_failing newly_suspended");
  EXPECT_EQ(Kinds(d.entries[2]), "newly_failing newly_expired");
  EXPECT_EQ(Kinds(d.entries[3]), "recovered");
  EXPECT_EQ(Kinds(d.entries[4]), "newly_failing") << "a failure with another code is new";
  EXPECT_EQ(Kinds(d.entries[5]), "new");
  EXPECT_EQ(Kinds(d.entries[6]), "vanished");
  EXPECT_FALSE(d.entries[6].after);
  EXPECT_EQ(d.entries[6].before->key(), "vanished");
  EXPECT_EQ(d.new_failures, 4u);
  EXPECT_TRUE(d.HasNewFailure("revoked"));
  EXPECT_FALSE(d.HasNewFailure("recovered"));
  EXPECT_EQ(d.counts[static_cast<int>(ChangeKind::kNewlyFailing)], 4u);
}

// Credentials are matched by key wherever they stand: in the same order as last
// night (the usual case), after one inserted, removed or moved, and in reverse.
TEST(SweepDiff, CredentialsAreMatchedByKeyInAnyOrder) {
  std::vector<SweepOutcome> before;
  for (int i = 0; i < 10; ++i) before.push_back(Passing("k" + std::to_string(i)));
  std::vector<SweepOutcome> after = {Passing("k0"), Passing("k1"), Passing("new"), Passing("k3"),
                                     Failing(Passing("k2"), CheckId::kSeal, "signature_invalid")};
  for (int i = 5; i < 10; ++i) after.push_back(Passing("k" + std::to_string(i)));  // k4 vanished
  SweepDiff d = DiffRuns(before, kWindow1, after, kWindow2);
  ASSERT_EQ(d.entries.size(), 3u);
  EXPECT_EQ(Kinds(d.entries[0]), "new");
  EXPECT_EQ(d.entries[0].after->key(), "new");
  EXPECT_EQ(Kinds(d.entries[1]), "newly_failing");
  EXPECT_EQ(d.entries[1].before->key(), "k2");
  EXPECT_EQ(d.entries[1].after->key(), "k2");
  EXPECT_EQ(Kinds(d.entries[2]), "vanished");
  EXPECT_EQ(d.entries[2].before->key(), "k4");
  std::vector<SweepOutcome> reversed(before.rbegin(), before.rend());
  EXPECT_TRUE(DiffRuns(before, kWindow1, reversed, kWindow2).entries.empty());
  EXPECT_TRUE(DiffRuns(reversed, kWindow1, before, kWindow2).entries.empty());
}

TEST(SweepDiff, TheFirstRunCountsEveryFailureAsNew) {
  std::vector<SweepOutcome> after = {Passing("a"), Failing(Passing("b"), CheckId::kSeal, "signature_invalid")};
  SweepDiff d = DiffRuns({}, std::nullopt, after, kWindow1);
  ASSERT_EQ(d.entries.size(), 2u);
  EXPECT_EQ(Kinds(d.entries[1]), "new newly_failing");
  ASSERT_EQ(d.entries[1].newly_failing.size(), 1u);
  EXPECT_EQ(d.entries[1].newly_failing[0].second, "signature_invalid");
  EXPECT_EQ(d.new_failures, 1u);
}

TEST(SweepDiff, ExpiringIsReportedByTheFirstRunWhoseWindowHoldsIt) {
  const UnixSeconds end = kNight1 + 30 * kDay + kDay / 2;  // just outside night 1's window
  std::vector<SweepOutcome> runs = {Passing("a", end)};
  SweepDiff d = DiffRuns(runs, kWindow1, runs, kWindow2);
  ASSERT_EQ(d.entries.size(), 1u);
  EXPECT_EQ(Kinds(d.entries[0]), "expiring");
  EXPECT_EQ(d.new_failures, 0u) << "expiring is not a failure";
  // The night after, it is still in the window but no longer news.
  SweepDiff again = DiffRuns(runs, kWindow2, runs, ExpiryWindow{kNight1 + 2 * kDay, 30});
  EXPECT_TRUE(again.entries.empty());
}

TEST(SweepDiff, AVerdictLostToARequiredCheckIsANewFailure) {
  SweepOutcome skipped = Passing("a");
  skipped.verified = false;
  skipped.outcomes[static_cast<int>(CheckId::kRevocation)] = Outcome::kSkipped;
  // The entries point into the runs: they must outlive the diff.
  const std::vector<SweepOutcome> before = {Passing("a")};
  const std::vector<SweepOutcome> after = {skipped};
  SweepDiff d = DiffRuns(before, kWindow1, after, kWindow2);
  ASSERT_EQ(d.entries.size(), 1u);
  EXPECT_TRUE(d.entries[0].new_failure());
  EXPECT_EQ(d.new_failures, 1u);
}

TEST(SweepKeysTest, AnIdKeysItsFirstRecordOnlyTheRestAreKeyedBySource) {
  SweepKeys keys;
  EXPECT_EQ(keys.KeyFor("urn:uuid:1", "a.jsonl:1"), "urn:uuid:1");
  EXPECT_EQ(keys.KeyFor("urn:uuid:1", "a.jsonl:2"), "source:a.jsonl:2");  // handed in twice
  EXPECT_EQ(keys.KeyFor("", "a.jsonl:3"), "source:a.jsonl:3");            // no id
  EXPECT_EQ(keys.KeyFor("", "a.jsonl:4"), "source:a.jsonl:4");
  EXPECT_EQ(keys.KeyFor("x", "a.jsonl:5"), "x");  // short ids too
  EXPECT_EQ(keys.KeyFor("x", "a.jsonl:6"), "source:a.jsonl:6");
  // Many ids, across the table's growth and the copies' chunks (one over a chunk's size).
  const std::string huge(3u << 20, 'h');
  EXPECT_EQ(keys.KeyFor(huge, "h:1"), huge);
  for (int i = 0; i < 100000; ++i) {
    const std::string id = "urn:example:" + std::to_string(i);
    ASSERT_EQ(keys.KeyFor(id, "b.jsonl:" + std::to_string(i)), id) << i;
  }
  for (int i = 0; i < 100000; i += 997) {
    const std::string id = "urn:example:" + std::to_string(i);
    EXPECT_EQ(keys.KeyFor(id, "c.jsonl:1"), "source:c.jsonl:1") << i;
  }
  EXPECT_EQ(keys.KeyFor(huge, "h:2"), "source:h:2");
  EXPECT_EQ(keys.KeyFor("urn:uuid:1", "d:1"), "source:d:1");
}

// Sized for the previous run's count, a table takes more ids than expected (it
// grows) and as few (Claim answers as KeyFor does).
TEST(SweepKeysTest, SizedForAnExpectedCountItStillGrowsAndClaimsOnce) {
  SweepKeys keys(8);
  EXPECT_FALSE(keys.Claim(""));
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(keys.Claim("urn:example:" + std::to_string(i))) << i;
  for (int i = 0; i < 1000; i += 7) EXPECT_FALSE(keys.Claim("urn:example:" + std::to_string(i))) << i;
  EXPECT_EQ(keys.KeyFor("urn:example:3", "a:1"), SweepKeys::SourceKey("a:1"));
  EXPECT_EQ(SweepKeys::SourceKey("a:1"), "source:a:1");
  SweepKeys large(1u << 20);
  EXPECT_TRUE(large.Claim("x"));
  EXPECT_FALSE(large.Claim("x"));
  // A damaged count reserves no more than kMaxExpected (and never loops).
  SweepKeys damaged(SIZE_MAX / 3);
  EXPECT_TRUE(damaged.Claim("x"));
}

}  // namespace
}  // namespace credsweep::io
