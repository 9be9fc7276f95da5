// `verify --online` reading the accreditation records credentials name and EBSI
// issuers' accreditation chains, over real HTTPS on loopback
// (tests/io/http/loopback_https.h), and `--max-accreditation-age` for the copies
// the index keeps.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/ebsi_chain.h"
#include "tests/io/cli/cli_fixture.h"
#include "tests/io/http/loopback_https.h"

namespace credsweep::testing {
namespace {

namespace fs = std::filesystem;

class AccreditationOnline : public CliTest {
 protected:
  static void SetUpTestSuite() {
    dir_ = (fs::path(::testing::TempDir()) / ("accreditation-online-" + std::to_string(getpid()))).string();
    server_ = new LoopbackHttpsServer;
    ASSERT_TRUE(server_->Start(dir_));
    fs::create_directories(server_->root() + "/acc");
  }
  static void TearDownTestSuite() {
    delete server_;
    fs::remove_all(dir_);
  }
  static std::string RecordUri(const std::string& name) { return server_->Origin() + "/acc/" + name; }
  // Publishes the record `name` accrediting https://i.example with this status.
  static void Publish(const std::string& name, const std::string& status) {
    std::ofstream(server_->root() + "/acc/" + name)
        << R"({"id":")" + RecordUri(name) + R"(","type":"Accreditation","organisation":"https://i.example",)"
        << R"("limitEQFLevel":[6],"status":")" + status + R"("})";
  }

  void SetUp() override {
    CliTest::SetUp();
    key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    Write("issuer.jwks.json", "{\"keys\":[" + key_->ToPublicJwkJson() + "]}");
    Write("empty/index.json", "{}");
  }
  // One credential of https://i.example naming the record `name` as its accreditation.
  void Issue(const std::string& name) {
    const std::string payload =
        R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"id":"urn:test:1",)"
        R"("issuer":"https://i.example","validFrom":"2026-01-01T00:00:00Z",)"
        R"("credentialSubject":{"achievement":{"eqfLevel":6}},"evidence":[{"type":"Evidence","accreditation":{"id":")" +
        RecordUri(name) + R"("}}]})";
    Write("in.jwt", SignCompact(*key_, R"({"alg":"ES256","kid":")" + key_->kid() + "\"}", payload).value() + "\n");
  }
  // The accreditation result of `verify` with these flags.
  std::string Accreditation(const std::string& flags) {
    CliRun r = Credsweep("verify in.jwt --jwks https://i.example=issuer.jwks.json --at 2026-06-01T00:00:00Z -q "
                         "--require accreditation --fetch-timeout 5 -o out.jsonl " + flags,
                         "/dev/null", "SSL_CERT_FILE=" + server_->cert());
    EXPECT_NE(r.code, 2) << r.err;
    std::string out = ReadFile(Path("out.jsonl"));
    size_t at = out.find(R"("accreditation":{)");
    return at == std::string::npos ? "none in: " + out : out.substr(at, out.find('}', at) - at + 1);
  }

  std::unique_ptr<PrivateKey> key_;
  static inline std::string dir_;
  static inline LoopbackHttpsServer* server_ = nullptr;
};

TEST_F(AccreditationOnline, TheRecordTheCredentialNamesIsFetched) {
  Publish("fetched", "active");
  Issue("fetched");
  std::string online = Accreditation("--online --allow-private-addresses");
  EXPECT_TRUE(Contains(online, R"("result":"pass","code":"ok")")) << online;
  EXPECT_TRUE(Contains(online, "accredited by '" + RecordUri("fetched") + "'")) << online;
  // Loopback is a private address: refused like any other fetch, named as unavailable.
  std::string refused = Accreditation("--online");
  EXPECT_TRUE(Contains(refused, R"("result":"fail","code":"accreditation_unavailable")")) << refused;
  // Offline, with nothing that holds the record, there is none.
  std::string offline = Accreditation("--accreditations empty");
  EXPECT_TRUE(Contains(offline, R"("code":"no_accreditation_record")")) << offline;
}

