// import (CSV and JSON Lines rows as spreadsheets and other systems write them,
// malformed rows counted by code, resuming after the last synced batch, a damaged
// progress marker), register and lists publish, through the real binary.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "storage/status_index.h"
#include "tests/io/cli/cli_fixture.h"

namespace credsweep::testing {
namespace {

namespace fs = std::filesystem;

class ImportCommand : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    CliRun init = Credsweep("init --db db");
    ASSERT_EQ(init.code, 0) << init.err;
  }
  std::string State(const std::string& id) {
    CliRun r = Credsweep("status " + id + " --db db");
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out;
  }
  // Sets the import progress marker of `file` as an interrupted import leaves it.
  void SetProgress(const std::string& file, const std::string& value) {
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    std::string key = "import:" + fs::absolute(file).string() + ":" + std::to_string(st.st_size) + ":" +
                      std::to_string(st.st_mtime);
    auto idx = storage::OpenForWriting(Path("db"));
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    ASSERT_TRUE((*idx)->PutMeta(key, value).ok());
  }
};

TEST_F(ImportCommand, CsvRowsSetStatesAndMalformedRowsAreSkippedByLine) {
  std::string csv = Write("states.csv",
                          "id,state,reason,time\n"
                          "urn:a,revoked,fraud,2026-01-02T03:04:05Z\n"
                          "urn:b,exploded,oops\n"
                          "urn:c,suspended,review\n");
  CliRun r = Credsweep("import states.csv --db db");
  EXPECT_EQ(r.code, 1) << r.err;  // the rest is imported, the command fails
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "states.csv:3: malformed row skipped (bad_state): state 'exploded'")) << r.err;
  EXPECT_TRUE(Contains(r.err, "2 rows imported (2 new ids), 1 malformed skipped (1 bad_state)")) << r.err;
  EXPECT_TRUE(State("urn:a").starts_with("urn:a revoked since 2026-01-02T03:04:05Z")) << State("urn:a");
  EXPECT_TRUE(State("urn:b").starts_with("urn:b unknown")) << State("urn:b");
  EXPECT_TRUE(State("urn:c").starts_with("urn:c suspended")) << State("urn:c");
  (void)csv;
}

TEST_F(ImportCommand, JsonLinesRowsSetStates) {
  Write("states.jsonl",
        "{\"id\":\"urn:a\",\"state\":\"revoked\",\"reason\":\"fraud\"}\n"
        "{\"id\":\"urn:b\",\"state\":\"active\"}\n"
        "{\"state\":\"revoked\"}\n");
  CliRun r = Credsweep("import states.jsonl --db db");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "states.jsonl:3: malformed row skipped (missing_id): no string id")) << r.err;
  EXPECT_TRUE(Contains(r.err, "2 rows imported")) << r.err;
  EXPECT_TRUE(State("urn:a").starts_with("urn:a revoked")) << State("urn:a");
  EXPECT_TRUE(State("urn:b").starts_with("urn:b active")) << State("urn:b");
}

TEST_F(ImportCommand, AnInterruptedImportResumesAfterItsLastSyncedLine) {
  std::string file = Write("states.csv", "urn:a,revoked,x\nurn:b,revoked,x\nurn:c,revoked,x\nurn:d,revoked,x\n");
  SetProgress(file, "2");  // the batch ending at line 2 was synced before the interruption
  CliRun r = Credsweep("import states.csv --db db");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "resuming states.csv after line 2")) << r.err;
  EXPECT_TRUE(Contains(r.err, "2 rows imported (2 new ids), 0 malformed skipped, 2 lines already imported")) << r.err;
  EXPECT_TRUE(State("urn:a").starts_with("urn:a unknown")) << State("urn:a");
  EXPECT_TRUE(State("urn:c").starts_with("urn:c revoked")) << State("urn:c");
  EXPECT_TRUE(State("urn:d").starts_with("urn:d revoked")) << State("urn:d");
  // A finished import is not applied twice.
  CliRun again = Credsweep("import states.csv --db db");
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_TRUE(Contains(again.err, "0 rows imported (0 new ids), 0 malformed skipped, 4 lines already imported"))
      << again.err;
}

TEST_F(ImportCommand, ADamagedProgressMarkerIsRefusedWithExitTwo) {
  std::string file = Write("states.csv", "urn:a,revoked,x\n");
  SetProgress(file, "12abc");
  CliRun r = Credsweep("import states.csv --db db");
  EXPECT_EQ(r.code, 2) << r.err;  // not a crash (std::stoull used to throw past main)
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "import progress for states.csv is damaged ('12abc'")) << r.err;
  EXPECT_TRUE(State("urn:a").starts_with("urn:a unknown")) << State("urn:a");
}

