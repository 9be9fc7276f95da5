#include "storage/status_index.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "engine/coding.h"
#include "tests/storage/raw_db.h"

namespace credsweep::storage {
namespace {

namespace fs = std::filesystem;

class StatusIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::path(::testing::TempDir()) /
            ("index-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())))
               .string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<StatusIndex> Writer() {
    auto idx = CreateOrOpenForWriting(dir_);
    EXPECT_TRUE(idx.ok()) << idx.status().ToString();
    return std::move(idx).value();
  }
  // A change that may record an id the index has not seen.
  static Change Registering(Change c) {
    c.register_unknown = true;
    return c;
  }
  static Change Revoke(std::string id, UnixSeconds t, std::string reason = "revoked by registrar") {
    return Registering({std::move(id), Operation::kRevoke, CredentialState::kRevoked, std::move(reason), t});
  }
  std::string dir_;
};

TEST_F(StatusIndexTest, ReadersAndWritersNeedAnExistingIndexOnlyCreateMakesOne) {
  for (bool writer : {false, true}) {
    auto r = writer ? OpenForWriting(dir_) : OpenForReading(dir_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
    EXPECT_NE(r.status().message().find("no status index at " + dir_), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find("credsweep init --db " + dir_), std::string::npos) << r.status().message();
    EXPECT_FALSE(fs::exists(dir_));  // a mistyped directory is never made into an empty index
  }
  bool created = false;
  ASSERT_TRUE(CreateOrOpenForWriting(dir_, &created).ok());
  EXPECT_TRUE(created);
  ASSERT_TRUE(CreateOrOpenForWriting(dir_, &created).ok());
  EXPECT_FALSE(created);  // an existing index is opened as it is
  EXPECT_TRUE(OpenForWriting(dir_).ok());
  EXPECT_TRUE(OpenForReading(dir_).ok());
}

TEST_F(StatusIndexTest, CreateMakesAnIndexInAnEmptyDirectoryButNotBesideOtherFiles) {
  fs::create_directories(dir_);
  EXPECT_TRUE(CreateOrOpenForWriting(dir_).ok());
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  std::ofstream(dir_ + "/notes.txt") << "hello";
  auto r = CreateOrOpenForWriting(dir_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a credsweep status index"), std::string::npos) << r.status().message();
}

TEST_F(StatusIndexTest, RevokeOrSuspendOfAnUnknownIdIsRefusedUnlessItMayBeRecorded) {
  auto idx = Writer();
  for (Operation op : {Operation::kRevoke, Operation::kSuspend, Operation::kReinstate}) {
    Change c{"urn:typo", op, op == Operation::kReinstate ? CredentialState::kActive : CredentialState::kRevoked, "x", 1};
    if (op == Operation::kSuspend) c.new_state = CredentialState::kSuspended;
    auto e = idx->Apply(c, "t");
    ASSERT_FALSE(e.ok()) << OperationName(op);
    EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
    EXPECT_NE(e.status().message().find("unknown credential id 'urn:typo'"), std::string::npos) << e.status().message();
  }
  EXPECT_FALSE(idx->Lookup("urn:typo").value().has_value());
  EXPECT_EQ(idx->last_sequence(), 0u);
  // Asked for, the id is recorded with the change; reinstate never records one.
  Change reinstate{"urn:typo", Operation::kReinstate, CredentialState::kActive, "x", 1};
  EXPECT_FALSE(idx->Apply(Registering(reinstate), "t").ok());
  auto e = idx->Apply(Registering({"urn:s", Operation::kSuspend, CredentialState::kSuspended, "inquiry", 2}), "t");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_FALSE((*e)->old_state.has_value());
  EXPECT_EQ(idx->Lookup("urn:s").value()->state, CredentialState::kSuspended);
  // Import and register record unknown ids; the batch counts them.
  size_t applied = 0, new_ids = 0;
  std::vector<Change> batch = {{"urn:i", Operation::kImport, CredentialState::kRevoked, "x", 3},
                               {"urn:s", Operation::kImport, CredentialState::kActive, "x", 3},
                               {"urn:g", Operation::kRegister, CredentialState::kActive, "", 3},
                               {"urn:typo", Operation::kRevoke, CredentialState::kRevoked, "x", 3}};
  std::vector<std::pair<size_t, Status>> skipped;
  ASSERT_TRUE(idx->ApplyBatch(batch, "t", &applied, &skipped, nullptr, &new_ids).ok());
  EXPECT_EQ(applied, 3u);
  EXPECT_EQ(new_ids, 2u);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].first, 3u);
  EXPECT_EQ(skipped[0].second.code(), StatusCode::kNotFound);
}

// RFC 9562: a UUID's hex digits are case-insensitive. The index stores the normal
// form (lower case) and every read goes through it; other ids stay case-sensitive.
TEST_F(StatusIndexTest, UrnUuidIdsAreStoredInNormalFormAndFoundInAnyCase) {
  const std::string upper = "URN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-00000000000D";
  const std::string normal = "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d";
  auto idx = Writer();
  ASSERT_TRUE(idx->Apply({upper, Operation::kRegister, CredentialState::kActive, "", 1}, "t").ok());
  auto e = idx->Apply({"urn:uuid:0f1e2d3c-AAAA-4bbb-8CCC-00000000000d", Operation::kRevoke,
                       CredentialState::kRevoked, "fraud", 2}, "t");
  ASSERT_TRUE(e.ok()) << e.status().ToString();  // the same credential, not an unknown one
  ASSERT_TRUE(e->has_value());
  EXPECT_EQ((*e)->id, normal);
  for (const std::string& id : {upper, normal, std::string("Urn:Uuid:0f1E2d3C-aaaa-4BBB-8ccc-00000000000D")}) {
    auto r = idx->Lookup(id).value();
    ASSERT_TRUE(r.has_value()) << id;
    EXPECT_EQ(r->state, CredentialState::kRevoked) << id;
    EXPECT_EQ(idx->History(id).value().size(), 2u) << id;
    EXPECT_EQ(idx->StateAt(id, 1).value()->state, CredentialState::kActive) << id;
  }
  std::vector<std::string> keys;
  ASSERT_TRUE(idx->ForEach([&](std::string_view id, const StatusRecord&) { keys.emplace_back(id); }).ok());
  EXPECT_EQ(keys, std::vector<std::string>{normal});
  // Not a UUID URN: compared byte for byte.
  ASSERT_TRUE(idx->Apply({"urn:Example:A", Operation::kRegister, CredentialState::kActive, "", 1}, "t").ok());
  EXPECT_FALSE(idx->Lookup("urn:example:a").value().has_value());
  EXPECT_TRUE(idx->Audit().value().ok());
}

TEST_F(StatusIndexTest, ASnapshotAnswersAsTheIndexDidWhenItWasRead) {
  auto idx = Writer();
  std::vector<Change> changes;
  // The snapshot keeps each issuer and list once: 300 records share a 4 KB issuer,
  // and two lists hold them.
  const std::string issuer = "https://issuer.example/" + std::string(4000, 'p');
  std::vector<std::tuple<std::string, std::string, uint64_t>> slots;
  for (int i = 0; i < 300; ++i) {
    char id[64];
    std::snprintf(id, sizeof id, "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-%012d", i);
    changes.push_back(Registering({id, Operation::kRegister, CredentialState::kActive, "", 1, issuer}));
    if (i % 3 != 0) slots.emplace_back(id, i % 2 ? "https://issuer.example/lists/1" : "https://issuer.example/lists/2", i);
  }
  // Ids of 4 KB: the snapshot's entries fill more than one of its 1 MiB blocks.
  for (int i = 0; i < 300; ++i) {
    changes.push_back(Registering({"urn:example:long-" + std::to_string(i) + "-" + std::string(4000, 'q'),
                                   Operation::kRegister, CredentialState::kActive, "", 1 + i, ""}));
  }
  size_t applied = 0;
  ASSERT_TRUE(idx->ApplyBatch(changes, "t", &applied).ok());
  ASSERT_TRUE(idx->AssignSlots(slots).ok());
  ASSERT_TRUE(idx->Apply(Revoke("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000007", 2, "fraud"), "t").ok());
  // A record larger than the snapshot's blocks (its first, by key order), then small ones.
  const std::string huge = "urn:Example:A" + std::string(3u << 20, 'a');
  ASSERT_TRUE(idx->Apply({huge, Operation::kRegister, CredentialState::kActive, "", 1, "https://i.example"}, "t").ok());
  // An issuer of 1 MiB, kept once beside the blocks and counted with them.
  ASSERT_TRUE(idx->Apply({"urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000900", Operation::kRegister,
                          CredentialState::kActive, "", 1, "https://" + std::string(1u << 20, 'k') + ".example"},
                         "t").ok());
  // Another among the small ones (by key order): they go on filling their block.
  const std::string big = "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000150-big" + std::string(2u << 20, 'b');
  ASSERT_TRUE(idx->Apply({big, Operation::kRegister, CredentialState::kActive, "", 1,
                          "https://" + std::string(100, 'j') + ".example"}, "t").ok());
  // The snapshot keeps a urn:uuid id as its UUID's 16 bytes: a 16-byte id whose
  // text is those bytes ("urn:example:1234" is UUID 75726e3a-6578-...) is
  // another id, and one of the two registered is not the other.
  ASSERT_TRUE(idx->Apply({"urn:example:1234", Operation::kRegister, CredentialState::kActive, "", 1}, "t").ok());
  auto loaded = idx->LoadSnapshot(16u << 20, 1000);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_NE(*loaded, nullptr);
  const StatusLookup& snapshot = **loaded;
  std::vector<std::string> ids = {"urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000007",
                                  "URN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-000000000299",  // any case, as Lookup
                                  huge, "urn:example:a", "urn:uuid:not-there", "", big, "urn:example:1234",
                                  "urn:uuid:75726e3a-6578-616d-706c-653a31323334"};
  for (const Change& c : changes) ids.push_back(c.id);
  for (const std::string& id : ids) {
    auto want = idx->Lookup(id).value();
    snapshot.Prefetch(id);  // a hint only: the answer is the same
    auto got = snapshot.Lookup(id).value();
    ASSERT_EQ(got.has_value(), want.has_value()) << id;
    if (!want) continue;
    EXPECT_EQ(got->state, want->state) << id;
    EXPECT_EQ(got->reason, want->reason) << id;
    EXPECT_EQ(got->changed_at, want->changed_at) << id;
    EXPECT_EQ(got->last_event, want->last_event) << id;
    EXPECT_EQ(got->issuer, want->issuer) << id;
    EXPECT_EQ(got->list_id, want->list_id) << id;
    EXPECT_EQ(got->list_index, want->list_index) << id;
  }
  EXPECT_TRUE(snapshot.Lookup("urn:example:1234").value().has_value());
  EXPECT_FALSE(snapshot.Lookup("urn:uuid:75726e3a-6578-616d-706c-653a31323334").value().has_value());
  EXPECT_EQ(snapshot.Lookup("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000007").value()->state, CredentialState::kRevoked);
  EXPECT_EQ(snapshot.Lookup("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000007").value()->reason, "fraud");
  EXPECT_EQ(snapshot.Lookup("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000005").value()->list_id,
            "https://issuer.example/lists/1");
  EXPECT_EQ(snapshot.Lookup("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000005").value()->list_index, 5u);
  EXPECT_EQ(snapshot.Lookup("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000006").value()->list_id, "");
  // A change after the scan is not in it.
  ASSERT_TRUE(idx->Apply(Revoke("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000008", 3), "t").ok());
  EXPECT_EQ(snapshot.Lookup("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000008").value()->state, CredentialState::kActive);
  // Over either limit: no snapshot, the caller looks up instead.
  EXPECT_EQ(idx->LoadSnapshot(16u << 20, 603).value(), nullptr);  // 604 records
  EXPECT_NE(idx->LoadSnapshot(16u << 20, 604).value(), nullptr);
  // The bytes counted are the blocks taken and the strings kept once: the 4 KB ids
  // fill one block of 1 MiB (258 to a block) and begin a second, which the small
  // records go on filling; the large ones take 3 and 2 MiB of their own; the
  // issuers and lists add 1 MiB and under 5 KB (without them the blocks would fit
  // the first limit).
  EXPECT_EQ(idx->LoadSnapshot(8u << 20, 1000).value(), nullptr);
  EXPECT_NE(idx->LoadSnapshot((8u << 20) + (1u << 19), 1000).value(), nullptr);
  EXPECT_EQ(idx->LoadSnapshot(1000, 1000).value(), nullptr);
}

// A damaged status record in the scan: the snapshot says so for that credential
// (as a lookup in the index does) and answers for the others.
TEST_F(StatusIndexTest, ASnapshotReportsADamagedRecordAsTheIndexDoes) {
  {
    auto idx = Writer();
    ASSERT_TRUE(idx->Apply(Revoke("urn:a", 1, "fraud"), "t").ok());
    ASSERT_TRUE(idx->Apply(Revoke("urn:b", 2), "t").ok());
    ASSERT_TRUE(idx->Apply(Revoke("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000001", 3), "t").ok());
  }
  {
    RawDb raw(dir_);
    // A urn:uuid one too (the snapshot keeps its id packed).
    for (const char* id : {"urn:a", "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000001"}) {
      std::string record = raw.Get("status", id);
      record.push_back('x');  // trailing bytes: does not decode
      raw.Put("status", id, record);
    }
    // A key not in normal form (no build writes one): no spelling reaches it,
    // in the index or in the snapshot.
    raw.Put("status", "URN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-000000000002", raw.Get("status", "urn:b"));
  }
  auto idx = OpenForReading(dir_).value();
  EXPECT_EQ(idx->Lookup("urn:a").status().code(), StatusCode::kCorruption);
  auto snapshot = idx->LoadSnapshot(8u << 20, 10).value();
  ASSERT_NE(snapshot, nullptr);
  auto a = snapshot->Lookup("urn:a");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kCorruption);
  EXPECT_NE(a.status().message().find("urn:a"), std::string::npos) << a.status().message();
  EXPECT_EQ(snapshot->Lookup("urn:b").value()->state, CredentialState::kRevoked);
  auto u = snapshot->Lookup("URN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-000000000001");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().code(), StatusCode::kCorruption);
  EXPECT_NE(u.status().message().find("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000001"), std::string::npos)
      << u.status().message();
  for (const char* id : {"URN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-000000000002", "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-000000000002"}) {
    EXPECT_FALSE(idx->Lookup(id).value().has_value()) << id;
    EXPECT_FALSE(snapshot->Lookup(id).value().has_value()) << id;
  }
}

