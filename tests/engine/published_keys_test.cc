// Keys issuers publish (docs/issuer-keys.md): did:web DID documents and JWT VC
// issuer metadata, read through an in-memory document source. Each rule both
// ways: the seal passes and says where the key came from, or the precise code.
#include <gtest/gtest.h>

#include "engine/did.h"
#include "engine/encoding.h"
#include "engine/issuer_documents.h"
#include "engine/jcs.h"
#include "engine/json_escape.h"
#include "engine/sha256.h"
#include "engine/signer.h"
#include "engine/verifier.h"
#include "tests/fakes.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

constexpr const char* kDid = "did:web:uni.example";
constexpr const char* kDidUrl = "https://uni.example/.well-known/did.json";
constexpr const char* kIssuer = "https://issuer.example/tenant";
constexpr const char* kMetadataUrl = "https://issuer.example/.well-known/jwt-vc-issuer/tenant";

// --- Where the documents are ------------------------------------------------

TEST(DidWebDocumentUrl, FollowsTheMethodSpecification) {
  EXPECT_EQ(DidWebDocumentUrl("did:web:example.com").value(), "https://example.com/.well-known/did.json");
  EXPECT_EQ(DidWebDocumentUrl("did:web:example.com:user:alice").value(), "https://example.com/user/alice/did.json");
  EXPECT_EQ(DidWebDocumentUrl("did:web:example.com%3A8443").value(), "https://example.com:8443/.well-known/did.json");
  EXPECT_EQ(DidWebDocumentUrl("did:web:example.com%3a8443:u").value(), "https://example.com:8443/u/did.json");
}

TEST(DidWebDocumentUrl, RefusesWhatIsNotADomainAndPath) {
  for (const char* bad :
       {"did:web:", "did:web:example.com#key-1", "did:web:ex%2Fample.com", "did:web:example.com%3A0",
        "did:web:example.com%3A70000", "did:web:example.com%3A", "did:web:[::1]", "did:web:user@example.com",
        "did:web:example.com::x", "did:web:example.com:..", "did:web:example.com:%2E%2E", "did:web:example.com:a%2Fb",
        "did:web:example.com:a b", "did:key:z6Mk"}) {
    EXPECT_FALSE(DidWebDocumentUrl(bad).ok()) << bad;
  }
}

TEST(IssuerMetadataUrl, InsertsTheWellKnownPathBetweenHostAndPath) {
  EXPECT_EQ(IssuerMetadataUrl("https://example.com").value(), "https://example.com/.well-known/jwt-vc-issuer");
  EXPECT_EQ(IssuerMetadataUrl("https://example.com/").value(), "https://example.com/.well-known/jwt-vc-issuer");
  EXPECT_EQ(IssuerMetadataUrl("https://example.com/tenant/1234").value(),
            "https://example.com/.well-known/jwt-vc-issuer/tenant/1234");
  EXPECT_EQ(IssuerMetadataUrl("https://example.com:8443/t/").value(),
            "https://example.com:8443/.well-known/jwt-vc-issuer/t");
}

TEST(IssuerMetadataUrl, RefusesIssuersThatAreNotPlainHttpsUrls) {
  for (const char* bad : {"http://example.com", "did:web:example.com", "https://", "https:///x",
                          "https://example.com/?q=1", "https://example.com/#f", "https://u@example.com",
                          "https://example.com/a b", "urn:uuid:1"}) {
    EXPECT_FALSE(IssuerMetadataUrl(bad).ok()) << bad;
  }
}

// --- Verifying with published keys ------------------------------------------