TEST_F(ImportCommand, RowsThatWouldUnrevokeAreRefusedCountedAndTheRestImported) {
  Write("first.csv", "urn:a,revoked,fraud\nurn:b,revoked,fraud\nurn:c,active,\n");
  ASSERT_EQ(Credsweep("import first.csv --db db").code, 0);
  Write("second.csv", "urn:a,active,from the old system\nurn:b,suspended,review\nurn:c,suspended,review\n"
                      "urn:d,revoked,lost\n");
  CliRun r = Credsweep("import second.csv --db db");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "second.csv:1: row refused: 'urn:a' is revoked since")) << r.err;
  EXPECT_TRUE(Contains(r.err, "second.csv:2: row refused: 'urn:b'")) << r.err;
  EXPECT_TRUE(Contains(r.err, "2 rows imported (1 new ids), 0 malformed skipped, 0 unchanged (already in that state), "
                              "2 refused (2 revocation is final)")) << r.err;
  EXPECT_TRUE(State("urn:a").starts_with("urn:a revoked since")) << State("urn:a");
  EXPECT_TRUE(Contains(State("urn:a"), ": fraud")) << State("urn:a");
  EXPECT_TRUE(State("urn:b").starts_with("urn:b revoked")) << State("urn:b");
  EXPECT_TRUE(State("urn:c").starts_with("urn:c suspended")) << State("urn:c");
  EXPECT_TRUE(State("urn:d").starts_with("urn:d revoked")) << State("urn:d");
  CliRun audit = Credsweep("audit --db db");
  EXPECT_EQ(audit.code, 0) << audit.out << audit.err;
  EXPECT_TRUE(Contains(audit.out, "5 events, chain intact")) << audit.out;
}

TEST_F(ImportCommand, ReimportingTheSameRowsAddsNoEvents) {
  const std::string rows = "urn:a,revoked,fraud,2026-01-02T03:04:05Z\nurn:b,suspended,review\nurn:c,active,\n";
  Write("states.csv", rows);
  ASSERT_EQ(Credsweep("import states.csv --db db").code, 0);
  std::string a = State("urn:a"), b = State("urn:b");
  // The same rows under another name (or the file touched): no progress marker
  // applies, every row is compared with the index and changes nothing.
  Write("copy.csv", rows);
  CliRun r = Credsweep("import copy.csv --db db");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "0 rows imported (0 new ids), 0 malformed skipped, 3 unchanged (already in that state), "
                              "0 refused"))
      << r.err;
  EXPECT_EQ(State("urn:a"), a);
  EXPECT_EQ(State("urn:b"), b);
  CliRun audit = Credsweep("audit --db db");
  EXPECT_EQ(audit.code, 0) << audit.out << audit.err;
  EXPECT_TRUE(Contains(audit.out, "3 events, chain intact")) << audit.out;
}

// Excel's "CSV UTF-8": a byte order mark, a header row as typed, CRLF line ends.
TEST_F(ImportCommand, ASpreadsheetsCsvWithByteOrderMarkAndHeaderImportsEveryRow) {
  Write("excel.csv", "\xEF\xBB\xBFID,State,Reason,Changed_At\r\n"
                     "urn:a,Revoked,fraud,2026-01-02T03:04:05Z\r\n"
                     "urn:b, suspended ,review,\r\n");
  CliRun r = Credsweep("import excel.csv --db db");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "2 rows imported (2 new ids), 0 malformed skipped, 0 unchanged")) << r.err;
  EXPECT_TRUE(State("urn:a").starts_with("urn:a revoked since 2026-01-02T03:04:05Z: fraud")) << State("urn:a");
  EXPECT_TRUE(State("urn:b").starts_with("urn:b suspended")) << State("urn:b");
  // Without a header the first id is still read without the mark.
  Write("bom.csv", "\xEF\xBB\xBFurn:c,revoked,lost\n");
  CliRun bom = Credsweep("import bom.csv --db db");
  EXPECT_EQ(bom.code, 0) << bom.err;
  EXPECT_TRUE(State("urn:c").starts_with("urn:c revoked")) << State("urn:c");
  CliRun json = Credsweep("status urn:c --json --db db");
  EXPECT_TRUE(json.out.starts_with(R"({"id":"urn:c","state":"revoked")")) << json.out;
}

