// The index commands through the real binary: audit's exit status and output,
// --head / --expect-head, unknown ids refused unless --register, urn:uuid ids in
// any case, and exit 2 with a clear message for directories that must not be
// opened (a foreign RocksDB database, a damaged write-ahead log).
#include <gtest/gtest.h>
#include <unistd.h>
#include <rocksdb/db.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "engine/coding.h"
#include "storage/records.h"
#include "tests/storage/raw_db.h"
#include "tests/io/cli/cli_fixture.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

namespace fs = std::filesystem;

using testing::CliRun;

class StatusCommandsTest : public testing::CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    db_ = root_ + "/db";
    CliRun init = Credsweep("init --db " + db_);
    ASSERT_EQ(init.code, 0) << init.err;
  }
  // Revokes an id the index need not know yet.
  void Revoke(const std::string& id) {
    CliRun r = Credsweep("revoke " + id + " --reason fraud --register --db " + db_);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  std::string db_;
};

TEST_F(StatusCommandsTest, AuditExitsOneAndNamesAnEditedStateRecord) {
  for (const char* id : {"urn:a", "urn:b", "urn:c"}) Revoke(id);
  CliRun clean = Credsweep("audit --db " + db_);
  EXPECT_EQ(clean.code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.out.find("3 events, chain intact\n3 state records agree with the log"), std::string::npos)
      << clean.out;
  {
    storage::RawDb raw(db_);
    std::string v = raw.Get("status", "urn:b");
    v[1] = static_cast<char>(CredentialState::kActive);  // one byte: revoked -> active
    raw.Put("status", "urn:b", v);
  }
  CliRun edited = Credsweep("audit --db " + db_);
  EXPECT_EQ(edited.code, 1) << edited.out << edited.err;
  EXPECT_NE(edited.out.find("MISMATCH: 1 problems"), std::string::npos) << edited.out;
  EXPECT_NE(edited.out.find("'urn:b': the record says active, event 2 says revoked"), std::string::npos)
      << edited.out;
}

TEST_F(StatusCommandsTest, AuditHeadPrintsAnAnchorThatExpectHeadChecks) {
  Revoke("urn:a");
  Revoke("urn:b");
  CliRun head = Credsweep("audit --head --db " + db_);
  ASSERT_EQ(head.code, 0) << head.err;
  size_t at = head.out.find("head ");
  ASSERT_NE(at, std::string::npos) << head.out;
  std::string anchor = head.out.substr(at + 5, 64 + 2);  // HASH:2
  ASSERT_EQ(anchor.substr(64), ":2") << head.out;
  Revoke("urn:c");  // the chain grows past the anchor: still fine
  EXPECT_EQ(Credsweep("audit --db " + db_ + " --expect-head " + anchor).code, 0);
  EXPECT_EQ(Credsweep("audit --db " + db_ + " --expect-head " + anchor.substr(0, 64)).code, 0);
  CliRun wrong_seq = Credsweep("audit --db " + db_ + " --expect-head " + anchor.substr(0, 64) + ":3");
  EXPECT_EQ(wrong_seq.code, 1);
  EXPECT_NE(wrong_seq.out.find("ANCHOR MISSING"), std::string::npos) << wrong_seq.out;
  std::string other(64, 'a');
  EXPECT_EQ(Credsweep("audit --db " + db_ + " --expect-head " + other).code, 1);
  CliRun bad = Credsweep("audit --db " + db_ + " --expect-head xyz");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--expect-head"), std::string::npos) << bad.err;
}

TEST_F(StatusCommandsTest, ReinstateOrSuspendOfARevokedCredentialIsRefusedWithExitOne) {
  Revoke("urn:a");
  for (const char* cmd : {"reinstate", "suspend"}) {
    CliRun r = Credsweep(std::string(cmd) + " urn:a --reason cleared --db " + db_);
    EXPECT_EQ(r.code, 1) << cmd << ": " << r.out << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(testing::Contains(r.err, "urn:a: 'urn:a' is revoked since")) << r.err;
    EXPECT_TRUE(testing::Contains(r.err, "revocation is final")) << r.err;
    EXPECT_TRUE(testing::Contains(r.err, "--allow-unrevoke")) << r.err;
  }
  // Several ids: the others still change, the exit status reports the refusal.
  CliRun mixed = Credsweep("suspend urn:b urn:a urn:c --reason inquiry --register --db " + db_);
  EXPECT_EQ(mixed.code, 1) << mixed.err;
  EXPECT_TRUE(testing::Contains(mixed.out, "urn:b suspended (event 2)")) << mixed.out;
  EXPECT_TRUE(testing::Contains(mixed.out, "urn:c suspended (event 3)")) << mixed.out;
  CliRun status = Credsweep("status urn:a --db " + db_);
  EXPECT_TRUE(status.out.starts_with("urn:a revoked since")) << status.out;
  EXPECT_TRUE(testing::Contains(status.out, ": fraud\n")) << status.out;
  CliRun audit = Credsweep("audit --db " + db_);
  EXPECT_EQ(audit.code, 0) << audit.out << audit.err;
  EXPECT_TRUE(testing::Contains(audit.out, "3 events, chain intact")) << audit.out;
}