std::string Q(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

class PublishedKeys : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    other_ = PrivateKey::Generate(JwsAlg::kES256).value();
    key_->set_kid("");  // Jwks() gives each key the kid a test names
    other_->set_kid("");
    docs_ = std::make_shared<testing::MapListSource>();
  }

  std::unique_ptr<Verifier> V(bool with_source = true, std::shared_ptr<KeySet> keys = nullptr,
                              size_t max_record_bytes = 8u << 20) {
    VerifierOptions o;
    o.max_record_bytes = max_record_bytes;
    o.keys = keys ? keys : std::make_shared<KeySet>();
    o.at = *ParseDateTimeStamp("2026-06-01T00:00:00Z");
    if (with_source) o.issuer_documents = docs_;
    return std::make_unique<Verifier>(o);
  }

  static std::string Credential(const std::string& issuer) {
    return R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential"],)"
           R"("issuer":)" + Q(issuer) + R"(,"validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"}})";
  }
  static std::string Sealed(const PrivateKey& key, const std::string& kid, const std::string& issuer,
                            const std::string& alg = "ES256") {
    std::string header = R"({"alg":")" + alg + "\"" + (kid.empty() ? "" : ",\"kid\":" + Q(kid)) + "}";
    return SignCompact(key, header, Credential(issuer)).value();
  }
  // A DID document for kDid whose verification methods are `methods` and whose
  // assertionMethod is `assertion` (JSON arrays).
  static std::string DidDocument(const std::string& methods, const std::string& assertion,
                                 const std::string& id = kDid) {
    return R"({"@context":["https://www.w3.org/ns/did/v1"],"id":)" + Q(id) + R"(,"verificationMethod":)" + methods +
           (assertion.empty() ? "" : R"(,"assertionMethod":)" + assertion) + "}";
  }
  static std::string Method(const std::string& id, const PrivateKey& key) {
    return R"({"id":)" + Q(id) + R"(,"type":"JsonWebKey2020","controller":)" + Q(kDid) +
           R"(,"publicKeyJwk":)" + key.ToPublicJwkJson() + "}";
  }
  static std::string Jwks(const std::vector<std::pair<std::string, const PrivateKey*>>& keys) {
    std::string out = R"({"keys":[)";
    for (const auto& [kid, key] : keys) {
      out += std::string(out.back() == '[' ? "" : ",") + R"({"kid":)" + Q(kid) + "," + key->ToPublicJwkJson().substr(1);
    }
    return out + "]}";
  }

  static const CheckResult& Seal(const VerificationResult& r) { return r.check(CheckId::kSeal); }
  VerificationResult Verify(const Verifier& v, const std::string& data) { return testing::VerifyText(v, data); }

  std::unique_ptr<PrivateKey> key_, other_;
  std::shared_ptr<testing::MapListSource> docs_;
};

TEST_F(PublishedKeys, ADidWebKeyUnderAssertionMethodSealsForItsDid) {
  const std::string kid = std::string(kDid) + "#key-1";
  docs_->docs[kDidUrl] = DidDocument("[" + Method(kid, *key_) + "]", "[" + Q(kid) + "]");
  auto r = Verify(*V(), Sealed(*key_, kid, kDid));
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_NE(Seal(r).message.find(std::string("key published in the DID document ") + kDidUrl), std::string::npos)
      << Seal(r).message;
  EXPECT_EQ(docs_->validated, std::vector<std::string>{kDidUrl});
}