TEST_F(StatusIndexTest, ASecondWriterGetsAClearLockMessageReadersStillWork) {
  auto w = Writer();
  auto second = OpenForWriting(dir_);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("in use by another process"), std::string::npos)
      << second.status().message();
  auto reader = OpenForReading(dir_);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
}

// A follower (a RocksDB secondary instance) sees nothing new until it catches up,
// then the writer's durable changes and the ids they touched; it writes nothing.
TEST_F(StatusIndexTest, AFollowerCatchesUpWithTheWriter) {
  auto w = Writer();
  ASSERT_TRUE(w->Apply(Revoke("urn:a", 1000), "t").ok());
  OpenOptions o;
  o.follower_dir = dir_ + "-follower";
  auto f = StatusIndex::Open(dir_, o);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_TRUE((*f)->read_only());
  EXPECT_EQ((*f)->last_sequence(), 1u);
  ASSERT_TRUE(w->Apply(Revoke("urn:b", 1001), "t").ok());
  ASSERT_TRUE(w->Apply(Revoke("urn:c", 1002), "t").ok());
  EXPECT_FALSE(*(*f)->Lookup("urn:b")) << "not before catching up";
  std::vector<std::string> changed;
  ASSERT_TRUE((*f)->CatchUp(&changed).ok());
  EXPECT_EQ(changed, (std::vector<std::string>{"urn:b", "urn:c"}));
  EXPECT_EQ((*f)->last_sequence(), 3u);
  auto b = (*f)->Lookup("urn:b");
  ASSERT_TRUE(b.ok() && *b);
  EXPECT_EQ((**b).state, CredentialState::kRevoked);
  changed.clear();
  ASSERT_TRUE((*f)->CatchUp(&changed).ok());
  EXPECT_TRUE(changed.empty()) << "nothing new";
  EXPECT_FALSE((*f)->Apply(Revoke("urn:d", 1003), "t").ok()) << "a follower does not write";
  EXPECT_FALSE(w->CatchUp(nullptr).ok()) << "only a follower catches up";
  fs::remove_all(o.follower_dir);
}

