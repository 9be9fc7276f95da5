// `lists publish --format token-status-list`: SD-JWT VCs registered with the slot
// their status.status_list names, revoked and suspended, published as IETF Status
// List Tokens; read back by credsweep (a third party with the folder alone), by the
// SD-JWT JS libraries (@sd-jwt/jwt-status-list, tests/npm/), and served by
// `serve --http` as application/statuslist+jwt.
#include <gtest/gtest.h>

#include "engine/signer.h"
#include "tests/io/cli/issuer_fixture.h"
#include "tests/io/serve_process.h"
#include "tests/published_documents.h"

namespace credsweep::testing {
namespace {

constexpr const char* kIssuer = "https://u.example";
constexpr const char* kBase = "https://status.u.example/tokens";

class TokenStatusPublish : public IssuerCliTest {
 protected:
  std::string Issue(const std::string& id, uint64_t idx) {
    const std::string payload = R"({"iss":")" + std::string(kIssuer) + R"(","jti":")" + id +
                                R"(","vct":"urn:example:microcredential","iat":1700000000,"status":{"status_list":{"idx":)" +
                                std::to_string(idx) + R"(,"uri":")" + kBase + "/1\"}}}";
    return SignCompact(*key_, R"({"alg":"ES256","kid":")" + key_->kid() + R"(","typ":"dc+sd-jwt"})", payload).value() +
           "~\n";
  }
};

TEST_F(TokenStatusPublish, RevokedAndSuspendedReachTheTokenAtTheSlotTheCredentialsName) {
  Write("issued.sd-jwt", Issue("urn:uuid:00000000-0000-4000-8000-00000000000a", 7) +
                             Issue("urn:uuid:00000000-0000-4000-8000-00000000000b", 70000) +
                             Issue("urn:uuid:00000000-0000-4000-8000-00000000000c", 131071));
  CliRun reg = Credsweep("register issued.sd-jwt --db db");
  ASSERT_EQ(reg.code, 0) << reg.err;
  EXPECT_TRUE(Contains(reg.err, "(3 at the status list slot they carry)")) << reg.err;
  ASSERT_EQ(Credsweep("revoke urn:uuid:00000000-0000-4000-8000-00000000000a --db db --reason fraud").code, 0);
  ASSERT_EQ(Credsweep("suspend urn:uuid:00000000-0000-4000-8000-00000000000b --db db --reason review").code, 0);
  CliRun pub = Credsweep("lists publish --db db --key issuer.jwk --issuer " + std::string(kIssuer) + " --base-url " +
                         kBase + " --out public --format token-status-list --ttl 600");
  ASSERT_EQ(pub.code, 0) << pub.err;
  const std::string token = ReadFile(Path("public/tokens/1"));
  EXPECT_TRUE(Contains(ReadFile(Path("public/index.json")), std::string(kBase) + "/1")) << "one token, no -suspension";
  EXPECT_FALSE(Contains(ReadFile(Path("public/index.json")), "-suspension"));

  // credsweep as a third party, with the published folder alone.
  CliRun v = Credsweep("verify issued.sd-jwt --jwks " + std::string(kIssuer) +
                       "=issuer.jwks.json --status-lists public -q -o out.jsonl");
  ASSERT_NE(v.code, 2) << v.err;
  const std::string out = ReadFile(Path("out.jsonl"));
  EXPECT_TRUE(Contains(out, "[7]: invalid (revoked)")) << out;
  EXPECT_TRUE(Contains(out, "[70000]: suspended")) << out;
  EXPECT_TRUE(Contains(out, "[131071]: valid")) << out;

  // The SD-JWT JS libraries read the same statuses from the token.
  if (Shell("command -v node").empty()) GTEST_SKIP() << "node is not installed (scripts/setup-deps installs it)";
  const std::string npm = std::string(CREDSWEEP_SOURCE_DIR) + "/tests/npm";
  std::string decoded = Shell("node " + npm + "/decode-status-list.js " + Path("public/tokens/1") +
                              " 7 70000 131071 2>&1");
  EXPECT_EQ(decoded, "{\"bits\":2,\"statuses\":{\"7\":1,\"70000\":2,\"131071\":0}}\n")
      << decoded << "(npm packages missing? run scripts/setup-deps)";
}

TEST_F(TokenStatusPublish, ServedAsStatusListJwtWithItsTtl) {
  Write("issued.sd-jwt", Issue("urn:uuid:00000000-0000-4000-8000-00000000000d", 3));
  ASSERT_EQ(Credsweep("register issued.sd-jwt --db db").code, 0);
  ASSERT_EQ(Credsweep("lists publish --db db --key issuer.jwk --issuer " + std::string(kIssuer) + " --base-url " +
                      kBase + " --out public --format token-status-list --ttl 600")
                .code,
            0);
  const int port = FreeLoopbackPort();
  ServeProcess server({CREDSWEEP_BINARY, "serve", "--db", Path("db"), "--resp",
                       "127.0.0.1:" + std::to_string(FreeLoopbackPort()), "--http", "127.0.0.1:" + std::to_string(port),
                       "--lists", Path("public")},
                      port);
  ASSERT_TRUE(server.Ready());
  std::string headers = Shell("curl -s -D - -o /dev/null http://127.0.0.1:" + std::to_string(port) + "/tokens/1");
  EXPECT_TRUE(Contains(headers, "Content-Type: application/statuslist+jwt")) << headers;
  EXPECT_TRUE(Contains(headers, "Cache-Control: public, max-age=600")) << headers;
}

}  // namespace
}  // namespace credsweep::testing