TEST_F(AccreditationOnline, TheIndexKeepsAFetchedRecordForMaxAccreditationAge) {
  ASSERT_EQ(Credsweep("init --db db").code, 0);
  Publish("changing", "active");
  Issue("changing");
  const std::string online = "--db db --online --allow-private-addresses ";
  EXPECT_TRUE(Contains(Accreditation(online), R"("result":"pass")"));
  // The accrediting body suspends it; the index's copy is younger than a day.
  Publish("changing", "suspended");
  std::string cached = Accreditation(online);
  EXPECT_TRUE(Contains(cached, R"("result":"pass")")) << cached;
  std::string cached_offline = Accreditation("--db db --accreditations empty");
  EXPECT_TRUE(Contains(cached_offline, R"("result":"pass")")) << cached_offline;
  // With an age of 0 every copy is too old: the record is fetched again.
  std::string refetched = Accreditation(online + "--max-accreditation-age 0");
  EXPECT_TRUE(Contains(refetched, R"("result":"fail","code":"accreditation_suspended")")) << refetched;
  // ... and the new copy replaced the old one in the index.
  std::string replaced = Accreditation("--db db --accreditations empty");
  EXPECT_TRUE(Contains(replaced, R"("code":"accreditation_suspended")")) << replaced;
  // Too old and nowhere else to be had: not served stale.
  std::string stale = Accreditation("--db db --accreditations empty --max-accreditation-age 0");
  EXPECT_TRUE(Contains(stale, R"("code":"no_accreditation_record")")) << stale;
}

TEST_F(AccreditationOnline, AnEbsiChainIsReadFromTheTrustedIssuersRegistryOnlineAndOffline) {
  const std::string tir = server_->Origin() + "/tir/v5";
  ebsi::Chain chain(tir);
  std::string index;
  int n = 0;
  for (const auto& [url, doc] : chain.Documents()) {
    // Served where the registry API serves it, and kept in a folder for offline use.
    const fs::path served = server_->root() + url.substr(server_->Origin().size());
    fs::create_directories(served.parent_path());
    std::ofstream(served) << doc;
    const std::string file = "doc" + std::to_string(++n) + ".json";
    Write("tir/" + file, doc);
    index += (index.empty() ? "" : ",") + JsonString(url) + ":" + JsonString(file);
  }
  Write("tir/index.json", "{" + index + "}");
  Write("registry.json", ebsi::Chain::Registry());
  std::string keys;
  for (const auto& [key, did] : {std::pair{chain.root.get(), ebsi::kRoot}, std::pair{chain.tao.get(), ebsi::kTao},
                                 std::pair{chain.ti.get(), ebsi::kTi}}) {
    Write(std::string(did + 9) + ".jwks", "{\"keys\":[" + key->ToPublicJwkJson() + "]}");
    keys += " --jwks " + std::string(did) + "=" + std::string(did + 9) + ".jwks";
  }
  Write("diploma.jwt", chain.Diploma() + "\n");
  auto verify = [&](const std::string& flags, const std::string& api = "") {
    fs::remove(Path("out.jsonl"));
    CliRun r = Credsweep("verify diploma.jwt --trust registry.json --ebsi-tir " + (api.empty() ? tir : api) + keys +
                             " --at 2026-06-01T00:00:00Z -q --require accreditation --fetch-timeout 5 -o out.jsonl " +
                             flags,
                         "/dev/null", "SSL_CERT_FILE=" + server_->cert());
    std::string out = fs::exists(Path("out.jsonl")) ? ReadFile(Path("out.jsonl")) : "";
    size_t at = out.find(R"("accreditation":{)");
    return std::pair{r.code, at == std::string::npos ? "none in: " + out + r.err : out.substr(at, out.find('}', at) - at + 1)};
  };
  auto [online_code, online] = verify("--online --allow-private-addresses");
  EXPECT_EQ(online_code, 0) << online;
  EXPECT_TRUE(Contains(online, R"("result":"pass","code":"ok")")) << online;
  EXPECT_TRUE(Contains(online, "did:ebsi:zTao <- did:ebsi:zRootTao")) << online;
  auto [offline_code, offline] = verify("--accreditations tir");
  EXPECT_EQ(offline_code, 0) << offline;
  EXPECT_TRUE(Contains(offline, R"("result":"pass","code":"ok")")) << offline;
  // Another registry API holds nothing on the university: it claims no accreditation,
  // which --require accreditation makes a failure.
  auto [elsewhere_code, elsewhere] = verify("--accreditations tir", "https://tir.example/v5");
  EXPECT_EQ(elsewhere_code, 1) << elsewhere;
  EXPECT_TRUE(Contains(elsewhere, R"("code":"not_claimed")")) << elsewhere;
  // The root the chain ends at must be one the registry names.
  Write("registry.json", ebsi::Chain::Registry(false));
  auto [untrusted_code, untrusted] = verify("--online --allow-private-addresses");
  EXPECT_EQ(untrusted_code, 1) << untrusted;
  EXPECT_TRUE(Contains(untrusted, R"("result":"fail","code":"no_accreditation_record")")) << untrusted;
  auto [bad_flag, bad] = verify("", "ftp://tir.example");
  EXPECT_EQ(bad_flag, 2) << bad;
}

}  // namespace
}  // namespace credsweep::testing