TEST_F(StatusCommandsTest, AllowUnrevokeCorrectsAMistakenRevocationAndTheEventSaysSo) {
  Revoke("urn:a");
  CliRun no_reason = Credsweep("reinstate urn:a --allow-unrevoke '' --db " + db_);
  EXPECT_EQ(no_reason.code, 2) << no_reason.err;
  EXPECT_TRUE(testing::Contains(no_reason.err, "--allow-unrevoke needs a reason")) << no_reason.err;
  CliRun both = Credsweep("reinstate urn:a --reason x --allow-unrevoke y --db " + db_);
  EXPECT_NE(both.code, 0);
  CliRun ok = Credsweep("reinstate urn:a --allow-unrevoke 'revoked the wrong id' --db " + db_);
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.out, "urn:a active (event 2, revocation withdrawn)\n");
  CliRun history = Credsweep("history urn:a --db " + db_);
  EXPECT_TRUE(testing::Contains(history.out, " unrevoke urn:a revoked -> active by ")) << history.out;
  EXPECT_TRUE(testing::Contains(history.out, ": revoked the wrong id\n")) << history.out;
  EXPECT_TRUE(Credsweep("status urn:a --db " + db_).out.starts_with("urn:a active since"));
  CliRun audit = Credsweep("audit --db " + db_);
  EXPECT_EQ(audit.code, 0) << audit.out << audit.err;
  EXPECT_TRUE(testing::Contains(audit.out, "2 events, chain intact")) << audit.out;
}

TEST_F(StatusCommandsTest, AWriteThatChangesNothingKeepsTheOriginalAndWritesNoEvent) {
  CliRun first = Credsweep("revoke urn:a --reason fraud --register --db " + db_);
  ASSERT_EQ(first.code, 0) << first.err;
  std::string since = Credsweep("status urn:a --db " + db_).out;  // "urn:a revoked since T: fraud\n"
  ASSERT_TRUE(since.starts_with("urn:a revoked since ")) << since;
  std::string t = since.substr(20, since.find(": fraud") - 20);  // the RFC 3339 time
  ::sleep(1);  // a rewrite would show a later time
  CliRun again = Credsweep("revoke urn:a --reason other --db " + db_);
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, "urn:a already revoked since " + t + ": fraud (no change, no event)\n");
  EXPECT_EQ(Credsweep("status urn:a --db " + db_).out, since);
  // Suspending a suspended credential, reinstating an active one.
  ASSERT_EQ(Credsweep("suspend urn:b --reason inquiry --register --db " + db_).code, 0);
  CliRun suspend = Credsweep("suspend urn:b --reason other --db " + db_);
  EXPECT_EQ(suspend.code, 0) << suspend.err;
  EXPECT_TRUE(suspend.out.starts_with("urn:b already suspended since ")) << suspend.out;
  EXPECT_TRUE(testing::Contains(suspend.out, ": inquiry (no change, no event)")) << suspend.out;
  ASSERT_EQ(Credsweep("reinstate urn:b --reason cleared --db " + db_).code, 0);
  CliRun reinstate = Credsweep("reinstate urn:b --reason cleared --db " + db_);
  EXPECT_EQ(reinstate.code, 0) << reinstate.err;
  EXPECT_TRUE(reinstate.out.starts_with("urn:b already active since ")) << reinstate.out;
  CliRun history = Credsweep("history urn:a --db " + db_);
  EXPECT_EQ(std::count(history.out.begin(), history.out.end(), '\n'), 1) << history.out;
  CliRun audit = Credsweep("audit --db " + db_);
  EXPECT_EQ(audit.code, 0) << audit.out << audit.err;
  EXPECT_TRUE(testing::Contains(audit.out, "3 events, chain intact")) << audit.out;
}

TEST_F(StatusCommandsTest, WriteAndReadCommandsRefuseAForeignRocksDbWithExitTwo) {
  db_ = root_ + "/foreign";
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(o, db_, &db).ok());
    delete db;
  }
  for (std::string args : {"revoke urn:x --reason r --db " + db_, "status urn:x --db " + db_,
                           "audit --db " + db_, "compact --db " + db_}) {
    CliRun r = Credsweep(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find(db_ + " is a RocksDB database but not a credsweep status index"), std::string::npos)
        << args << ": " << r.err;
  }
  std::vector<std::string> families;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::Options(), db_, &families).ok());
  EXPECT_EQ(families, std::vector<std::string>{"default"});
}

