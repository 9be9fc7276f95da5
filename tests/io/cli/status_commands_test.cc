// The index commands through the real binary: audit's exit status and output,
// --head / --expect-head, and exit 2 with a clear message for directories that
// must not be opened (a foreign RocksDB database, a damaged write-ahead log).
#include <gtest/gtest.h>
#include <unistd.h>
#include <rocksdb/db.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>

#include "storage/coding.h"
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
  }
  void Revoke(const std::string& id) {
    CliRun r = Credsweep("revoke " + id + " --reason fraud --db " + db_);
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

TEST_F(StatusCommandsTest, WriteAndReadCommandsRefuseAForeignRocksDbWithExitTwo) {
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

TEST_F(StatusCommandsTest, ADamagedWriteAheadLogStopsEveryCommandWithExitTwo) {
  for (int i = 0; i < 20; ++i) Revoke("urn:" + std::to_string(i));
  fs::path log;
  for (const auto& f : fs::directory_iterator(db_)) {
    if (f.path().extension() == ".log" && fs::file_size(f.path()) > 0) log = f.path();
  }
  ASSERT_FALSE(log.empty());
  {
    std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(log) / 2));
    f.put('\xff');
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