TEST_F(PublishedKeys, ARelativeKidAndARelativeMethodIdResolveAgainstTheDid) {
  docs_->docs[kDidUrl] = DidDocument("[" + Method("#key-1", *key_) + "]", R"(["#key-1"])");
  auto r = Verify(*V(), Sealed(*key_, "#key-1", kDid));
  EXPECT_TRUE(r.verified()) << Describe(r);
}

TEST_F(PublishedKeys, AMethodEmbeddedUnderAssertionMethodCounts) {
  const std::string kid = std::string(kDid) + "#embedded";
  docs_->docs[kDidUrl] = DidDocument("[]", "[" + Method(kid, *key_) + "]");
  auto r = Verify(*V(), Sealed(*key_, kid, kDid));
  EXPECT_TRUE(r.verified()) << Describe(r);
}

TEST_F(PublishedKeys, AKeyOnlyForAuthenticationCannotSeal) {
  const std::string kid = std::string(kDid) + "#auth";
  docs_->docs[kDidUrl] = R"({"id":")" + std::string(kDid) + R"(","verificationMethod":[)" + Method(kid, *key_) +
                         R"(],"authentication":[)" + Q(kid) + "]}";
  auto r = Verify(*V(), Sealed(*key_, kid, kDid));
  EXPECT_EQ(Seal(r).code, "key_not_found") << Describe(r);
  EXPECT_NE(Seal(r).message.find("not under assertionMethod"), std::string::npos) << Seal(r).message;
  EXPECT_TRUE(docs_->validated.size() == 1);  // the document itself was fine
}

TEST_F(PublishedKeys, AnUnknownFragmentIsKeyNotFound) {
  const std::string kid = std::string(kDid) + "#key-1";
  docs_->docs[kDidUrl] = DidDocument("[" + Method(kid, *key_) + "]", "[" + Q(kid) + "]");
  auto r = Verify(*V(), Sealed(*key_, std::string(kDid) + "#key-2", kDid));
  EXPECT_EQ(Seal(r).code, "key_not_found") << Describe(r);
  EXPECT_NE(Seal(r).message.find(kDidUrl), std::string::npos) << Seal(r).message;
}

TEST_F(PublishedKeys, ADocumentWhoseIdIsAnotherDidIsKeyUnavailable) {
  const std::string kid = std::string(kDid) + "#key-1";
  docs_->docs[kDidUrl] = DidDocument("[" + Method(kid, *key_) + "]", "[" + Q(kid) + "]", "did:web:evil.example");
  auto r = Verify(*V(), Sealed(*key_, kid, kDid));
  EXPECT_EQ(Seal(r).code, "key_unavailable") << Describe(r);
  EXPECT_NE(Seal(r).message.find(kDidUrl), std::string::npos) << Seal(r).message;
  EXPECT_NE(Seal(r).message.find("is not the DID did:web:uni.example"), std::string::npos) << Seal(r).message;
  EXPECT_TRUE(docs_->validated.empty());
}

TEST_F(PublishedKeys, AnUnfetchableOrUnreadableDocumentIsKeyUnavailableNamingUrlAndReason) {
  const std::string kid = std::string(kDid) + "#key-1";
  auto missing = Verify(*V(), Sealed(*key_, kid, kDid));
  EXPECT_EQ(Seal(missing).code, "key_unavailable") << Describe(missing);
  EXPECT_NE(Seal(missing).message.find(std::string("cannot fetch the DID document ") + kDidUrl + ": connection refused"),
            std::string::npos)
      << Seal(missing).message;
  EXPECT_FALSE(missing.verified());

  for (const char* doc : {"not json", "[]", R"({"id":"did:web:uni.example","id":"did:web:uni.example"})",
                          R"({"id":"did:web:uni.example","assertionMethod":"#key-1"})"}) {
    docs_->docs[kDidUrl] = doc;
    auto r = Verify(*V(), Sealed(*key_, kid, kDid));
    EXPECT_EQ(Seal(r).code, "key_unavailable") << doc << ": " << Describe(r);
    EXPECT_NE(Seal(r).message.find(std::string("the DID document ") + kDidUrl + " cannot be used: "), std::string::npos)
        << Seal(r).message;
  }
  EXPECT_TRUE(docs_->validated.empty());
}

TEST_F(PublishedKeys, AMethodWithoutUsableKeyMaterialIsRejected) {
  const std::string kid = std::string(kDid) + "#old";
  docs_->docs[kDidUrl] = DidDocument(R"([{"id":)" + Q(kid) + R"(,"type":"EcdsaSecp256k1RecoveryMethod2020",)"
                                         R"("blockchainAccountId":"eip155:1:0x89a932207c485f85226d86f7cd486a89a24fcc12"}])",
                                     "[" + Q(kid) + "]");
  auto r = Verify(*V(), Sealed(*key_, kid, kDid));
  EXPECT_EQ(Seal(r).code, "key_rejected") << Describe(r);
  EXPECT_NE(Seal(r).message.find("no publicKeyJwk or publicKeyMultibase"), std::string::npos) << Seal(r).message;
}

TEST_F(PublishedKeys, ADidUrlWithoutAFragmentNamesNoKey) {
  docs_->docs[kDidUrl] = DidDocument("[" + Method("#key-1", *key_) + "]", R"(["#key-1"])");
  auto r = Verify(*V(), Sealed(*key_, kDid, kDid));
  EXPECT_EQ(Seal(r).code, "key_not_found") << Describe(r);
  EXPECT_NE(Seal(r).message.find("no #fragment"), std::string::npos) << Seal(r).message;
  EXPECT_EQ(docs_->fetches, 0);
}

TEST_F(PublishedKeys, ADocumentLargerThanTheRecordLimitIsKeyUnavailable) {
  const std::string kid = std::string(kDid) + "#key-1";
  std::string doc = DidDocument("[" + Method(kid, *key_) + "]", "[" + Q(kid) + "]");
  docs_->docs[kDidUrl] = doc.substr(0, doc.size() - 1) + R"(,"padding":")" + std::string(3000, 'x') + "\"}";
  auto r = Verify(*V(true, nullptr, 2048), Sealed(*key_, kid, kDid));
  EXPECT_EQ(Seal(r).code, "key_unavailable") << Describe(r);
  EXPECT_NE(Seal(r).message.find("is larger than 2048 bytes"), std::string::npos) << Seal(r).message;
}

TEST_F(PublishedKeys, TheDocumentOfADidThatCannotSealForTheIssuerIsNeverFetched) {
  const std::string kid = "did:web:other.example#key-1";
  docs_->docs["https://other.example/.well-known/did.json"] =
      DidDocument("[" + Method(kid, *key_) + "]", "[" + Q(kid) + "]", "did:web:other.example");
  auto r = Verify(*V(), Sealed(*key_, kid, kDid));
  EXPECT_EQ(Seal(r).code, "key_not_authorized_for_issuer") << Describe(r);
  EXPECT_EQ(docs_->fetches, 0);
}

TEST_F(PublishedKeys, EachDocumentIsFetchedOncePerVerifier) {
  const std::string kid = std::string(kDid) + "#key-1";
  docs_->docs[kDidUrl] = DidDocument("[" + Method(kid, *key_) + "]", "[" + Q(kid) + "]");
  auto v = V();
  EXPECT_TRUE(Verify(*v, Sealed(*key_, kid, kDid)).verified());
  EXPECT_TRUE(Verify(*v, Sealed(*key_, kid, kDid)).verified());
  EXPECT_EQ(docs_->fetches, 1);
}

TEST_F(PublishedKeys, TheAlgorithmComesFromTheDocumentsKey) {
  auto ed = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  const std::string kid = std::string(kDid) + "#ed";
  const std::string multibase = testing::Ed25519DidKey(*ed).substr(std::string("did:key:").size());
  docs_->docs[kDidUrl] = DidDocument(R"([{"id":)" + Q(kid) + R"(,"type":"Multikey","controller":)" + Q(kDid) +
                                         R"(,"publicKeyMultibase":)" + Q(multibase) + "}]",
                                     "[" + Q(kid) + "]");
  auto v = V();
  auto ok = Verify(*v, Sealed(*ed, kid, kDid, "EdDSA"));
  EXPECT_TRUE(ok.verified()) << Describe(ok);
  // The same key named by a token that claims ES256, signed with a P-256 key.
  auto confused = Verify(*v, Sealed(*key_, kid, kDid, "ES256"));
  EXPECT_EQ(Seal(confused).code, "alg_key_mismatch") << Describe(confused);
}

TEST_F(PublishedKeys, WithoutASourceDidWebKeysAreNotFoundAndNothingIsFetched) {
  const std::string kid = std::string(kDid) + "#key-1";
  docs_->docs[kDidUrl] = DidDocument("[" + Method(kid, *key_) + "]", "[" + Q(kid) + "]");
  auto r = Verify(*V(false), Sealed(*key_, kid, kDid));
  EXPECT_EQ(Seal(r).code, "key_not_found") << Describe(r);
  EXPECT_NE(Seal(r).message.find("--did-documents or --online"), std::string::npos) << Seal(r).message;
  EXPECT_EQ(docs_->fetches, 0);
}

// A Data Integrity proof (eddsa-jcs-2022) over `credential` by `key`, naming `method`.
std::string DataIntegrity(const PrivateKey& key, const std::string& credential, const std::string& method) {
  const std::string proof = R"({"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","created":"2026-02-01T00:00:00Z",)"
                            R"("verificationMethod":)" + Q(method) + R"(,"proofPurpose":"assertionMethod"})";
  const std::string hash_data = Sha256(JcsCanonicalize(proof).value()) + Sha256(JcsCanonicalize(credential).value());
  const std::string value = "z" + Base58BtcEncode(key.Sign(hash_data).value());
  std::string signed_proof = proof.substr(0, proof.size() - 1) + R"(,"proofValue":)" + Q(value) + "}";
  return credential.substr(0, credential.size() - 1) + R"(,"proof":)" + signed_proof + "}";
}

TEST_F(PublishedKeys, ADataIntegrityProofByADidWebMethodVerifiesThroughTheDocument) {
  auto ed = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  const std::string kid = std::string(kDid) + "#ed";
  const std::string multibase = testing::Ed25519DidKey(*ed).substr(std::string("did:key:").size());
  docs_->docs[kDidUrl] = DidDocument(R"([{"id":)" + Q(kid) + R"(,"type":"Multikey","publicKeyMultibase":)" +
                                         Q(multibase) + "}]",
                                     "[" + Q(kid) + "]");
  auto r = Verify(*V(), DataIntegrity(*ed, Credential(kDid), kid));
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_NE(Seal(r).message.find(kDidUrl), std::string::npos) << Seal(r).message;
  auto unbound = Verify(*V(), DataIntegrity(*ed, Credential("did:web:someone.else"), kid));
  EXPECT_EQ(Seal(unbound).code, "key_not_authorized_for_issuer") << Describe(unbound);
}

// A did:web holder signs its presentations with a key under `authentication`;
// assertionMethod keys are for sealing credentials.
TEST_F(PublishedKeys, APresentationByADidWebHolderNeedsAnAuthenticationKey) {
  const std::string kid = std::string(kDid) + "#auth";
  const std::string vp = SignCompact(*key_, R"({"alg":"ES256","typ":"vp+jwt","kid":)" + Q(kid) + "}",
                                     R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],)"
                                     R"("holder":)" + Q(kDid) + R"(,"verifiableCredential":[")" +
                                         Sealed(*other_, "x", kIssuer) + "\"]}")
                             .value();
  docs_->docs[kDidUrl] = DidDocument("[" + Method(kid, *key_) + "]", "", kDid);
  docs_->docs[kDidUrl].insert(docs_->docs[kDidUrl].size() - 1, R"(,"authentication":[)" + Q(kid) + "]");
  auto r = Verify(*V(), vp);
  EXPECT_EQ(r.kind(), ResultKind::kPresentation);
  EXPECT_EQ(Seal(r).outcome, Outcome::kPass) << Describe(r);
  // The same key listed only under assertionMethod does not sign presentations.
  docs_->docs[kDidUrl] = DidDocument("[" + Method(kid, *key_) + "]", "[" + Q(kid) + "]", kDid);
  r = Verify(*V(), vp);
  EXPECT_EQ(Seal(r).code, "key_not_found") << Describe(r);
  EXPECT_NE(Seal(r).message.find("under authentication"), std::string::npos) << Seal(r).message;
}

