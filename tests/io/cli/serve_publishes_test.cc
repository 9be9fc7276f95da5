// The server publishes (`serve --lists DIR --publish-key KEY ...`): a revocation made
// through the running server reaches the published list within --publish-interval,
// and a third party with nothing but the published folder sees it; /metrics shows
// each list's age. The real binary, real RESP over loopback.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine/signer.h"
#include "tests/io/cli/issuer_fixture.h"
#include "tests/io/serve_process.h"
#include "tests/published_documents.h"

namespace credsweep::testing {
namespace {

constexpr const char* kIssuer = "https://u.example";
constexpr const char* kLists = "https://status.u.example/lists";
constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

class ServePublishes : public IssuerCliTest {
 protected:
  void SetUp() override {
    IssuerCliTest::SetUp();
    Write("token", std::string(kToken) + "\n");
    chmod(Path("token").c_str(), 0600);
  }
  std::string Issue(const std::string& id, uint64_t index) {
    const std::string list = std::string(kLists) + "/1";
    auto entry = [&](const std::string& url, const char* purpose) {
      return R"({"id":)" + JsonString(url + "#" + std::to_string(index)) +
             R"(,"type":"BitstringStatusListEntry","statusPurpose":")" + purpose + R"(","statusListIndex":")" +
             std::to_string(index) + R"(","statusListCredential":)" + JsonString(url) + "}";
    };
    const std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                                R"("id":")" + id + R"(","issuer":")" + kIssuer +
                                R"(","validFrom":"2026-01-01T00:00:00Z","credentialSubject":{},"credentialStatus":[)" +
                                entry(list, "revocation") + "," + entry(list + "-suspension", "suspension") + "]}";
    return SignCompact(*key_, R"({"alg":"ES256","kid":")" + key_->kid() + "\"}", payload).value() + "\n";
  }
  // The revocation codes a third party gets from the published folder alone.
  std::string RevocationCodes() {
    CliRun r = Credsweep("verify issued.jsonl --jwks " + std::string(kIssuer) +
                         "=issuer.jwks.json --status-lists public -q -o out.jsonl");
    if (r.code == 2) return "error: " + r.err;
    std::string codes, out = ReadFile(Path("out.jsonl"));
    for (size_t at = out.find(R"("revocation":{)"); at != std::string::npos; at = out.find(R"("revocation":{)", at + 1)) {
      size_t code = out.find(R"("code":")", at) + 8;
      codes += out.substr(code, out.find('"', code) - code) + " ";
    }
    return codes;
  }
  std::unique_ptr<ServeProcess> Serve(double interval) {
    resp_ = FreeLoopbackPort();
    http_ = FreeLoopbackPort();
    return std::make_unique<ServeProcess>(
        std::vector<std::string>{CREDSWEEP_BINARY, "serve", "--db", Path("db"), "--resp",
                                 "127.0.0.1:" + std::to_string(resp_), "--http", "127.0.0.1:" + std::to_string(http_),
                                 "--auth-token-file", Path("token"), "--lists", Path("public"), "--publish-key",
                                 Path("issuer.jwk"), "--publish-issuer", kIssuer, "--base-url", kLists,
                                 "--publish-interval", std::to_string(interval), "--jwks",
                                 std::string(kIssuer) + "=" + Path("issuer.jwks.json")},
        http_, Path("serve.log"));
  }

  int resp_ = 0, http_ = 0;
};

