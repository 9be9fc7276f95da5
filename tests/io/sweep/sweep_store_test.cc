// Sweep runs in a real status index: outcomes round-trip in input order across
// chunks, run records round-trip through their JSON, pruning keeps the newest,
// and a damaged record is reported, not skipped.
#include "io/sweep/sweep_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "tests/io/sweep/index_fixture.h"

namespace credsweep::io {
namespace {

class SweepStoreTest : public credsweep::testing::FreshIndexTest {
 protected:

  static SweepRun Run(uint64_t id) {
    SweepRun r;
    r.id = id;
    if (id > 1) r.previous = id - 1;
    r.started = 1780000000 + static_cast<int64_t>(id) * 86400;
    r.finished = r.started + 60;
    r.at = r.started;
    r.version = "0.1.0";
    r.options_json = R"({"inputs":["corpus"]})";
    r.trust_digest = std::string(64, 'a');
    r.fail_on = "new-failures";
    r.records = 3;
    r.verified = 2;
    r.outcomes[1] = {0, 2, 1};
    r.failure_codes["seal:signature_invalid"] = 1;
    r.issuers["https://i.example"] = {3, 2};
    r.changes[0] = 3;
    r.new_failures = 1;
    r.warnings = {"w"};
    r.skipped_files = {{"corpus/cv.pdf", "not a credential file (.pdf)"}};
    return r;
  }

};

TEST_F(SweepStoreTest, OutcomesRoundTripInInputOrderAcrossChunks) {
  SweepStore store(index_.get());
  std::vector<SweepOutcome> outcomes;
  for (size_t i = 0; i < SweepStore::kOutcomesPerChunk * 2 + 5; ++i) {
    SweepOutcome o;
    o.id = "urn:test:" + std::to_string(i);
    o.source = "corpus/x.jsonl:" + std::to_string(i + 1);
    o.set_key(i % 5 ? o.id.str() : SweepKeys::SourceKey(o.source));
    o.set_issuer(i % 2 ? "https://i.example/" + std::to_string(i % 7) : "");
    o.verified = i % 3 == 0;
    o.outcomes.fill(Outcome::kPass);
    for (int c = 0; c < kCheckCount; ++c) o.set_code(static_cast<CheckId>(c), "ok");
    o.outcomes[4] = Outcome::kFail;
    o.set_code(CheckId::kValidity, "expired_" + std::to_string(i % 3));
    if (i % 4 == 0) o.valid_until = -86400 * static_cast<int64_t>(i);  // before 1970 too
    outcomes.push_back(o);
  }
  ASSERT_TRUE(store.SaveRun(Run(1), outcomes).ok());
  std::vector<SweepOutcome> back;
  ASSERT_TRUE(store.ForEachOutcome(1, [&](SweepOutcome&& o) { back.push_back(std::move(o)); }).ok());
  ASSERT_EQ(back.size(), outcomes.size());
  for (size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].key(), outcomes[i].key());
    EXPECT_EQ(back[i].id, outcomes[i].id);
    EXPECT_EQ(back[i].source, outcomes[i].source);
    EXPECT_EQ(back[i].issuer(), outcomes[i].issuer());
    EXPECT_EQ(back[i].verified, outcomes[i].verified);
    EXPECT_EQ(back[i].outcomes, outcomes[i].outcomes);
    for (int c = 0; c < kCheckCount; ++c) {
      EXPECT_EQ(back[i].code(static_cast<CheckId>(c)), outcomes[i].code(static_cast<CheckId>(c)));
    }
    EXPECT_EQ(back[i].valid_until, outcomes[i].valid_until);
  }
}

// A run counts each failing check by "check:code" (skipped ones not at all), and
// each issuer's records ("" for none).
TEST(SweepRunTest, AddCountsFailingChecksByCodeAndRecordsByIssuer) {
  SweepRun run;
  for (int i = 0; i < 3; ++i) run.Add(VerificationResult::InternalError("s:" + std::to_string(i), "boom"), false);
  EXPECT_EQ(run.records, 3u);
  EXPECT_EQ(run.verified, 0u);
  EXPECT_EQ(run.failure_codes, (std::map<std::string, uint64_t, std::less<>>{{"format:internal_error", 3}}));
  ASSERT_EQ(run.issuers.size(), 1u);
  EXPECT_EQ(run.issuers.begin()->second.records, 3u);
}

TEST_F(SweepStoreTest, RunRecordsRoundTripThroughTheirJson) {
  SweepStore store(index_.get());
  ASSERT_TRUE(store.SaveRun(Run(1), {}).ok());
  ASSERT_TRUE(store.SaveRun(Run(2), {}).ok());
  auto runs = store.ListRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ(SweepRunToJson((*runs)[1]), SweepRunToJson(Run(2)));
  EXPECT_EQ(store.NextRunId().value(), 3u);
}