// --- JWT VC issuer metadata -------------------------------------------------

TEST_F(PublishedKeys, MetadataKeysSealForTheIssuerTheMetadataNames) {
  docs_->docs[kMetadataUrl] = R"({"issuer":)" + Q(kIssuer) + R"(,"jwks":)" + Jwks({{"k1", key_.get()}}) + "}";
  auto r = Verify(*V(), Sealed(*key_, "k1", kIssuer));
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_NE(Seal(r).message.find(std::string("bound to issuer '") + kIssuer + "' by its JWT VC issuer metadata " +
                                 kMetadataUrl),
            std::string::npos)
      << Seal(r).message;
  EXPECT_EQ(docs_->validated, std::vector<std::string>{kMetadataUrl});
}

// An SD-JWT VC's issuer key from the same metadata (SD-JWT VC §5: the metadata is
// where an SD-JWT VC issuer publishes its keys).
TEST_F(PublishedKeys, MetadataKeysSealAnSdJwtVc) {
  docs_->docs[kMetadataUrl] = R"({"issuer":)" + Q(kIssuer) + R"(,"jwks":)" + Jwks({{"k1", key_.get()}}) + "}";
  const std::string disclosure = Base64UrlEncode(R"(["2GLC42sKQveCfGfryNRN9w","given_name","Ana"])");
  const std::string payload = R"({"iss":)" + Q(kIssuer) + R"(,"vct":"https://credentials.example/micro","iat":1780000000,)"
                              R"("_sd_alg":"sha-256","_sd":[")" + Base64UrlEncode(Sha256(disclosure)) + "\"]}";
  const std::string sd_jwt =
      SignCompact(*key_, R"({"alg":"ES256","typ":"dc+sd-jwt","kid":"k1"})", payload).value() + "~" + disclosure + "~";
  auto r = Verify(*V(), sd_jwt);
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_EQ(r.check(CheckId::kFormat).message, "SD-JWT VC (dc+sd-jwt), 1 disclosure, no key binding JWT");
  EXPECT_NE(Seal(r).message.find(std::string("by its JWT VC issuer metadata ") + kMetadataUrl), std::string::npos)
      << Seal(r).message;
  // Without a source of published documents, the key is not found.
  EXPECT_EQ(Seal(Verify(*V(false), sd_jwt)).code, "key_not_found");
}

