// Audit against edits made with RocksDB directly (tests/storage/raw_db.h): the
// chain, every state record, the by-id listing, slots, and an anchored head.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/coding.h"
#include "storage/records.h"
#include "storage/status_index.h"
#include "tests/storage/raw_db.h"

namespace credsweep::storage {
namespace {

namespace fs = std::filesystem;

class StatusAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::path(::testing::TempDir()) /
            ("audit-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())))
               .string();
    fs::remove_all(dir_);
    auto idx = CreateOrOpenForWriting(dir_);
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    // Events 1..5: urn:0..urn:4 revoked at times 1..5.
    for (int i = 0; i < 5; ++i) {
      Change c{"urn:" + std::to_string(i), Operation::kRevoke, CredentialState::kRevoked, "fraud", i + 1};
      c.register_unknown = true;
      ASSERT_TRUE((*idx)->Apply(c, "registrar").ok());
    }
    ASSERT_TRUE((*idx)->AssignSlots({{"urn:1", "https://s.example/1", 10}, {"urn:2", "https://s.example/1", 20}}).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  AuditReport RunAudit(const AuditOptions& o = {}) {
    auto idx = OpenForReading(dir_);
    EXPECT_TRUE(idx.ok()) << idx.status().ToString();
    auto report = (*idx)->Audit(o);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return *report;
  }
  static std::string ByIdKey(const std::string& id, uint64_t seq) {
    std::string k;
    PutLengthPrefixed(&k, id);
    return k + BigEndian64(seq);
  }
  static std::string AllProblems(const AuditReport& r) {
    std::string out;
    for (const auto& p : r.problems) out += p + "\n";
    return out;
  }
  std::string dir_;
};

TEST_F(StatusAuditTest, AnUntouchedIndexAuditsClean) {
  AuditReport r = RunAudit();
  EXPECT_TRUE(r.ok()) << r.message << "\n" << AllProblems(r);
  EXPECT_EQ(r.events, 5u);
  EXPECT_EQ(r.records, 5u);
  EXPECT_EQ(r.head_seq, 5u);
  EXPECT_EQ(r.problem_count, 0u);
}

// The attack from the issue: one byte of a revoked credential's state record,
// and the chain alone still verifies.
TEST_F(StatusAuditTest, OneByteFlippedInARevokedStateRecordIsReportedById) {
  {
    RawDb raw(dir_);
    std::string v = raw.Get("status", "urn:2");
    ASSERT_EQ(v[1], static_cast<char>(CredentialState::kRevoked));
    v[1] = static_cast<char>(CredentialState::kActive);
    raw.Put("status", "urn:2", v);
  }
  EXPECT_EQ(OpenForReading(dir_).value()->Lookup("urn:2").value()->state, CredentialState::kActive);
  AuditReport r = RunAudit();
  EXPECT_FALSE(r.first_broken.has_value()) << r.message;  // the log itself is intact
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.problem_count, 1u) << AllProblems(r);
  EXPECT_NE(r.problems[0].find("'urn:2'"), std::string::npos) << r.problems[0];
  EXPECT_NE(r.problems[0].find("says active, event 3 says revoked"), std::string::npos) << r.problems[0];
}

TEST_F(StatusAuditTest, EditedReasonTimeAndEventNumberAreReported) {
  {
    RawDb raw(dir_);
    auto edit = [&](const std::string& id, auto fn) {
      StatusRecord rec;
      ASSERT_TRUE(DecodeStatusRecord(raw.Get("status", id), &rec));
      fn(rec);
      raw.Put("status", id, EncodeStatusRecord(rec));
    };
    edit("urn:0", [](StatusRecord& r) { r.reason = "fraud!"; });
    edit("urn:1", [](StatusRecord& r) { r.changed_at = 99; });
    edit("urn:3", [](StatusRecord& r) { r.last_event = 1; });
  }
  AuditReport r = RunAudit();
  ASSERT_EQ(r.problem_count, 3u) << AllProblems(r);
  EXPECT_NE(r.problems[0].find("'urn:0': the record's reason differs from event 1"), std::string::npos);
  EXPECT_NE(r.problems[1].find("'urn:1': the record's time differs from event 2"), std::string::npos);
  EXPECT_NE(r.problems[2].find("'urn:3': the record names event 1"), std::string::npos);
}

// Deleting a revoked credential's record makes it "unknown"; adding one invents
// a credential the log never saw.
TEST_F(StatusAuditTest, DeletedAndInventedStateRecordsAreReported) {
  {
    RawDb raw(dir_);
    raw.Delete("status", "urn:4");
    raw.Put("status", "urn:ghost", raw.Get("status", "urn:0"));
  }
  AuditReport r = RunAudit();
  ASSERT_EQ(r.problem_count, 2u) << AllProblems(r);
  EXPECT_NE(AllProblems(r).find("'urn:4': has events up to 5 but no state record"), std::string::npos)
      << AllProblems(r);
  EXPECT_NE(AllProblems(r).find("'urn:ghost': has a state record but no event in the log"), std::string::npos)
      << AllProblems(r);
}

// `history` and `status --at` read the by-id listing: hiding an event there, or
// lending one credential's event to another, must not pass.
TEST_F(StatusAuditTest, HiddenAndMisattributedEventsAreReported) {
  {
    RawDb raw(dir_);
    raw.Delete("by_id", ByIdKey("urn:1", 2));
    raw.Put("by_id", ByIdKey("urn:0", 4), "");  // event 4 is urn:3's
  }
  AuditReport r = RunAudit();
  std::string all = AllProblems(r);
  EXPECT_NE(all.find("'urn:0': listed with event 4, which belongs to 'urn:3'"), std::string::npos) << all;
  EXPECT_NE(all.find("'urn:1': event 2 is not listed under its id"), std::string::npos) << all;
  EXPECT_FALSE(r.ok());
  // History refuses to show another credential's event as this one's.
  EXPECT_FALSE(OpenForReading(dir_).value()->History("urn:0").ok());
}

// A record under another spelling of a urn:uuid: id than its normal form (as an
// index written before ids were normalised may hold) is one no lookup reaches.
TEST_F(StatusAuditTest, ARecordKeyedByAnUnnormalisedUuidIsReported) {
  const std::string upper = "urn:uuid:0F1E2D3C-AAAA-4BBB-8CCC-00000000000D";
  {
    RawDb raw(dir_);
    raw.Put("status", upper, raw.Get("status", "urn:0"));
  }
  EXPECT_FALSE(OpenForReading(dir_).value()->Lookup(upper).value().has_value());
  AuditReport r = RunAudit();
  EXPECT_FALSE(r.ok());
  EXPECT_NE(AllProblems(r).find("'" + upper + "': is not in its normal form "
                                "'urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d', so no lookup finds it"),
            std::string::npos)
      << AllProblems(r);
}

TEST_F(StatusAuditTest, TwoCredentialsInOneSlotAreReported) {
  {
    RawDb raw(dir_);
    StatusRecord rec;
    ASSERT_TRUE(DecodeStatusRecord(raw.Get("status", "urn:2"), &rec));
    rec.list_index = 10;  // urn:1's slot
    raw.Put("status", "urn:2", EncodeStatusRecord(rec));
  }
  AuditReport r = RunAudit();
  ASSERT_EQ(r.problem_count, 2u) << AllProblems(r);
  EXPECT_NE(r.problems[0].find("'urn:1': shares slot 10 of https://s.example/1"), std::string::npos);
  EXPECT_NE(r.problems[1].find("'urn:2': shares slot 10"), std::string::npos);
}

TEST_F(StatusAuditTest, ProblemsAreCountedInFullAndListedUpToTheCap) {
  {
    RawDb raw(dir_);
    for (int i = 0; i < 5; ++i) raw.Delete("status", "urn:" + std::to_string(i));
  }
  AuditOptions o;
  o.max_reported = 2;
  AuditReport r = RunAudit(o);
  EXPECT_EQ(r.problem_count, 5u);
  EXPECT_EQ(r.problems.size(), 2u);
}

// A consistent rollback (the last two events and everything derived from them
// removed, the head moved back) leaves a clean-looking chain; only the head
// anchored elsewhere shows it.
TEST_F(StatusAuditTest, AnAnchoredHeadMissingFromTheChainFailsTheAudit) {
  AuditReport before = RunAudit();
  ASSERT_TRUE(before.ok());
  std::string hash5 = before.head_hash;
  AuditOptions at5;
  at5.expect_hash = hash5;
  at5.expect_seq = 5;
  EXPECT_EQ(RunAudit(at5).anchor_found, true);
  AuditOptions any_seq;
  any_seq.expect_hash = hash5;
  EXPECT_EQ(RunAudit(any_seq).anchor_found, true);
  AuditOptions wrong_seq = at5;
  wrong_seq.expect_seq = 4;
  EXPECT_FALSE(RunAudit(wrong_seq).ok());
  std::string hash3;
  {
    RawDb raw(dir_);
    Event e3;
    ASSERT_TRUE(DecodeEvent(raw.Get("events", BigEndian64(3)), &e3));
    hash3 = e3.hash;
    for (uint64_t seq : {4u, 5u}) {
      std::string id = "urn:" + std::to_string(seq - 1);
      raw.Delete("events", BigEndian64(seq));
      raw.Delete("by_id", ByIdKey(id, seq));
      raw.Delete("status", id);
    }
    std::string head;
    PutFixed64(&head, 3);
    raw.Put("meta", "head", head + hash3);
  }
  AuditReport plain = RunAudit();
  EXPECT_TRUE(plain.ok()) << plain.message << AllProblems(plain);  // nothing else can tell
  EXPECT_EQ(plain.head_seq, 3u);
  EXPECT_EQ(plain.head_hash, hash3);
  AuditReport anchored = RunAudit(at5);
  EXPECT_EQ(anchored.anchor_found, false);
  EXPECT_FALSE(anchored.ok());
}

}  // namespace
}  // namespace credsweep::storage