TEST_F(StatusIndexTest, NotAnIndexIsRefused) {
  fs::create_directories(dir_);
  std::ofstream(dir_ + "/notes.txt") << "hello";
  auto r = OpenForWriting(dir_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a credsweep status index"), std::string::npos);
}

TEST_F(StatusIndexTest, UnknownIsNotActive) {
  auto idx = Writer();
  ASSERT_TRUE(idx->Apply({"urn:a", Operation::kRegister, CredentialState::kActive, "", 100}, "t").ok());
  auto a = idx->Lookup("urn:a");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ((*a)->state, CredentialState::kActive);
  auto b = idx->Lookup("urn:b");
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->has_value());
}

TEST_F(StatusIndexTest, ChangesAreRecordedWithHistoryAndPastStates) {
  {
    auto idx = Writer();
    ASSERT_TRUE(idx->Apply({"urn:a", Operation::kRegister, CredentialState::kActive, "", 100}, "issuer").ok());
    ASSERT_TRUE(idx->Apply({"urn:a", Operation::kSuspend, CredentialState::kSuspended, "inquiry", 200}, "auditor").ok());
    ASSERT_TRUE(idx->Apply({"urn:a", Operation::kReinstate, CredentialState::kActive, "cleared", 300}, "auditor").ok());
    ASSERT_TRUE(idx->Apply(Revoke("urn:a", 400, "fraud"), "registrar").ok());
    // Registering again changes nothing and logs nothing.
    auto again = idx->Apply({"urn:a", Operation::kRegister, CredentialState::kActive, "", 500}, "issuer");
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->has_value());
    auto bad = idx->Apply({"urn:zzz", Operation::kReinstate, CredentialState::kActive, "", 500}, "x");
    EXPECT_FALSE(bad.ok());
  }
  auto idx = OpenForReading(dir_).value();  // survives reopening
  auto rec = idx->Lookup("urn:a").value();
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->state, CredentialState::kRevoked);
  EXPECT_EQ(rec->reason, "fraud");
  EXPECT_EQ(rec->changed_at, 400);
  auto h = idx->History("urn:a").value();
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[1].op, Operation::kSuspend);
  EXPECT_EQ(h[1].actor, "auditor");
  EXPECT_EQ(h[1].old_state, CredentialState::kActive);
  EXPECT_FALSE(h[0].old_state.has_value());
  EXPECT_FALSE(idx->StateAt("urn:a", 99).value().has_value());
  EXPECT_EQ(idx->StateAt("urn:a", 250).value()->state, CredentialState::kSuspended);
  EXPECT_EQ(idx->StateAt("urn:a", 350).value()->state, CredentialState::kActive);
  EXPECT_EQ(idx->StateAt("urn:a", 1000).value()->state, CredentialState::kRevoked);
  auto audit = idx->Audit().value();
  EXPECT_EQ(audit.events, 4u);
  EXPECT_FALSE(audit.first_broken.has_value()) << audit.message;
}