TEST_F(PublishedKeys, MetadataNamingAnotherIssuerIsKeyUnavailable) {
  // Even a trailing '/' makes it another issuer: the match is exact.
  docs_->docs[kMetadataUrl] = R"({"issuer":")" + std::string(kIssuer) + R"(/","jwks":)" + Jwks({{"k1", key_.get()}}) + "}";
  auto r = Verify(*V(), Sealed(*key_, "k1", kIssuer));
  EXPECT_EQ(Seal(r).code, "key_unavailable") << Describe(r);
  EXPECT_NE(Seal(r).message.find(kMetadataUrl), std::string::npos) << Seal(r).message;
  EXPECT_NE(Seal(r).message.find("is not identical to the credential's issuer"), std::string::npos) << Seal(r).message;
  EXPECT_TRUE(docs_->validated.empty());
}

TEST_F(PublishedKeys, TheKidChoosesTheMetadataKey) {
  docs_->docs[kMetadataUrl] =
      R"({"issuer":)" + Q(kIssuer) + R"(,"jwks":)" + Jwks({{"k1", key_.get()}, {"k2", other_.get()}}) + "}";
  auto v = V();
  EXPECT_TRUE(Verify(*v, Sealed(*other_, "k2", kIssuer)).verified());
  // Signed by k2's key but naming k1: k1 alone is tried.
  EXPECT_EQ(Seal(Verify(*v, Sealed(*other_, "k1", kIssuer))).code, "signature_invalid");
  auto unknown = Verify(*v, Sealed(*key_, "k3", kIssuer));
  EXPECT_EQ(Seal(unknown).code, "key_not_found") << Describe(unknown);
  EXPECT_NE(Seal(unknown).message.find("has no key with kid 'k3'"), std::string::npos) << Seal(unknown).message;
}

