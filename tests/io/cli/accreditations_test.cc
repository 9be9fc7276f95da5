// `verify --accreditations DIR` through the real binary: a credential names its
// accreditation record as ELM evidence, and the record is read from the folder.
#include <gtest/gtest.h>

#include "tests/io/cli/cli_fixture.h"

namespace credsweep {
namespace {

using testing::CliRun;
using testing::Contains;

class AccreditationsCli : public testing::CliTest {
 protected:
  void SetUp() override {
    testing::CliTest::SetUp();
    auto key = PrivateKey::Generate(JwsAlg::kES256).value();
    Write("issuer.jwks.json", "{\"keys\":[" + key->ToPublicJwkJson() + "]}");
    auto cred = [&](const std::string& record) {
      std::string payload =
          R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"id":"urn:test:)" +
          record + R"(","issuer":"https://i.example","validFrom":"2026-01-01T00:00:00Z",)"
          R"("credentialSubject":{"achievement":{"eqfLevel":6}},"evidence":[{"type":"Evidence","accreditation":{"id":"https://acc.example/)" +
          record + R"("}}]})";
      return SignCompact(*key, R"({"alg":"ES256","kid":")" + key->kid() + "\"}", payload).value() + "\n";
    };
    Write("creds/good.jwt", cred("good"));
    Write("creds/narrow.jwt", cred("narrow"));
    auto record = [](const std::string& name, const std::string& extra) {
      return R"({"id":"https://acc.example/)" + name + R"(","type":"Accreditation","organisation":"https://i.example")" +
             extra + "}";
    };
    Write("acc/good.json", record("good", R"(,"limitEQFLevel":[5,6,7])"));
    Write("acc/narrow.json", record("narrow", R"(,"limitEQFLevel":[7])"));
    Write("acc/index.json", R"({"https://acc.example/good":"good.json","https://acc.example/narrow":"narrow.json"})");
  }
  std::string Verify(const std::string& extra) {
    return "verify creds --jwks https://i.example=issuer.jwks.json --at 2026-06-01T00:00:00Z -q -o out.jsonl " + extra;
  }
};

TEST_F(AccreditationsCli, RecordsNamedByTheCredentialComeFromTheFolder) {
  CliRun r = Credsweep(Verify("--accreditations acc --require accreditation"));
  EXPECT_EQ(r.code, 1) << r.err;
  std::string out = testing::ReadFile(Path("out.jsonl"));
  EXPECT_TRUE(Contains(out, R"("accreditation":{"result":"pass","code":"ok","message":"accredited by 'https://acc.example/good')"))
      << out;
  EXPECT_TRUE(Contains(out, R"("accreditation":{"result":"fail","code":"out_of_scope")")) << out;
  EXPECT_TRUE(Contains(out, "limitEQFLevel 7 excludes EQF level 6")) << out;

  // Without the folder the records are nowhere: not configured, not a pass.
  CliRun none = Credsweep(Verify(""));
  EXPECT_TRUE(Contains(testing::ReadFile(Path("out.jsonl")), R"("accreditation":{"result":"skipped","code":"not_configured")"));
}

TEST_F(AccreditationsCli, ARecordMissingFromTheFolderIsNoRecord) {
  Write("acc/index.json", R"({"https://acc.example/good":"good.json"})");
  CliRun r = Credsweep(Verify("--accreditations acc"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(testing::ReadFile(Path("out.jsonl")), R"("code":"no_accreditation_record")"));
}

// The index caches records fetched with --online only; the cache alone is no
// source, so --db without --accreditations or --online leaves the check unconfigured.
TEST_F(AccreditationsCli, TheIndexAloneIsNoAccreditationSource) {
  ASSERT_EQ(Credsweep("register creds --db db --create").code, 0);
  CliRun r = Credsweep(Verify("--db db"));
  EXPECT_EQ(r.code, 0) << r.err;
  std::string out = testing::ReadFile(Path("out.jsonl"));
  EXPECT_TRUE(Contains(out, R"("accreditation":{"result":"skipped","code":"not_configured")")) << out;
}

}  // namespace
}  // namespace credsweep