TEST_F(SweepStoreTest, PruneKeepsTheNewestRunsAndRemovesTheirOutcomes) {
  SweepStore store(index_.get());
  SweepOutcome o;
  o.set_key("k");
  for (uint64_t id = 1; id <= 4; ++id) ASSERT_TRUE(store.SaveRun(Run(id), {o}).ok());
  size_t removed = 0;
  ASSERT_TRUE(store.Prune(2, &removed).ok());
  EXPECT_EQ(removed, 2u);
  auto runs = store.ListRuns();
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, 3u);
  size_t left = 0;
  ASSERT_TRUE(index_->ForEachMeta("sweep:outcomes:", [&](std::string_view, std::string_view) { return ++left; },
                                  storage::StatusIndex::MetaSpace::kOutcomes)
                  .ok());
  EXPECT_EQ(left, 2u);
  EXPECT_EQ(store.NextRunId().value(), 5u);
}

// An attempt cut off between its outcomes and its run record left chunks under
// the id the next run gets: that run's outcomes replace them.
TEST_F(SweepStoreTest, ARunReplacesTheOutcomesOfACutOffAttemptUnderItsId) {
  SweepStore store(index_.get());
  std::vector<SweepOutcome> first(SweepStore::kOutcomesPerChunk + 1);
  for (size_t i = 0; i < first.size(); ++i) first[i].set_key("first:" + std::to_string(i));
  ASSERT_TRUE(store.SaveOutcomes(1, first).ok());
  SweepOutcome again;
  again.set_key("again");
  ASSERT_TRUE(store.SaveRun(Run(1), {again}).ok());
  std::vector<std::string> keys;
  ASSERT_TRUE(store.ForEachOutcome(1, [&](SweepOutcome&& o) { keys.emplace_back(o.key()); }).ok());
  EXPECT_EQ(keys, std::vector<std::string>{"again"});
}

// Indexes written before the outcomes family kept each run's outcomes in the
// meta space: they are still read, and pruned.
TEST_F(SweepStoreTest, RunsStoredInTheMetaSpaceAreReadAndPruned) {
  SweepStore store(index_.get());
  for (uint64_t id = 1; id <= 2; ++id) {
    SweepOutcome o;
    o.id = "urn:test:" + std::to_string(id);
    o.set_key(o.id);
    std::string chunk;
    EncodeSweepOutcome(o, &chunk);
    char key[64];
    std::snprintf(key, sizeof key, "sweep:outcomes:%020llu:%010d", static_cast<unsigned long long>(id), 0);
    ASSERT_TRUE(index_->WriteMeta({{key, chunk}, {"sweep:run:" + std::string(key + 15, 20), SweepRunToJson(Run(id))}})
                    .ok());
  }
  std::vector<std::string> ids;
  ASSERT_TRUE(store.ForEachOutcome(1, [&](SweepOutcome&& o) { ids.push_back(o.id.str()); }).ok());
  EXPECT_EQ(ids, std::vector<std::string>{"urn:test:1"});
  SweepOutcome o;
  o.set_key("k");
  ASSERT_TRUE(store.SaveRun(Run(3), {o}).ok());
  size_t removed = 0;
  ASSERT_TRUE(store.Prune(1, &removed).ok());
  EXPECT_EQ(removed, 2u);
  size_t left = 0;
  ASSERT_TRUE(index_->ForEachMeta("sweep:outcomes:", [&](std::string_view, std::string_view) { return ++left; }).ok());
  EXPECT_EQ(left, 0u) << "the old runs' outcomes went with them";
  ids.clear();
  ASSERT_TRUE(store.ForEachOutcome(3, [&](SweepOutcome&& o) { ids.emplace_back(o.key()); }).ok());
  EXPECT_EQ(ids, std::vector<std::string>{"k"});
}

TEST_F(SweepStoreTest, ADamagedRunRecordIsAnError) {
  SweepStore store(index_.get());
  ASSERT_TRUE(store.SaveRun(Run(1), {}).ok());
  ASSERT_TRUE(index_->PutMeta("sweep:run:00000000000000000002", "{\"sweep_run\":2}").ok());
  auto runs = store.ListRuns();
  ASSERT_FALSE(runs.ok());
  EXPECT_EQ(runs.status().code(), StatusCode::kCorruption);
  ASSERT_TRUE(index_->PutMeta("sweep:outcomes:00000000000000000001:0000000000", "\x01\x05").ok());
  Status st = store.ForEachOutcome(1, [](SweepOutcome&&) {});
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
}

TEST_F(SweepStoreTest, AForeignRunKeyIsDamageNotACrash) {
  SweepStore store(index_.get());
  ASSERT_TRUE(index_->PutMeta("sweep:run:12x", "{}").ok());
  auto next = store.NextRunId();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace credsweep::io
