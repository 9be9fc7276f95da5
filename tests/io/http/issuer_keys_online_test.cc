// `verify --online` reading the keys issuers publish over real HTTPS on loopback
// (tests/io/http/loopback_https.h).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/io/cli/cli_fixture.h"
#include "tests/io/http/loopback_https.h"
#include "tests/published_documents.h"
#include "tests/testutil.h"

namespace credsweep::testing {
namespace {

namespace fs = std::filesystem;

class IssuerKeysOnline : public CliTest {
 protected:
  static void SetUpTestSuite() {
    dir_ = (fs::path(::testing::TempDir()) / ("issuer-keys-" + std::to_string(getpid()))).string();
    server_ = new LoopbackHttpsServer;
    ASSERT_TRUE(server_->Start(dir_));
    cert_ = server_->cert();
    port_ = server_->port();
    fs::create_directories(server_->root() + "/.well-known/jwt-vc-issuer");
    signer_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    signer_->set_kid("k1");
    std::ofstream(server_->root() + "/.well-known/did.json") << DidDocumentFor(Did(), "key-1", *signer_);
    std::ofstream(server_->root() + "/.well-known/jwt-vc-issuer/tenant") << IssuerMetadataFor(Issuer(), *signer_);
  }
  static void TearDownTestSuite() {
    delete server_;
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
  static inline LoopbackHttpsServer* server_ = nullptr;
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