TEST_F(StatusIndexTest, HistoryDoesNotMixIdsSharingAPrefix) {
  auto idx = Writer();
  ASSERT_TRUE(idx->Apply(Revoke("urn:a", 1), "t").ok());
  ASSERT_TRUE(idx->Apply(Revoke("urn:ab", 2), "t").ok());
  EXPECT_EQ(idx->History("urn:a").value().size(), 1u);
  EXPECT_EQ(idx->History("urn:ab").value().size(), 1u);
}

TEST_F(StatusIndexTest, BatchSkipsInvalidChangesAndAppliesTheRest) {
  auto idx = Writer();
  std::vector<Change> changes = {Revoke("urn:1", 1),
                                 {"urn:none", Operation::kReinstate, CredentialState::kActive, "", 2},
                                 {"urn:1", Operation::kReinstate, CredentialState::kActive, "ok", 3},
                                 Revoke("urn:2", 4)};
  size_t applied = 0;
  std::vector<std::pair<size_t, Status>> skipped;
  ASSERT_TRUE(idx->ApplyBatch(changes, "import", &applied, &skipped).ok());
  EXPECT_EQ(applied, 2u);
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_EQ(skipped[0].first, 1u);
  EXPECT_EQ(skipped[0].second.code(), StatusCode::kNotFound);
  EXPECT_EQ(skipped[1].first, 2u);  // revocation is final
  EXPECT_EQ(skipped[1].second.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(idx->Lookup("urn:1").value()->state, CredentialState::kRevoked);
  EXPECT_EQ(idx->Lookup("urn:2").value()->state, CredentialState::kRevoked);
  EXPECT_EQ(idx->History("urn:1").value().size(), 1u);
  EXPECT_TRUE(idx->Audit().value().ok());
}

TEST_F(StatusIndexTest, RevocationIsFinalReinstateSuspendAndImportAreRefused) {
  auto idx = Writer();
  ASSERT_TRUE(idx->Apply(Revoke("urn:r", 100, "fraud"), "registrar").ok());
  const uint64_t head = idx->last_sequence();
  for (const Change& c : std::vector<Change>{
           {"urn:r", Operation::kReinstate, CredentialState::kActive, "cleared", 200},
           {"urn:r", Operation::kSuspend, CredentialState::kSuspended, "inquiry", 200},
           {"urn:r", Operation::kImport, CredentialState::kActive, "from the old system", 200},
           {"urn:r", Operation::kImport, CredentialState::kSuspended, "from the old system", 200}}) {
    auto e = idx->Apply(c, "someone");
    ASSERT_FALSE(e.ok()) << OperationName(c.op);
    EXPECT_EQ(e.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(e.status().message().find("'urn:r'"), std::string::npos) << e.status().message();
    EXPECT_NE(e.status().message().find("revocation is final"), std::string::npos) << e.status().message();
  }
  // allow_unrevoke opens only reinstate, not suspend.
  Change suspend{"urn:r", Operation::kSuspend, CredentialState::kSuspended, "inquiry", 200};
  suspend.allow_unrevoke = true;
  EXPECT_EQ(idx->Apply(suspend, "someone").status().code(), StatusCode::kFailedPrecondition);
  auto rec = idx->Lookup("urn:r").value();
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->state, CredentialState::kRevoked);
  EXPECT_EQ(rec->reason, "fraud");
  EXPECT_EQ(rec->changed_at, 100);
  EXPECT_EQ(idx->last_sequence(), head);
  EXPECT_EQ(idx->History("urn:r").value().size(), 1u);
  auto audit = idx->Audit().value();
  EXPECT_TRUE(audit.ok()) << audit.message;
  EXPECT_EQ(audit.events, head);
}

TEST_F(StatusIndexTest, AllowUnrevokeWritesAnUnrevokeEvent) {
  {
    auto idx = Writer();
    ASSERT_TRUE(idx->Apply(Revoke("urn:r", 100, "fraud"), "registrar").ok());
    Change c{"urn:r", Operation::kReinstate, CredentialState::kActive, "revoked the wrong id", 200};
    c.allow_unrevoke = true;
    auto e = idx->Apply(c, "registrar");
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    ASSERT_TRUE(*e);
    EXPECT_EQ((*e)->op, Operation::kUnrevoke);
    EXPECT_EQ((*e)->old_state, CredentialState::kRevoked);
    EXPECT_EQ((*e)->new_state, CredentialState::kActive);
    // On an id that is not revoked, allow_unrevoke is a plain reinstate.
    ASSERT_TRUE(idx->Apply(Registering({"urn:s", Operation::kSuspend, CredentialState::kSuspended, "inquiry", 300}), "x").ok());
    Change s{"urn:s", Operation::kReinstate, CredentialState::kActive, "cleared", 400};
    s.allow_unrevoke = true;
    EXPECT_EQ(idx->Apply(s, "x").value()->op, Operation::kReinstate);
  }
  auto idx = OpenForReading(dir_).value();  // the new operation survives decoding
  auto h = idx->History("urn:r").value();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1].op, Operation::kUnrevoke);
  EXPECT_EQ(OperationName(h[1].op), "unrevoke");
  EXPECT_EQ(h[1].reason, "revoked the wrong id");
  EXPECT_EQ(idx->Lookup("urn:r").value()->state, CredentialState::kActive);
  EXPECT_EQ(idx->StateAt("urn:r", 150).value()->state, CredentialState::kRevoked);
  EXPECT_EQ(idx->StateAt("urn:r", 250).value()->state, CredentialState::kActive);
  auto audit = idx->Audit().value();
  EXPECT_TRUE(audit.ok()) << audit.message;
  EXPECT_EQ(audit.events, 4u);
}