TEST_F(ServePublishes, ARevocationThroughTheServerReachesThePublishedListWithinTheInterval) {
  Write("issued.jsonl", Issue("urn:uuid:00000000-0000-4000-8000-000000000001", 106) +
                            Issue("urn:uuid:00000000-0000-4000-8000-000000000002", 5));
  ASSERT_EQ(Credsweep("register issued.jsonl --db db").code, 0);
  auto server = Serve(1);
  ASSERT_TRUE(server->Ready()) << ReadFile(Path("serve.log"));
  // Published at start: both active.
  EXPECT_EQ(RevocationCodes(), "ok ok ") << ReadFile(Path("serve.log"));
  const std::string addr = "127.0.0.1:" + std::to_string(resp_);
  CliRun rev = Credsweep("revoke urn:uuid:00000000-0000-4000-8000-000000000001 --reason fraud --server " + addr +
                         " --token-file token");
  ASSERT_EQ(rev.code, 0) << rev.err;
  const auto revoked_at = std::chrono::steady_clock::now();
  std::string codes;
  while (std::chrono::steady_clock::now() - revoked_at < std::chrono::seconds(10)) {
    codes = RevocationCodes();
    if (codes == "revoked ok ") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - revoked_at).count();
  EXPECT_EQ(codes, "revoked ok ") << ReadFile(Path("serve.log"));
  // 1 s interval, and the watcher reads the index four times a second; the margin
  // is for a loaded test machine.
  EXPECT_LT(took, 5.0) << "published " << took << " s after the revocation";
  // Served at the path of its URL, and its age in /metrics.
  EXPECT_EQ(Shell("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + std::to_string(http_) + "/lists/1"),
            "200");
  std::string metrics = Shell("curl -s http://127.0.0.1:" + std::to_string(http_) + "/metrics");
  EXPECT_TRUE(Contains(metrics, "credsweep_status_list_age_seconds{list=\"" + std::string(kLists) + "/1\"} "))
      << metrics;
  EXPECT_TRUE(Contains(metrics, "credsweep_status_list_publications_total ")) << metrics;
  EXPECT_TRUE(Contains(metrics, "credsweep_status_list_publish_failures_total 0")) << metrics;
}

// A write made just before the server stops is published on the way out, not
// left for the next start.
TEST_F(ServePublishes, AWriteNotYetPublishedIsPublishedAtShutdown) {
  Write("issued.jsonl", Issue("urn:uuid:00000000-0000-4000-8000-000000000003", 77));
  ASSERT_EQ(Credsweep("register issued.jsonl --db db").code, 0);
  auto server = Serve(3600);
  ASSERT_TRUE(server->Ready()) << ReadFile(Path("serve.log"));
  ASSERT_EQ(Credsweep("revoke urn:uuid:00000000-0000-4000-8000-000000000003 --reason fraud --server 127.0.0.1:" +
                      std::to_string(resp_) + " --token-file token")
                .code,
            0);
  EXPECT_EQ(RevocationCodes(), "ok ") << "an hour's interval: not yet published";
  int status = server->Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadFile(Path("serve.log"));
  EXPECT_EQ(RevocationCodes(), "revoked ") << ReadFile(Path("serve.log"));
}

// `lists publish --server` asks the running server to publish now, whatever its
// interval; `compact --server` compacts the index it holds.
TEST_F(ServePublishes, AnOperatorPublishesAndCompactsThroughTheServer) {
  Write("issued.jsonl", Issue("urn:uuid:00000000-0000-4000-8000-000000000004", 12));
  ASSERT_EQ(Credsweep("register issued.jsonl --db db").code, 0);
  auto server = Serve(3600);
  ASSERT_TRUE(server->Ready()) << ReadFile(Path("serve.log"));
  const std::string addr = "127.0.0.1:" + std::to_string(resp_);
  ASSERT_EQ(Credsweep("revoke urn:uuid:00000000-0000-4000-8000-000000000004 --reason fraud --server " + addr +
                      " --token-file token")
                .code,
            0);
  EXPECT_EQ(RevocationCodes(), "ok ") << "an hour's interval: not yet";
  CliRun denied = Credsweep("lists publish --server " + addr);
  EXPECT_EQ(denied.code, 2);
  EXPECT_TRUE(Contains(denied.err, "NOAUTH")) << denied.err;
  CliRun pub = Credsweep("lists publish --server " + addr + " --token-file token");
  ASSERT_EQ(pub.code, 0) << pub.err;
  EXPECT_TRUE(Contains(pub.out, "published 1 list(s) for 1 credentials (1 revoked")) << pub.out;
  EXPECT_EQ(RevocationCodes(), "revoked ") << "published on request";
  CliRun mixed = Credsweep("lists publish --server " + addr + " --token-file token --db db");
  EXPECT_EQ(mixed.code, 2) << "the server publishes with its own key and folder";
  CliRun compact = Credsweep("compact --server " + addr + " --token-file token");
  EXPECT_EQ(compact.code, 0) << compact.err;
  EXPECT_TRUE(Contains(compact.out, "index compacted")) << compact.out;
}

// The whole registrar's cycle while the server runs: register credentials with the
// slots they carry through the server (the same slot rules as `register --db`),
// revoke, publish on request, and a third party sees the revocation.
TEST_F(ServePublishes, RegisterThroughTheServerKeepsTheSlotRules) {
  auto server = Serve(3600);
  ASSERT_TRUE(server->Ready()) << ReadFile(Path("serve.log"));
  const std::string addr = "127.0.0.1:" + std::to_string(resp_);
  Write("issued.jsonl", Issue("urn:uuid:00000000-0000-4000-8000-000000000005", 40) +
                            Issue("urn:uuid:00000000-0000-4000-8000-000000000006", 41));
  CliRun reg = Credsweep("register issued.jsonl --server " + addr + " --token-file token");
  ASSERT_EQ(reg.code, 0) << reg.err;
  EXPECT_TRUE(Contains(reg.err, "2 credentials newly registered as active (2 at the status list slot they carry)"))
      << reg.err;
  // Slot 40 is taken: refused, by the server, naming the holder; the rest goes on.
  Write("more.jsonl", Issue("urn:uuid:00000000-0000-4000-8000-000000000007", 40) +
                          Issue("urn:uuid:00000000-0000-4000-8000-000000000008", 42));
  CliRun more = Credsweep("register more.jsonl --server " + addr + " --token-file token");
  EXPECT_EQ(more.code, 1) << more.err;
  EXPECT_TRUE(Contains(more.err, "refused: urn:uuid:00000000-0000-4000-8000-000000000007 (more.jsonl:1): its status "
                                 "entry " + std::string(kLists) + "/1#40 is the slot of "
                                 "urn:uuid:00000000-0000-4000-8000-000000000005"))
      << more.err;
  EXPECT_EQ(Credsweep("register more.jsonl --server " + addr).code, 2) << "writes need the token";
  // The credential itself, as any RESP client may send it.
  const std::string credential = Issue("urn:uuid:00000000-0000-4000-8000-000000000009", 43);
  Write("enrol.txt", "AUTH " + std::string(kToken) + "\nCRED.ENROL " + credential.substr(0, credential.size() - 1) +
                         "\nCRED.ENROL " + credential.substr(0, credential.size() - 1) + "\n");
  EXPECT_EQ(Shell("redis-cli -p " + std::to_string(resp_) + " < " + Path("enrol.txt")), "OK\n1\n0\n")
      << "registered once; the second time it is known";
  EXPECT_TRUE(Contains(Credsweep("status urn:uuid:00000000-0000-4000-8000-000000000009 --json --server " + addr).out,
                       "status_list")) << "with the slot it carries";
  ASSERT_EQ(Credsweep("revoke urn:uuid:00000000-0000-4000-8000-000000000006 --reason fraud --server " + addr +
                      " --token-file token")
                .code,
            0);
  ASSERT_EQ(Credsweep("lists publish --server " + addr + " --token-file token").code, 0);
  EXPECT_EQ(RevocationCodes(), "ok revoked ");
}

// `import --server`: a spreadsheet's rows applied by the running server under the
// index's rules; a row that would un-revoke is refused, the rest imported.
TEST_F(ServePublishes, ImportThroughTheServer) {
  auto server = Serve(3600);
  ASSERT_TRUE(server->Ready()) << ReadFile(Path("serve.log"));
  const std::string addr = "127.0.0.1:" + std::to_string(resp_);
  Write("rows.csv", "\xEF\xBB\xBFid,state,reason\nurn:imp:1,revoked,fraud\nurn:imp:2,active,\nurn:imp:3,bogus,x\n");
  CliRun first = Credsweep("import rows.csv --server " + addr + " --token-file token");
  EXPECT_EQ(first.code, 1) << "a malformed row: " << first.err;
  EXPECT_TRUE(Contains(first.err, "2 rows imported (2 new ids), 1 malformed skipped (")) << first.err;
  Write("again.csv", "urn:imp:1,active,oops\nurn:imp:2,active,\n");
  CliRun again = Credsweep("import again.csv --server " + addr + " --token-file token");
  EXPECT_EQ(again.code, 1) << again.err;
  EXPECT_TRUE(Contains(again.err, "0 rows imported (0 new ids)")) << again.err;
  EXPECT_TRUE(Contains(again.err, "1 unchanged")) << again.err;
  EXPECT_TRUE(Contains(again.err, "1 refused (1 revocation is final)")) << again.err;
  EXPECT_TRUE(Contains(Credsweep("status urn:imp:1 --server " + addr).out, "revoked")) << "revocation is final";
  EXPECT_EQ(Credsweep("import rows.csv --server " + addr).code, 2) << "writes need the token";
  EXPECT_EQ(Credsweep("import rows.csv --server " + addr + " --db db").code, 2) << "one of --db and --server";
}

TEST_F(ServePublishes, PublishingNeedsItsOptionsAndAReadableKey) {
  CliRun r = Credsweep("serve --db db --resp 127.0.0.1:0 --publish-key issuer.jwk");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(Contains(r.err, "--publish-key needs --lists, --publish-issuer and --base-url")) << r.err;
  r = Credsweep("serve --db db --resp 127.0.0.1:0 --publish-key nothing.jwk --lists public --publish-issuer " +
                std::string(kIssuer) + " --base-url " + kLists);
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(Contains(r.err, "--publish-key: cannot read nothing.jwk")) << r.err;
  r = Credsweep("serve --db db --resp 127.0.0.1:0 --publish-key issuer.jwk --lists public --publish-issuer " +
                std::string(kIssuer) + " --base-url ftp://x/lists");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(Contains(r.err, "--base-url must be an http(s) URL")) << r.err;
}

}  // namespace
}  // namespace credsweep::testing
