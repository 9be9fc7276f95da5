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

// The keys KeyOutcomes gives outcomes of these ids and sources, in order.
std::vector<std::string> KeysOf(const std::vector<std::pair<std::string, std::string>>& records) {
  std::vector<SweepOutcome> outcomes;
  for (const auto& [id, source] : records) {
    SweepOutcome o;
    o.id = id;
    o.source = source;
    o.set_key("unset");
    outcomes.push_back(std::move(o));
  }
  KeyOutcomes(&outcomes);
  std::vector<std::string> keys;
  for (const SweepOutcome& o : outcomes) keys.emplace_back(o.key());
  return keys;
}

TEST(SweepKeysTest, AnIdKeysItsFirstRecordOnlyTheRestAreKeyedBySource) {
  const std::string huge(3u << 20, 'h');
  std::vector<std::pair<std::string, std::string>> records = {
      {"urn:uuid:1", "a.jsonl:1"}, {"urn:uuid:1", "a.jsonl:2"},  // handed in twice
      {"", "a.jsonl:3"},           {"", "a.jsonl:4"},            // no id
      {"x", "a.jsonl:5"},          {"x", "a.jsonl:6"},           // short ids too
      {huge, "h:1"}};
  std::vector<std::string> want = {"urn:uuid:1", "source:a.jsonl:2", "source:a.jsonl:3", "source:a.jsonl:4",
                                   "x",          "source:a.jsonl:6", huge};
  // Many ids, across the table's growth.
  for (int i = 0; i < 100000; ++i) {
    records.emplace_back("urn:example:" + std::to_string(i), "b.jsonl:" + std::to_string(i));
    want.push_back(records.back().first);
  }
  for (int i = 0; i < 100000; i += 997) {
    records.emplace_back("urn:example:" + std::to_string(i), "c/d.jsonl:" + std::to_string(i));
    want.push_back("source:c/d.jsonl:" + std::to_string(i));
  }
  records.emplace_back(huge, "h:2");
  want.push_back("source:h:2");
  records.emplace_back("urn:uuid:1", "d:1");
  want.push_back("source:d:1");
  EXPECT_EQ(KeysOf(records), want);
}

// Keyed as they are appended (each kAhead outcomes later), outcomes get the keys
// KeyOutcomes gives them all at once, for runs shorter and longer than kAhead.
TEST(SweepKeysTest, KeyingAsOutcomesArriveGivesTheSameKeys) {
  for (size_t n : {size_t{0}, size_t{1}, SweepKeys::kAhead, SweepKeys::kAhead + 1, size_t{1000}}) {
    std::vector<std::pair<std::string, std::string>> records;
    for (size_t i = 0; i < n; ++i) {
      // Every third id repeats one of shortly before (within kAhead) or long before; some have none.
      const size_t id = i % 3 == 0 ? i / 2 : i;
      records.emplace_back(i % 7 == 5 ? "" : "urn:example:" + std::to_string(id), "f.jsonl:" + std::to_string(i));
    }
    std::vector<SweepOutcome> outcomes;
    SweepKeys keys(&outcomes, 4);  // grows on the way too
    for (const auto& [id, source] : records) {
      outcomes.emplace_back();
      outcomes.back().id = id;
      outcomes.back().source = source;
      outcomes.back().set_key("unset");
      keys.Appended();
    }
    keys.KeyTheRest();
    std::vector<std::string> got;
    for (const SweepOutcome& o : outcomes) got.emplace_back(o.key());
    EXPECT_EQ(got, KeysOf(records)) << n;
    if (n > 6) {
      EXPECT_EQ(got[1], "urn:example:1");
      EXPECT_EQ(got[3], "source:f.jsonl:3");  // id 1 again
      EXPECT_EQ(got[5], "source:f.jsonl:5");  // no id
    }
  }
}

// Sized for the previous run's count, a table takes more ids than expected (it
// grows, while the outcomes it points into are reallocated) and as few.
TEST(SweepKeysTest, SizedForAnExpectedCountItStillGrowsAndClaimsOnce) {
  std::vector<SweepOutcome> outcomes;
  SweepKeys keys(&outcomes, 8);
  auto add = [&](std::string id) {
    outcomes.emplace_back();
    outcomes.back().id = std::move(id);
    return keys.Claim(outcomes.size() - 1);
  };
  EXPECT_FALSE(add(""));
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(add("urn:example:" + std::to_string(i))) << i;
  for (int i = 0; i < 1000; i += 7) EXPECT_FALSE(add("urn:example:" + std::to_string(i))) << i;
  EXPECT_EQ(SweepKeys::SourceKey("a:1"), "source:a:1");
  EXPECT_EQ(SweepKeys::SourceKey(SweepSource("b/a:1")), "source:b/a:1");
  std::vector<SweepOutcome> few(2);
  few[0].id = few[1].id = "x";
  SweepKeys large(&few, 1u << 20);
  EXPECT_TRUE(large.Claim(0));
  EXPECT_FALSE(large.Claim(1));
  // A damaged count reserves no more than kMaxExpected (and never loops).
  SweepKeys damaged(&few, SIZE_MAX / 3);
  EXPECT_TRUE(damaged.Claim(0));
}

}  // namespace
}  // namespace credsweep::io
