// `verify --did-documents DIR`: did:web DID documents and JWT VC issuer metadata
// read offline from a folder whose index.json maps DIDs and URLs to files.
#include "tests/io/cli/cli_fixture.h"
#include "tests/published_documents.h"

namespace credsweep::testing {
namespace {

constexpr const char* kDid = "did:web:uni.example:issuers:ugent";
constexpr const char* kIssuer = "https://issuer.example/tenant";

class DidDocumentsCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    key_->set_kid("k1");
    Write("docs/ugent.json", DidDocumentFor(kDid, "key-1", *key_));
    Write("docs/meta/issuer.json", IssuerMetadataFor(kIssuer, *key_));
    // A DID stands for its document's URL; metadata is listed by its URL.
    Write("docs/index.json", R"({"did:web:uni.example:issuers:ugent":"ugent.json",)"
                             R"("https://issuer.example/.well-known/jwt-vc-issuer/tenant":"meta/issuer.json"})");
  }
  CliRun Verify(const std::string& credential, const std::string& flags) {
    Write("in.jwt", credential + "\n");
    return Credsweep("verify in.jwt --at 2026-06-01T00:00:00Z --quiet " + flags);
  }
  std::unique_ptr<PrivateKey> key_;
};

TEST_F(DidDocumentsCli, VerifiesDidWebAndIssuerMetadataSealsFromTheFolder) {
  auto did = Verify(CredentialSealedBy(*key_, std::string(kDid) + "#key-1", kDid), "--did-documents docs");
  EXPECT_EQ(did.code, 0) << did.out << did.err;
  EXPECT_TRUE(Contains(did.out, R"("verified":true)")) << did.out;
  EXPECT_TRUE(Contains(did.out, "https://uni.example/issuers/ugent/did.json")) << did.out;

  auto meta = Verify(CredentialSealedBy(*key_, "k1", kIssuer), "--did-documents docs");
  EXPECT_EQ(meta.code, 0) << meta.out << meta.err;
  EXPECT_TRUE(Contains(meta.out, "JWT VC issuer metadata https://issuer.example/.well-known/jwt-vc-issuer/tenant"))
      << meta.out;
}

TEST_F(DidDocumentsCli, ADocumentMissingFromTheFolderIsKeyUnavailable) {
  auto r = Verify(CredentialSealedBy(*key_, "did:web:other.example#key-1", "did:web:other.example"),
                  "--did-documents docs");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.out, R"("code":"key_unavailable")")) << r.out;
  EXPECT_TRUE(Contains(r.out, "cannot fetch the DID document https://other.example/.well-known/did.json: not in ")) << r.out;
}

TEST_F(DidDocumentsCli, WithoutTheFolderPublishedKeysAreNotRead) {
  auto r = Verify(CredentialSealedBy(*key_, std::string(kDid) + "#key-1", kDid), "");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.out, R"("code":"key_not_found")")) << r.out;
}

TEST_F(DidDocumentsCli, AFolderWithoutIndexIsAUsageError) {
  std::filesystem::create_directories(Path("empty"));
  auto r = Verify(CredentialSealedBy(*key_, "k1", kIssuer), "--did-documents empty");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(Contains(r.err, "has no readable index.json")) << r.err;
}

}  // namespace
}  // namespace credsweep::testing