TEST_F(StatusIndexTest, AWriteThatChangesNothingIsANoOp) {
  auto idx = Writer();
  ASSERT_TRUE(idx->Apply(Revoke("urn:r", 100, "fraud"), "registrar").ok());
  ASSERT_TRUE(idx->Apply({"urn:a", Operation::kRegister, CredentialState::kActive, "", 100}, "issuer").ok());
  ASSERT_TRUE(idx->Apply(Registering({"urn:s", Operation::kSuspend, CredentialState::kSuspended, "inquiry", 100}), "x").ok());
  const uint64_t head = idx->last_sequence();
  for (const Change& c : std::vector<Change>{
           Revoke("urn:r", 200, "fraud again"),
           {"urn:r", Operation::kImport, CredentialState::kRevoked, "from the old system", 200},
           {"urn:a", Operation::kReinstate, CredentialState::kActive, "cleared", 200},
           {"urn:a", Operation::kImport, CredentialState::kActive, "", 200},
           {"urn:s", Operation::kSuspend, CredentialState::kSuspended, "second inquiry", 200}}) {
    auto e = idx->Apply(c, "someone");
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_FALSE(e->has_value()) << c.id << " " << OperationName(c.op);
  }
  EXPECT_EQ(idx->last_sequence(), head);
  auto r = idx->Lookup("urn:r").value();
  EXPECT_EQ(r->reason, "fraud");
  EXPECT_EQ(r->changed_at, 100);
  EXPECT_EQ(idx->Lookup("urn:a").value()->changed_at, 100);
  auto s = idx->Lookup("urn:s").value();
  EXPECT_EQ(s->reason, "inquiry");
  EXPECT_EQ(s->changed_at, 100);
  // In a batch too, including an id repeated within it.
  size_t applied = 9;
  ASSERT_TRUE(idx->ApplyBatch({Revoke("urn:r", 300), Revoke("urn:n", 300), Revoke("urn:n", 301)}, "import",
                              &applied)
                  .ok());
  EXPECT_EQ(applied, 1u);
  EXPECT_EQ(idx->Lookup("urn:n").value()->changed_at, 300);
  EXPECT_EQ(idx->last_sequence(), head + 1);
  auto audit = idx->Audit().value();
  EXPECT_TRUE(audit.ok()) << audit.message;
  EXPECT_EQ(audit.events, head + 1);
}