TEST_F(PublishedKeys, AMetadataKeyTheSetCannotUseIsRejected) {
  docs_->docs[kMetadataUrl] = R"({"issuer":)" + Q(kIssuer) + R"(,"jwks":{"keys":[{"kid":"k9","kty":"oct","k":"c2VjcmV0"}]}})";
  auto r = Verify(*V(), Sealed(*key_, "k9", kIssuer));
  EXPECT_EQ(Seal(r).code, "key_rejected") << Describe(r);
  EXPECT_NE(Seal(r).message.find(kMetadataUrl), std::string::npos) << Seal(r).message;
}

TEST_F(PublishedKeys, WithoutAKidEveryMetadataKeyOfTheRightTypeIsTried) {
  auto ed = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  ed->set_kid("");
  docs_->docs[kMetadataUrl] =
      R"({"issuer":)" + Q(kIssuer) + R"(,"jwks":)" + Jwks({{"ed", ed.get()}, {"k1", key_.get()}}) + "}";
  auto r = Verify(*V(), Sealed(*key_, "", kIssuer));
  EXPECT_TRUE(r.verified()) << Describe(r);
}

TEST_F(PublishedKeys, JwksUriIsFetchedThroughTheSameSource) {
  const std::string set_url = "https://keys.issuer.example/jwks.json";
  docs_->docs[kMetadataUrl] = R"({"issuer":)" + Q(kIssuer) + R"(,"jwks_uri":)" + Q(set_url) + "}";
  auto unavailable = Verify(*V(), Sealed(*key_, "k1", kIssuer));
  EXPECT_EQ(Seal(unavailable).code, "key_unavailable") << Describe(unavailable);
  EXPECT_NE(Seal(unavailable).message.find("cannot fetch the JWK Set (jwks_uri of " + std::string(kMetadataUrl) + ") " +
                                           set_url),
            std::string::npos)
      << Seal(unavailable).message;

  docs_->docs[set_url] = Jwks({{"k1", key_.get()}});
  auto r = Verify(*V(), Sealed(*key_, "k1", kIssuer));
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_EQ(docs_->validated, (std::vector<std::string>{set_url, kMetadataUrl}));
}

