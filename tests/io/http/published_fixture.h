// A status index with three credentials of one issuer (active, revoked "fraud",
// suspended "inquiry"), its lists published by the real binary under
// http://127.0.0.1:PORT/lists into a folder, and the three credentials sealed with
// status entries pointing there; for the tests of `serve --http` and its lists.
#ifndef CREDSWEEP_TESTS_IO_HTTP_PUBLISHED_FIXTURE_H_
#define CREDSWEEP_TESTS_IO_HTTP_PUBLISHED_FIXTURE_H_

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "engine/signer.h"
#include "storage/status_index.h"
#include "tests/io/serve_process.h"
#include "tests/published_documents.h"
#include "tests/testutil.h"

namespace credsweep::testing {

namespace fs = std::filesystem;

inline constexpr const char* kIssuer = "https://u.example";

class PublishedFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::path(::testing::TempDir()) /
            ("served-lists-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    port_ = FreeLoopbackPort();
    base_ = "http://127.0.0.1:" + std::to_string(port_) + "/lists";
    ASSERT_EQ(Run("keygen --alg ES256 --kid k1 --out " + dir_ + "/issuer.jwk"), 0);
    key_ = PrivateKey::FromJwk(ReadFile(dir_ + "/issuer.jwk")).value();
    {
      auto idx = storage::CreateOrOpenForWriting(db()).value();
      std::vector<storage::Change> changes;
      for (const char* id : {"urn:active", "urn:revoked", "urn:suspended"}) {
        changes.push_back({id, storage::Operation::kRegister, CredentialState::kActive, "", 0, kIssuer});
      }
      changes.push_back({"urn:revoked", storage::Operation::kRevoke, CredentialState::kRevoked, "fraud", 0, ""});
      changes.push_back({"urn:suspended", storage::Operation::kSuspend, CredentialState::kSuspended, "inquiry", 0, ""});
      size_t applied = 0;
      ASSERT_TRUE(idx->ApplyBatch(changes, "test", &applied).ok());
    }
    ASSERT_EQ(Run("lists publish --db " + db() + " --key " + dir_ + "/issuer.jwk --issuer " + kIssuer +
                  " --base-url " + base_ + " --out " + out()),
              0);
    auto idx = storage::OpenForWriting(db()).value();
    for (const char* id : {"urn:active", "urn:revoked", "urn:suspended"}) {
      auto r = idx->Lookup(id).value();
      ASSERT_TRUE(r.has_value());
      ASSERT_EQ(r->list_id, base_ + "/1");
      std::ofstream(dir_ + "/" + std::string(id).substr(4) + ".jwt") << Credential(id, r->list_id, r->list_index)
                                                                      << "\n";
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  int Run(const std::string& args) {
    int rc = std::system((std::string(CREDSWEEP_BINARY) + " " + args + " >/dev/null 2>&1").c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
  std::string db() const { return dir_ + "/db"; }
  std::string out() const { return dir_ + "/public"; }

  // A credential of kIssuer with revocation and suspension entries at (list, index).
  std::string Credential(const std::string& id, const std::string& list, uint64_t index) const {
    auto entry = [&](const std::string& url, const char* purpose) {
      return R"({"id":)" + JsonString(url + "#" + std::to_string(index)) +
             R"(,"type":"BitstringStatusListEntry","statusPurpose":")" + purpose + R"(","statusListIndex":")" +
             std::to_string(index) + R"(","statusListCredential":)" + JsonString(url) + "}";
    };
    std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                          R"("id":")" + id + R"(","issuer":")" + kIssuer +
                          R"(","validFrom":"2026-01-01T00:00:00Z","credentialSubject":{},"credentialStatus":[)" +
                          entry(list, "revocation") + "," + entry(list + "-suspension", "suspension") + "]}";
    return SignCompact(*key_, R"({"alg":"ES256","kid":"k1"})", payload).value();
  }

  std::string Credentials() const {
    return dir_ + "/active.jwt " + dir_ + "/revoked.jwt " + dir_ + "/suspended.jwt";
  }
  // `verify --online` of the three credentials: each one's revocation code, in order.
  std::vector<std::string> VerifyOnline() {
    const std::string results = dir_ + "/results.jsonl";
    fs::remove(results);
    Run("verify " + Credentials() + " --jwks " + kIssuer + "=" + dir_ +
        "/issuer.jwks.json --online --allow-private-addresses --quiet --out " + results);
    std::vector<std::string> codes;
    std::ifstream in(results);
    simdjson::dom::parser parser;
    for (std::string line; std::getline(in, line);) {
      simdjson::dom::element r;
      std::string_view code;
      if (parser.parse(line).get(r) == simdjson::SUCCESS &&
          r["checks"]["revocation"]["code"].get_string().get(code) == simdjson::SUCCESS) {
        codes.emplace_back(code);
      } else {
        codes.push_back("no result: " + line);
      }
    }
    return codes;
  }

  // `serve --http` on port_ with the published folder, and `extra` options.
  std::unique_ptr<ServeProcess> Serve(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {CREDSWEEP_BINARY, "serve", "--db", db(), "--resp",
                                     "127.0.0.1:" + std::to_string(FreeLoopbackPort()), "--http",
                                     "127.0.0.1:" + std::to_string(port_), "--lists", out()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<ServeProcess>(argv, port_, dir_ + "/serve.log");
  }
  // Waits (up to 20 s) for the server's log to hold `text`.
  bool LogShows(const std::string& text) const {
    for (int i = 0; i < 400; ++i) {
      if (ReadFile(dir_ + "/serve.log").find(text) != std::string::npos) return true;
      usleep(50000);
    }
    return false;
  }
  std::string Curl(const std::string& args) const {
    return Shell("curl -s -i --max-time 10 " + args + " 2>&1");
  }

  std::string dir_, base_;
  int port_ = 0;
  std::unique_ptr<PrivateKey> key_;
};

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_IO_HTTP_PUBLISHED_FIXTURE_H_