TEST_F(StatusIndexTest, CompactKeepsEveryRecordAndTheChain) {
  auto idx = Writer();
  std::vector<Change> changes;
  for (int i = 0; i < 3000; ++i) changes.push_back(Revoke("urn:c:" + std::to_string(i), i + 1));
  size_t applied = 0;
  ASSERT_TRUE(idx->ApplyBatch(changes, "t", &applied).ok());
  ASSERT_EQ(applied, 3000u);
  ASSERT_TRUE(idx->Compact().ok());
  EXPECT_NE(idx->DescribeLevels(), "empty");
  for (int i = 0; i < 3000; i += 97) {
    auto r = idx->Lookup("urn:c:" + std::to_string(i)).value();
    ASSERT_TRUE(r.has_value()) << i;
    EXPECT_EQ(r->changed_at, i + 1);
  }
  EXPECT_EQ(idx->Audit().value().events, 3000u);
  auto ro = OpenForReading(dir_);
  ASSERT_TRUE(ro.ok());
  EXPECT_FALSE((*ro)->Compact().ok());  // readers cannot rewrite the index
}

// Edits the stored event `seq` through RocksDB directly, as an attacker with disk
// access would, then checks that Audit names it.
TEST_F(StatusIndexTest, AuditNamesTheFirstEditedEvent) {
  {
    auto idx = Writer();
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(idx->Apply(Revoke("urn:" + std::to_string(i), i + 1), "t").ok());
  }
  {
    RawDb raw(dir_);
    std::string key(8, '\0');
    key[7] = 3;
    std::string v = raw.Get("events", key);
    size_t pos = v.find("revoked by registrar");
    ASSERT_NE(pos, std::string::npos);
    v[pos] = 'R';  // "Revoked by registrar"
    raw.Put("events", key, v);
  }
  auto audit = OpenForReading(dir_).value()->Audit().value();
  ASSERT_TRUE(audit.first_broken.has_value());
  EXPECT_EQ(*audit.first_broken, 3u);
  EXPECT_NE(audit.message.find("edited"), std::string::npos) << audit.message;
}

