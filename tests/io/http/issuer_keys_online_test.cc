// `verify --online` reading the keys issuers publish over real HTTPS on loopback:
// python3's http.server behind TLS with a certificate for localhost made in the
// test. The credsweep process trusts that certificate through SSL_CERT_FILE (the
// system trust store OpenSSL's default paths read), so the host name and chain
// checks of the HTTP client run exactly as against a public server.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/io/cli/cli_fixture.h"
#include "tests/published_documents.h"
#include "tests/testutil.h"

namespace credsweep::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHttpsServer =
    "import functools, http.server, ssl, sys\n"
    "port, root, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]\n"
    "handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)\n"
    "server = http.server.ThreadingHTTPServer(('127.0.0.1', port), handler)\n"
    "tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
    "tls.load_cert_chain(cert, key)\n"
    "server.socket = tls.wrap_socket(server.socket, server_side=True)\n"
    "server.serve_forever()\n";

class IssuerKeysOnline : public CliTest {
 protected:
  static void SetUpTestSuite() {
    dir_ = (fs::path(::testing::TempDir()) / ("issuer-keys-" + std::to_string(getpid()))).string();
    fs::create_directories(dir_ + "/www/.well-known/jwt-vc-issuer");
    cert_ = dir_ + "/cert.pem";
    const std::string key = dir_ + "/key.pem";
    ASSERT_EQ(std::system(("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + key +
                           " -out " + cert_ + " -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost " +
                           "2>/dev/null")
                              .c_str()),
              0);
    port_ = FreeLoopbackPort();
    signer_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    signer_->set_kid("k1");
    std::ofstream(dir_ + "/www/.well-known/did.json") << DidDocumentFor(Did(), "key-1", *signer_);
    std::ofstream(dir_ + "/www/.well-known/jwt-vc-issuer/tenant") << IssuerMetadataFor(Issuer(), *signer_);
    pid_ = fork();
    if (pid_ == 0) {
      execlp("python3", "python3", "-c", kHttpsServer, std::to_string(port_).c_str(), (dir_ + "/www").c_str(),
             cert_.c_str(), key.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100; ++i) {  // until the server accepts connections
      int s = ConnectLoopback(port_);
      if (s >= 0) {
        close(s);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  static void TearDownTestSuite() {
    if (pid_ > 0) {  // never kill(0, ...): that is the whole process group
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    fs::remove_all(dir_);
    delete signer_;
  }
  static std::string Did() { return "did:web:localhost%3A" + std::to_string(port_); }
  static std::string Issuer() { return "https://localhost:" + std::to_string(port_) + "/tenant"; }

  // `verify` of one credential; `trusted`: the test certificate is in the trust store.
  CliRun Run(const std::string& credential, const std::string& flags, bool trusted = true) {
    Write("in.jwt", credential + "\n");
    const std::string env = trusted ? "SSL_CERT_FILE=" + cert_ + " " : "SSL_CERT_FILE=/dev/null ";
    std::string cmd = "cd " + root_ + " && " + env + CREDSWEEP_BINARY +
                      " verify in.jwt --at 2026-06-01T00:00:00Z --quiet --fetch-timeout 5 " + flags + " </dev/null >" +
                      root_ + "/.out 2>" + root_ + "/.err";
    int rc = std::system(cmd.c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, ReadFile(root_ + "/.out"), ReadFile(root_ + "/.err")};
  }

  static inline std::string dir_, cert_;
  static inline int port_ = 0;
  static inline pid_t pid_ = 0;
  static inline PrivateKey* signer_ = nullptr;
};

TEST_F(IssuerKeysOnline, ReadsDidWebDocumentsAndIssuerMetadataOverHttps) {
  auto did = Run(CredentialSealedBy(*signer_, Did() + "#key-1", Did()), "--online --allow-private-addresses");
  EXPECT_EQ(did.code, 0) << did.out << did.err;
  EXPECT_TRUE(Contains(did.out, "key published in the DID document https://localhost:" + std::to_string(port_) +
                                    "/.well-known/did.json"))
      << did.out;
  auto meta = Run(CredentialSealedBy(*signer_, "k1", Issuer()), "--online --allow-private-addresses");
  EXPECT_EQ(meta.code, 0) << meta.out << meta.err;
  EXPECT_TRUE(Contains(meta.out, "by its JWT VC issuer metadata https://localhost:" + std::to_string(port_) +
                                     "/.well-known/jwt-vc-issuer/tenant"))
      << meta.out;
}

TEST_F(IssuerKeysOnline, LoopbackIsRefusedWithoutAllowPrivateAddresses) {
  auto r = Run(CredentialSealedBy(*signer_, Did() + "#key-1", Did()), "--online");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.out, R"("code":"key_unavailable")")) << r.out;
  EXPECT_TRUE(Contains(r.out, "--allow-private-addresses")) << r.out;
}

TEST_F(IssuerKeysOnline, AServerCertificateOutsideTheTrustStoreIsKeyUnavailable) {
  auto r = Run(CredentialSealedBy(*signer_, "k1", Issuer()), "--online --allow-private-addresses", false);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.out, R"("code":"key_unavailable")")) << r.out;
  EXPECT_TRUE(Contains(r.out, "issuer key document server unavailable")) << r.out;
}

TEST_F(IssuerKeysOnline, WithDbAFetchedDocumentIsCachedForLaterRuns) {
  ASSERT_EQ(Credsweep("init --db db").code, 0);
  const std::string credential = CredentialSealedBy(*signer_, Did() + "#key-1", Did());
  EXPECT_EQ(Run(credential, "--db db --online --allow-private-addresses").code, 0);
  // Offline now, from a folder that lacks the document: the index's copy serves.
  Write("empty/index.json", "{}");
  auto cached = Run(credential, "--db db --did-documents empty");
  EXPECT_EQ(cached.code, 0) << cached.out << cached.err;
  auto uncached = Run(credential, "--did-documents empty");
  EXPECT_EQ(uncached.code, 1) << uncached.out;
  // The cache alone does not make published keys readable.
  auto cache_only = Run(credential, "--db db");
  EXPECT_EQ(cache_only.code, 1) << cache_only.out;
  EXPECT_TRUE(Contains(cache_only.out, R"("code":"key_not_found")")) << cache_only.out;
}

}  // namespace
}  // namespace credsweep::testing
