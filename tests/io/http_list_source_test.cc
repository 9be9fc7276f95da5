// HttpListSource against a real HTTP server on loopback (python3's http.server).
#include "io/http_list_source.h"

#include "engine/signer.h"
#include "engine/status_list.h"
#include "engine/verifier.h"
#include "tests/testutil.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

int FreePort() { return testing::FreeLoopbackPort(); }

class HttpListSourceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = (fs::path(::testing::TempDir()) / ("http-" + std::to_string(getpid()))).string();
    fs::create_directories(dir_);
    std::ofstream(dir_ + "/list-1.jwt") << "eyJhbGciOiJFUzI1NiJ9.e30.sig\n";
    std::ofstream(dir_ + "/big.bin") << std::string(2 << 20, 'x');
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      dup2(devnull, 2);
      execlp("python3", "python3", "-m", "http.server", std::to_string(port_).c_str(), "--bind", "127.0.0.1",
             "--directory", dir_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    // Wait until the server accepts connections.
    for (int i = 0; i < 100; ++i) {
      int s = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<uint16_t>(port_));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      bool up = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
      close(s);
      if (up) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  static void TearDownTestSuite() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    fs::remove_all(dir_);
  }
  static std::string Url(const std::string& path) { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  static inline std::string dir_;
  static inline int port_ = 0;
  static inline pid_t pid_ = 0;
};

TEST_F(HttpListSourceTest, FetchesTheDocumentAsPublished) {
  HttpListSource src;
  auto r = src.Fetch(Url("/list-1.jwt"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "eyJhbGciOiJFUzI1NiJ9.e30.sig\n");
}

TEST_F(HttpListSourceTest, MissingListIsNotFound) {
  HttpListSource src;
  auto r = src.Fetch(Url("/nope.jwt"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("404"), std::string::npos) << r.status().message();
}

TEST_F(HttpListSourceTest, BodyIsCapped) {
  HttpOptions o;
  o.max_body_bytes = 1 << 20;
  HttpListSource src(o);
  auto r = src.Fetch(Url("/big.bin"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("body limit"), std::string::npos) << r.status().message();
}

TEST_F(HttpListSourceTest, UnreachableServerIsAnIoError) {
  HttpOptions o;
  o.timeout = std::chrono::milliseconds(2000);
  HttpListSource src(o);
  auto r = src.Fetch("http://127.0.0.1:" + std::to_string(FreePort()) + "/list");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError) << r.status().ToString();
  EXPECT_FALSE(src.Fetch("ftp://example.com/list").ok());
}

TEST_F(HttpListSourceTest, OnlineRevocationCheckReadsTheServedList) {
  auto key = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  key->set_kid("k1");
  StatusBitstring bits(kMinStatusListEntries, 1);
  bits.Set(4242, 1);
  std::string list_url = Url("/status-1.jwt");
  std::string list = SignCompact(*key, R"({"alg":"EdDSA","kid":"k1"})",
                                 R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"https://u.example","credentialSubject":{"type":"BitstringStatusList","statusPurpose":"revocation","encodedList":")" +
                                     bits.Encode() + "\"}}")
                         .value();
  std::ofstream(dir_ + "/status-1.jwt") << list;
  auto cred = [&](int index) {
    return SignCompact(*key, R"({"alg":"EdDSA","kid":"k1"})",
                       R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://u.example","credentialSubject":{},"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":")" +
                           std::to_string(index) + R"(","statusListCredential":")" + list_url + "\"}}")
        .value();
  };
  auto keys = std::make_shared<KeySet>();
  keys->Add(PublicKey::FromJwk(key->ToPublicJwkJson()).value());
  VerifierOptions o;
  o.keys = keys;
  o.status_lists = std::make_shared<HttpListSource>();
  Verifier v(o);
  Record r;
  r.data = cred(4242);
  EXPECT_EQ(v.Verify(r).check(CheckId::kRevocation).code, "revoked");
  r.data = cred(4243);
  EXPECT_TRUE(v.Verify(r).verified());
}

}  // namespace
}  // namespace credsweep::io