// A foreign RocksDB database (only the default column family) is neither adopted
// by a writer nor read: nothing is created inside it.
TEST_F(StatusIndexTest, AForeignRocksDbIsRefusedAndLeftUntouched) {
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(o, dir_, &db).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "someone", "else's data").ok());
    delete db;
  }
  for (bool writer : {true, false}) {
    auto r = writer ? OpenForWriting(dir_) : OpenForReading(dir_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(dir_ + " is a RocksDB database but not a credsweep status index"),
              std::string::npos)
        << r.status().message();
  }
  std::vector<std::string> families;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::Options(), dir_, &families).ok());
  EXPECT_EQ(families, std::vector<std::string>{"default"});
}

// An index created by credsweep whose creator stopped before writing the schema
// key: readers refuse it, a writer stamps it and then everyone opens it.
TEST_F(StatusIndexTest, AnIndexWithoutItsSchemaKeyIsUpgradedOnlyByAWriter) {
  { ASSERT_TRUE(Writer()->Apply(Revoke("urn:a", 1), "t").ok()); }
  { RawDb(dir_).Delete("meta", "schema"); }
  auto reader = OpenForReading(dir_);
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("has no credsweep schema key"), std::string::npos)
      << reader.status().message();
  { Writer(); }
  EXPECT_EQ(RawDb(dir_).Get("meta", "schema"), "credsweep-status-index 1");
  EXPECT_EQ(OpenForReading(dir_).value()->Lookup("urn:a").value()->state, CredentialState::kRevoked);
}