TEST_F(StatusCommandsTest, RevokeOrSuspendOfAnIdNeverSeenExitsOneUnlessRegister) {
  Write("known.csv", "urn:known,active,\n");
  ASSERT_EQ(Credsweep("import known.csv --db " + db_).code, 0);
  for (const char* cmd : {"revoke", "suspend", "reinstate"}) {
    CliRun r = Credsweep(std::string(cmd) + " urn:knwon --reason fraud --db " + db_);
    EXPECT_EQ(r.code, 1) << cmd << ": " << r.err;
    EXPECT_EQ(r.out, "") << cmd;
    EXPECT_TRUE(testing::Contains(r.err, "urn:knwon: unknown credential id 'urn:knwon'")) << cmd << ": " << r.err;
    if (std::string(cmd) != "reinstate") {
      EXPECT_TRUE(testing::Contains(r.err, "pass --register")) << r.err;
    }
  }
  EXPECT_TRUE(Credsweep("status urn:knwon --db " + db_).out.starts_with("urn:knwon unknown"));
  CliRun audit = Credsweep("audit --db " + db_);
  EXPECT_TRUE(testing::Contains(audit.out, "1 events, chain intact")) << audit.out;  // nothing written
  // Known ids still change beside a refused one; the exit status reports it.
  CliRun mixed = Credsweep("revoke urn:known urn:knwon --reason fraud --db " + db_);
  EXPECT_EQ(mixed.code, 1) << mixed.err;
  EXPECT_EQ(mixed.out, "urn:known revoked (event 2)\n");
  // --register records the new id with the change.
  CliRun reg = Credsweep("suspend urn:new --reason inquiry --register --db " + db_);
  EXPECT_EQ(reg.code, 0) << reg.err;
  EXPECT_EQ(reg.out, "urn:new suspended (event 3)\n");
  CliRun history = Credsweep("history urn:new --db " + db_);
  EXPECT_TRUE(testing::Contains(history.out, " suspend urn:new unknown -> suspended by ")) << history.out;
  CliRun no_flag = Credsweep("reinstate urn:new --register --reason x --db " + db_);
  EXPECT_NE(no_flag.code, 0);  // reinstate has no --register: it never records an id
}

// RFC 9562: a UUID's hex digits are case-insensitive. Any spelling finds the
// credential; the index keeps the lower-case form.
TEST_F(StatusCommandsTest, UrnUuidIdsAreTheSameCredentialInAnyCase) {
  const std::string upper = "URN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-00000000000D";
  const std::string lower = "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d";
  Revoke(upper);
  CliRun again = Credsweep("revoke " + lower + " --reason other --db " + db_);  // known: no --register needed
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_TRUE(again.out.starts_with(lower + " already revoked since")) << again.out;
  for (const std::string& id : {upper, lower, std::string("urn:uuid:0f1e2d3c-AAAA-4bbb-8ccc-00000000000D")}) {
    CliRun st = Credsweep("status " + id + " --db " + db_);
    EXPECT_TRUE(st.out.starts_with(id + " revoked since")) << st.out;
  }
  CliRun history = Credsweep("history " + upper + " --db " + db_);
  EXPECT_TRUE(testing::Contains(history.out, " revoke " + lower + " unknown -> revoked")) << history.out;
  // verify --db's revocation check finds it too, whatever the credential's spelling.
  ASSERT_EQ(Credsweep("keygen --out issuer.jwk").code, 0);
  auto key = PrivateKey::FromJwk(testing::ReadFile(Path("issuer.jwk"))).value();
  Write("cred.jsonl", testing::SignedCredential(*key, "urn:uuid:0F1E2D3C-aaaa-4BBB-8ccc-00000000000D") + "\n");
  CliRun v = Credsweep("verify cred.jsonl --jwks https://i.example=issuer.jwks.json --db " + db_);
  EXPECT_EQ(v.code, 1) << v.err;
  EXPECT_TRUE(testing::Contains(v.out, R"("revocation":{"result":"fail","code":"revoked")")) << v.out;
  // Not a UUID: other ids stay case-sensitive.
  Revoke("urn:Example:A");
  EXPECT_TRUE(Credsweep("status urn:example:a --db " + db_).out.starts_with("urn:example:a unknown"));
}

TEST_F(StatusCommandsTest, ADamagedWriteAheadLogStopsEveryCommandWithExitTwo) {
  for (int i = 0; i < 20; ++i) Revoke("urn:" + std::to_string(i));
  // The live log is the newest (the highest number): an older one that a busy
  // machine has not yet deleted is never read again, and damage there is no test.
  fs::path log;
  for (const auto& f : fs::directory_iterator(db_)) {
    if (f.path().extension() == ".log" && fs::file_size(f.path()) > 0 &&
        (log.empty() || f.path().filename().string() > log.filename().string())) {
      log = f.path();
    }
  }
  ASSERT_FALSE(log.empty());
  {
    std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);
    const auto middle = static_cast<std::streamoff>(fs::file_size(log) / 2);
    f.seekg(middle);
    const char was = static_cast<char>(f.get());
    f.seekp(middle);
    f.put(static_cast<char>(~was));  // a changed byte, whatever it was
  }
  for (std::string args : {"status urn:3 --db " + db_, "revoke urn:new --reason r --db " + db_}) {
    CliRun r = Credsweep(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find("restore the index from a backup"), std::string::npos) << args << ": " << r.err;
    EXPECT_EQ(r.out, "") << args;
  }
}

}  // namespace
}  // namespace credsweep