TEST_F(PublishedKeys, MetadataMustHaveExactlyOneOfJwksAndAnHttpsJwksUri) {
  for (const std::string& keys :
       {std::string(R"("jwks":)") + Jwks({{"k1", key_.get()}}) + R"(,"jwks_uri":"https://k.example/jwks")",
        std::string(), std::string(R"("jwks_uri":"http://k.example/jwks")"), std::string(R"("jwks":{"kty":"EC"})")}) {
    docs_->docs[kMetadataUrl] = R"({"issuer":)" + Q(kIssuer) + (keys.empty() ? "" : "," + keys) + "}";
    auto r = Verify(*V(), Sealed(*key_, "k1", kIssuer));
    EXPECT_EQ(Seal(r).code, "key_unavailable") << keys << ": " << Describe(r);
  }
}

TEST_F(PublishedKeys, AConfiguredKeyWithTheKidIsUsedWithoutFetching) {
  auto keys = std::make_shared<KeySet>();
  ASSERT_TRUE(keys->AddJwks(Jwks({{"k1", key_.get()}}), "t", kIssuer).ok());
  auto r = Verify(*V(true, keys), Sealed(*key_, "k1", kIssuer));
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_EQ(docs_->fetches, 0);
}

}  // namespace
}  // namespace credsweep