TEST_F(StatusIndexTest, AnUnknownSchemaIsRefusedByReadersAndWriters) {
  { Writer(); }
  { RawDb(dir_).Put("meta", "schema", "credsweep-status-index 99"); }
  for (bool writer : {true, false}) {
    auto r = writer ? OpenForWriting(dir_) : OpenForReading(dir_);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("unknown schema 'credsweep-status-index 99'"), std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(RawDb(dir_).Get("meta", "schema"), "credsweep-status-index 99");
}

// Writers continue the chain from the head record; a head that is not the last
// event (rolled back, or deleted) would make the next write reuse an event
// number, overwriting an event that was acknowledged.
TEST_F(StatusIndexTest, AWriterRefusesAHeadThatIsNotTheLastEvent) {
  {
    auto idx = Writer();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(idx->Apply(Revoke("urn:" + std::to_string(i), i + 1), "t").ok());
  }
  std::string head_at_3 = RawDb(dir_).Get("meta", "head");
  {
    RawDb raw(dir_);
    Event e2;
    ASSERT_TRUE(DecodeEvent(raw.Get("events", BigEndian64(2)), &e2));
    std::string head;
    PutFixed64(&head, 2);
    raw.Put("meta", "head", head + e2.hash);
  }
  auto w = OpenForWriting(dir_);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), StatusCode::kCorruption);
  EXPECT_NE(w.status().message().find("would reuse or skip event numbers"), std::string::npos)
      << w.status().message();
  // Readers still open it, so that audit can say what is wrong.
  auto audit = OpenForReading(dir_).value()->Audit().value();
  EXPECT_TRUE(audit.first_broken.has_value());

  { RawDb(dir_).Delete("meta", "head"); }  // no head at all: would restart at event 1
  EXPECT_FALSE(OpenForWriting(dir_).ok());

  { RawDb(dir_).Put("meta", "head", head_at_3); }
  auto idx = Writer();
  auto e = idx->Apply(Revoke("urn:next", 9), "t");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->seq, 4u);
}

}  // namespace
}  // namespace credsweep::storage