TEST_F(ImportCommand, AHeaderWithOtherColumnsIsMalformedNotMisread) {
  Write("states.csv", "id,reason,state\nurn:a,fraud,revoked\n");
  CliRun r = Credsweep("import states.csv --db db");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "states.csv:1: malformed row skipped (bad_header): header 'id,reason,state' does not "
                              "name the columns rows have: id,state,reason[,time] in that order")) << r.err;
  EXPECT_TRUE(Contains(r.err, "2 malformed skipped (1 bad_header, 1 bad_state)")) << r.err;
  EXPECT_TRUE(State("urn:a").starts_with("urn:a unknown")) << State("urn:a");
}

// `status --json` writes changed_at; import reads it back as the row's time.
TEST_F(ImportCommand, JsonLinesChangedAtIsTheTimeOfTheChange) {
  Write("states.jsonl", "{\"id\":\"urn:a\",\"state\":\"revoked\",\"reason\":\"fraud\",\"changed_at\":\"2026-01-02T03:04:05Z\"}\n"
                        "{\"id\":\"urn:b\",\"state\":\"revoked\",\"time\":\"2026-02-01T00:00:00Z\"}\n"
                        "{\"id\":\"urn:c\",\"state\":\"revoked\",\"time\":\"2026-02-01T00:00:00Z\","
                        "\"changed_at\":\"2026-03-01T00:00:00Z\"}\n"
                        "{\"id\":\"urn:d\",\"state\":\"revoked\",\"changed_at\":1767225600}\n");
  CliRun r = Credsweep("import states.jsonl --db db");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "states.jsonl:3: malformed row skipped (bad_time): time '2026-02-01T00:00:00Z' and "
                              "changed_at '2026-03-01T00:00:00Z' disagree")) << r.err;
  EXPECT_TRUE(Contains(r.err, "states.jsonl:4: malformed row skipped (bad_time)")) << r.err;
  EXPECT_TRUE(State("urn:a").starts_with("urn:a revoked since 2026-01-02T03:04:05Z: fraud")) << State("urn:a");
  EXPECT_TRUE(State("urn:b").starts_with("urn:b revoked since 2026-02-01T00:00:00Z")) << State("urn:b");
  // Round trip: one index's `status --json` lines into another index.
  CliRun exported = Credsweep("status urn:a urn:b --json --db db");
  ASSERT_EQ(exported.code, 0) << exported.err;
  Write("export.jsonl", exported.out);
  ASSERT_EQ(Credsweep("init --db copy").code, 0);
  CliRun copy = Credsweep("import export.jsonl --db copy");
  EXPECT_EQ(copy.code, 0) << copy.err;
  EXPECT_EQ(Credsweep("status urn:a urn:b --json --db copy").out, exported.out);
}

// A change is recorded when it happened: a future time would say "revoked since
// 2030" now and "unknown" for any moment up to 2030.
TEST_F(ImportCommand, AFutureTimeIsRefused) {
  Write("states.csv", "urn:a,revoked,fraud,2099-01-01T00:00:00Z\nurn:b,revoked,fraud,2026-01-01T00:00:00Z\n");
  CliRun r = Credsweep("import states.csv --db db");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "states.csv:1: malformed row skipped (future_time): time '2099-01-01T00:00:00Z' is in "
                              "the future")) << r.err;
  EXPECT_TRUE(Contains(r.err, "1 rows imported (1 new ids), 1 malformed skipped (1 future_time)")) << r.err;
  EXPECT_TRUE(State("urn:a").starts_with("urn:a unknown")) << State("urn:a");
  EXPECT_TRUE(State("urn:b").starts_with("urn:b revoked since 2026-01-01T00:00:00Z")) << State("urn:b");
}

TEST_F(ImportCommand, MalformedRowsAreCountedByCodeAndTheRestImported) {
  std::string long_line = "urn:long," + std::string(70000, 'x') + ",r\n";
  Write("states.csv", "urn:a,revoked,fraud\n"
                      "urn:b,gone,x\n"
                      "urn:c,revoked\n"
                      "urn:d,revoked,x,yesterday\n"
                      "urn:e,Revoked,x,2026-01-01\n"
                      "{\"id\":\"urn:f\"\n"
                      "\"urn:g,revoked,x\n"
                      ",revoked,x\n"
                      "urn:h\xff,revoked,x\n" + long_line +
                      "urn:z,suspended,review\n");
  CliRun r = Credsweep("import states.csv --db db");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "2 rows imported (2 new ids), 9 malformed skipped (1 bad_json, 1 bad_quotes, "
                              "1 bad_state, 2 bad_time, 1 bad_utf8, 1 field_count, 1 line_too_long, 1 missing_id)"))
      << r.err;
  EXPECT_TRUE(Contains(r.err, "states.csv:10: malformed row skipped (line_too_long): line longer than 65536 bytes")) << r.err;
  EXPECT_TRUE(State("urn:a").starts_with("urn:a revoked")) << State("urn:a");
  EXPECT_TRUE(State("urn:z").starts_with("urn:z suspended")) << State("urn:z");  // after the long line
}

TEST_F(ImportCommand, ImportReportsHowManyIdsWereNew) {
  ASSERT_EQ(Credsweep("revoke urn:known --reason x --register --db db").code, 0);
  Write("states.csv", "urn:known,revoked,x\nurn:n1,active,\nURN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-00000000000D,revoked,x\n");
  CliRun r = Credsweep("import states.csv --db db");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "2 rows imported (2 new ids), 0 malformed skipped, 1 unchanged")) << r.err;
  // The UUID is stored in lower case and found in any.
  EXPECT_TRUE(State("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d").starts_with("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d revoked"));
}

class RegisterAndPublish : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    std::string no_id = SignCompact(*key_, R"({"alg":"ES256"})",
                                    R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://i.example","credentialSubject":{}})")
                            .value();
    Write("creds.jsonl", SignedCredential(*key_, "urn:c:1") + "\n" + SignedCredential(*key_, "urn:c:2") + "\n" +
                             no_id + "\n" + SignedCredential(*key_, "urn:c:3") + "\n");
  }
  std::unique_ptr<PrivateKey> key_;
};

TEST_F(RegisterAndPublish, RegisterRecordsCredentialsAsActiveAndNamesThoseWithoutId) {
  CliRun r = Credsweep("register creds.jsonl --db db --create");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "creds.jsonl:3: no credential id, not registered")) << r.err;
  EXPECT_TRUE(Contains(r.err, "3 credentials newly registered as active (0 at the status list slot they carry); 1 records without an id; 0 refused")) << r.err;
  CliRun s = Credsweep("status urn:c:2 --db db");
  EXPECT_EQ(s.code, 0) << s.err;
  EXPECT_TRUE(s.out.starts_with("urn:c:2 active")) << s.out;
  CliRun again = Credsweep("register creds.jsonl --db db");  // already known: not registered twice
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_TRUE(Contains(again.err, "0 credentials newly registered")) << again.err;
}

TEST_F(RegisterAndPublish, ListsPublishWritesSignedListsThatVerify) {
  ASSERT_EQ(Credsweep("register creds.jsonl --db db --create").code, 0);
  ASSERT_EQ(Credsweep("revoke urn:c:2 --reason fraud --db db").code, 0);
  CliRun k = Credsweep("keygen --out issuer.jwk");
  ASSERT_EQ(k.code, 0) << k.err;
  CliRun r = Credsweep("lists publish --db db --key issuer.jwk --issuer https://i.example "
                       "--base-url https://i.example/status --out lists");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "1 list(s) for 3 credentials of https://i.example (3 newly assigned slots, 1 revoked"))
      << r.err;
  std::string index = ReadFile(Path("lists/index.json"));
  EXPECT_TRUE(Contains(index, "\"https://i.example/status/1\"")) << index;
  std::string lists;  // each list as a compact JWS and as flattened JWS JSON, at its URL's path
  int files = 0;
  for (const auto& f : fs::directory_iterator(Path("lists/status"))) {
    lists += " " + f.path().string();
    ++files;
  }
  ASSERT_GE(files, 2);
  CliRun v = Credsweep("verify" + lists + " --jwks https://i.example=issuer.jwks.json -q");
  EXPECT_EQ(v.code, 0) << v.out << v.err;  // every list verifies with the issuer's public key
  EXPECT_EQ(std::count(v.out.begin(), v.out.end(), '\n'), files) << v.out;
  EXPECT_FALSE(Contains(v.out, "\"verified\":false")) << v.out;
  // A key that is not a private JWK is refused with exit 2.
  CliRun bad = Credsweep("lists publish --db db --key issuer.jwks.json --issuer https://i.example "
                         "--base-url https://i.example/status --out lists2");
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(Contains(bad.err, "issuer.jwks.json: ")) << bad.err;
}

}  // namespace
}  // namespace credsweep::testing
