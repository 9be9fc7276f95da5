// EBSI accreditation chains: a did:ebsi issuer's Verifiable Accreditation to
// attest, its accreditor's to accredit, up to a root the trust registry names;
// each link sealed by its issuer's key, valid when the credential was issued,
// and permitting what the credential is. Links are served as the Trusted Issuers
// Registry API serves them (issuer documents with attributes, attribute documents).
#include <gtest/gtest.h>

#include <atomic>

#include "engine/trust_registry.h"
#include "engine/verifier.h"
#include "tests/ebsi_chain.h"
#include "tests/fakes.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using namespace testing::ebsi;  // NOLINT: the chain's names read as the test's own
using testing::Describe;
using testing::MapListSource;

constexpr const char* kTir = "https://tir.example/trusted-issuers-registry/v5";

class AccreditationChain : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    chain_ = new Chain(kTir);
    stranger_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    stranger_->set_kid("stranger-1");
  }

  static std::string IssuerUrl(const std::string& did) { return chain_->IssuerUrl(did); }
  static std::string AttributeUrl(const std::string& did, const std::string& id) { return chain_->AttributeUrl(did, id); }
  static std::string ToAttest(const std::string& permits = Permits(), const std::string& extra = "",
                              const PrivateKey* key = nullptr) {
    return chain_->ToAttest(permits, extra, key);
  }
  static std::string ToAccredit(const PrivateKey* key = nullptr, const std::string& permits = Permits()) {
    return chain_->ToAccredit(key, permits);
  }
  static std::string Diploma(const std::string& extra = "", const std::string& from = "2026-01-15T00:00:00Z") {
    return chain_->Diploma(extra, from);
  }

  // The registry serves the whole chain; each test changes what it needs.
  void SetUp() override {
    source_ = std::make_shared<MapListSource>();
    for (auto& [url, doc] : chain_->Documents()) source_->docs[url] = doc;
  }

  // `more` binds further keys to issuers.
  std::unique_ptr<Verifier> V(bool root_trusted = true,
                              const std::vector<std::pair<const PrivateKey*, std::string>>& more = {},
                              std::shared_ptr<const StatusLookup> index = nullptr, bool explain_passes = true) {
    auto keys = std::make_shared<KeySet>();
    std::vector<std::pair<const PrivateKey*, std::string>> bound = {
        {chain_->root.get(), kRoot}, {chain_->tao.get(), kTao}, {chain_->ti.get(), kTi}};
    bound.insert(bound.end(), more.begin(), more.end());
    for (const auto& [key, did] : bound) {
      EXPECT_TRUE(keys->AddJwks("{\"keys\":[" + key->ToPublicJwkJson() + "]}", "t", did).ok());
    }
    VerifierOptions o;
    o.keys = keys;
    o.at = *ParseDateTimeStamp("2026-06-01T00:00:00Z");
    auto reg = TrustRegistry::Parse(Chain::Registry(root_trusted), "r.json");
    EXPECT_TRUE(reg.ok()) << reg.status().ToString();
    if (reg.ok()) o.registry = *reg;
    o.accreditation_documents = source_;
    o.ebsi_tir = kTir;
    o.status_index = std::move(index);
    o.explain_passes = explain_passes;
    return std::make_unique<Verifier>(o);
  }

  static const CheckResult& Acc(const VerificationResult& r) { return r.check(CheckId::kAccreditation); }

  std::shared_ptr<MapListSource> source_;
  static inline Chain* chain_;
  static inline PrivateKey* stranger_;
};

TEST_F(AccreditationChain, AChainUpToATrustedRootAccreditsTheCredential) {
  auto r = testing::VerifyText(*V(), Diploma());
  EXPECT_EQ(Acc(r).outcome, Outcome::kPass) << Describe(r);
  EXPECT_NE(Acc(r).message.find(std::string(kTi) + " <- " + kTao + ", " + kTao + " <- " + kRoot), std::string::npos)
      << Acc(r).message;
  EXPECT_TRUE(r.verified()) << Describe(r);
  // Both registry documents were read and, every seal in them holding, reported valid.
  EXPECT_EQ(source_->validated.size(), 2u);
}

// A sweep (explain_passes off) gets the code of a chain that holds without its
// text; a broken chain keeps its text.
TEST_F(AccreditationChain, AnUnexplainedPassKeepsItsCodeWithoutText) {
  auto pass = testing::VerifyText(*V(true, {}, nullptr, false), Diploma());
  EXPECT_EQ(Acc(pass).outcome, Outcome::kPass) << Describe(pass);
  EXPECT_EQ(Acc(pass).code, "ok");
  EXPECT_EQ(Acc(pass).message, "");
  auto fail = testing::VerifyText(*V(false, {}, nullptr, false), Diploma());
  EXPECT_EQ(Acc(fail).outcome, Outcome::kFail) << Describe(fail);
  EXPECT_NE(Acc(fail).message, "");
}

TEST_F(AccreditationChain, ALinkSealedByAnotherKeyBreaksTheChain) {
  // The TAO writes its own accreditation in the root's name.
  source_->docs[AttributeUrl(kTao, "0xtao")] = AttributeDocument(kTao, ToAccredit(chain_->tao.get()), "TAO");
  auto r = testing::VerifyText(*V(), Diploma());
  EXPECT_EQ(Acc(r).code, "accreditation_chain_broken") << Describe(r);
  EXPECT_NE(Acc(r).message.find("urn:uuid:accredit-1"), std::string::npos) << Acc(r).message;
  EXPECT_NE(Acc(r).message.find("seal did not verify"), std::string::npos) << Acc(r).message;
  EXPECT_FALSE(r.verified());
  EXPECT_TRUE(source_->validated.size() == 1u) << "a document with a forged link is not kept";
}

TEST_F(AccreditationChain, AForgedFirstLinkBreaksTheChain) {
  source_->docs[IssuerUrl(kTi)] = IssuerDocument(kTi, {{ToAttest(Permits(), "", stranger_), "TI"}});
  auto r = testing::VerifyText(*V(), Diploma());
  EXPECT_EQ(Acc(r).code, "accreditation_chain_broken") << Describe(r);
  EXPECT_NE(Acc(r).message.find("urn:uuid:attest-1"), std::string::npos) << Acc(r).message;
}

TEST_F(AccreditationChain, EveryLinkMustPermitWhatTheCredentialIs) {
  struct Case {
    std::string attest_permits, accredit_permits, needle;
  };
  const std::vector<Case> cases = {
      // The university may issue badges, not diplomas.
      {Permits(R"(["VerifiableCredential","VerifiableAttestation","VerifiableBadge"])"), Permits(), "VerifiableBadge"},
      // Another schema.
      {R"(,"accreditedFor":[{"schemaId":"https://tsr.example/schemas/0xother","types":["VerifiableDiploma"]}])",
       Permits(), "0xother"},
      // The TAO's own accreditation does not reach diplomas.
      {Permits(), Permits(R"(["VerifiableCredential","VerifiableAttestation","VerifiableBadge"])"), "urn:uuid:accredit-1"},
      // No permission at all.
      {"", Permits(), "grants no permission"},
      // A permission without a schema (or with a misspelt one) permits nothing.
      {R"(,"accreditedFor":[{"schemaID":"x","types":["VerifiableDiploma"]}])", Permits(), "grants no permission"},
  };
  for (const auto& c : cases) {
    SetUp();
    source_->docs[IssuerUrl(kTi)] = IssuerDocument(kTi, {{ToAttest(c.attest_permits), "TI"}});
    source_->docs[AttributeUrl(kTao, "0xtao")] = AttributeDocument(kTao, ToAccredit(nullptr, c.accredit_permits), "TAO");
    auto r = testing::VerifyText(*V(), Diploma());
    EXPECT_EQ(Acc(r).code, "out_of_scope") << c.needle << "\n" << Describe(r);
    EXPECT_NE(Acc(r).message.find(c.needle), std::string::npos) << Acc(r).message;
  }
}

TEST_F(AccreditationChain, AJurisdictionLimitHoldsWhereTheCredentialStatesACountry) {
  const std::string fin = R"(,"limitJurisdiction":"https://publications.europa.eu/resource/authority/atu/FIN")";
  source_->docs[IssuerUrl(kTi)] = IssuerDocument(kTi, {{ToAttest(Permits(kDiplomaTypes, fin)), "TI"}});
  // The diploma states no awarding country: a VC is held to the limit only where it states one.
  EXPECT_EQ(Acc(testing::VerifyText(*V(), Diploma())).code, "ok");
  auto in_sweden = Jwt(*chain_->ti, kTi, "did:key:zLearner", "urn:uuid:diploma-2", kDiplomaTypes,
                       R"(,"awardedBy":{"awardingBody":{"id":"did:ebsi:zUniversity"},"countryCode":{"id":"http://publications.europa.eu/resource/authority/country/SWE"}})",
                       R"(,"credentialSchema":{"id":)" + testing::JsonString(kSchema) + R"(,"type":"FullJsonSchemaValidator2021"})",
                       "2026-01-15T00:00:00Z");
  auto r = testing::VerifyText(*V(), in_sweden);
  EXPECT_EQ(Acc(r).code, "out_of_scope") << Describe(r);
  EXPECT_NE(Acc(r).message.find("in FIN"), std::string::npos) << Acc(r).message;
}

TEST_F(AccreditationChain, LinksAreJudgedWhenTheCredentialWasIssued) {
  source_->docs[IssuerUrl(kTi)] =
      IssuerDocument(kTi, {{ToAttest(Permits(), R"(,"expirationDate":"2026-01-01T00:00:00Z")"), "TI"}});
  auto v = V();
  // Issued while the accreditation held: it stands today.
  EXPECT_EQ(Acc(testing::VerifyText(*v, Diploma("", "2025-12-01T00:00:00Z"))).code, "ok");
  auto late = testing::VerifyText(*v, Diploma());
  EXPECT_EQ(Acc(late).code, "accreditation_expired") << Describe(late);
  EXPECT_NE(Acc(late).message.find("expired 2026-01-01T00:00:00Z"), std::string::npos) << Acc(late).message;
  auto early = testing::VerifyText(*v, Diploma("", "2023-06-01T00:00:00Z"));
  EXPECT_EQ(Acc(early).code, "out_of_scope") << Describe(early);
}

TEST_F(AccreditationChain, ARevokedAttributeFailsAsRevoked) {
  source_->docs[AttributeUrl(kTao, "0xtao")] = AttributeDocument(kTao, ToAccredit(), "Revoked");
  auto r = testing::VerifyText(*V(), Diploma());
  EXPECT_EQ(Acc(r).code, "accreditation_revoked") << Describe(r);
  EXPECT_NE(Acc(r).message.find("Revoked in the Trusted Issuers Registry"), std::string::npos) << Acc(r).message;
}

TEST_F(AccreditationChain, ALinkRevokedByItsOwnStatusFailsAsRevoked) {
  auto index = std::make_shared<testing::MapIndex>();
  index->records["urn:uuid:accredit-1"] = {CredentialState::kRevoked, "withdrawn by the ministry", 1767225600, "", 0, 1, ""};
  auto r = testing::VerifyText(*V(true, {}, index), Diploma());
  EXPECT_EQ(Acc(r).code, "accreditation_revoked") << Describe(r);
  EXPECT_NE(Acc(r).message.find("withdrawn by the ministry"), std::string::npos) << Acc(r).message;
  // The diploma's own status is its own: nothing is known of it here.
  EXPECT_EQ(r.check(CheckId::kRevocation).code, "no_status_information") << Describe(r);
}

TEST_F(AccreditationChain, AnOrganisationTheRegistryListsAsTrustedIssuerAccreditsNobody) {
  source_->docs[AttributeUrl(kTao, "0xtao")] = AttributeDocument(kTao, ToAccredit(), "TI");
  auto r = testing::VerifyText(*V(), Diploma());
  EXPECT_EQ(Acc(r).code, "accreditation_chain_broken") << Describe(r);
  EXPECT_NE(Acc(r).message.find("issuerType TI"), std::string::npos) << Acc(r).message;
}

TEST_F(AccreditationChain, AnAccreditationToAttestDoesNotAccreditOthers) {
  // The TAO presents an accreditation to attest where one to accredit is needed.
  auto attest_for_tao = Jwt(*chain_->root, kRoot, kTao, "urn:uuid:accredit-1",
                            R"(["VerifiableCredential","VerifiableAccreditation","VerifiableAccreditationToAttest"])",
                            Permits());
  source_->docs[AttributeUrl(kTao, "0xtao")] = AttributeDocument(kTao, attest_for_tao, "TAO");
  auto r = testing::VerifyText(*V(), Diploma());
  EXPECT_EQ(Acc(r).code, "accreditation_chain_broken") << Describe(r);
  EXPECT_NE(Acc(r).message.find("accrediting others takes"), std::string::npos) << Acc(r).message;
}

TEST_F(AccreditationChain, AChainThatReachesNoTrustedRootFails) {
  auto r = testing::VerifyText(*V(/*root_trusted=*/false), Diploma());
  EXPECT_EQ(Acc(r).code, "no_accreditation_record") << Describe(r);
  EXPECT_NE(Acc(r).message.find(IssuerUrl(kRoot)), std::string::npos) << Acc(r).message;
  EXPECT_NE(Acc(r).message.find("the chain of did:ebsi:zUniversity breaks there"), std::string::npos)
      << Acc(r).message;
  // A chain that loops is refused, not followed for ever.
  source_->docs[IssuerUrl(kRoot)] = IssuerDocument(
      kRoot, {{Jwt(*chain_->tao, kTao, kRoot, "urn:uuid:loop", R"(["VerifiableCredential","VerifiableAccreditationToAccredit"])",
                   Permits()),
               "TAO"}});
  auto loop = testing::VerifyText(*V(false), Diploma());
  EXPECT_EQ(Acc(loop).code, "accreditation_chain_broken") << Describe(loop);
  EXPECT_NE(Acc(loop).message.find("loops back to did:ebsi:zTao"), std::string::npos) << Acc(loop).message;
}

TEST_F(AccreditationChain, AChainIsFollowedForAtMostEightLinks) {
  // The root accredits TAO 1, which accredits TAO 2, ... which accredits the
  // TAO: with the university's own accreditation, `extra` + 2 links.
  auto chain_of = [&](int extra) {
    std::vector<std::unique_ptr<PrivateKey>> keys;
    std::vector<std::pair<const PrivateKey*, std::string>> bound;
    std::string subject = kTao;
    SetUp();
    for (int k = 1; k <= extra; ++k) {
      const std::string did = "did:ebsi:zTao" + std::to_string(k);
      keys.push_back(PrivateKey::Generate(JwsAlg::kES256).value());
      keys.back()->set_kid("tao-" + std::to_string(k));
      bound.emplace_back(keys.back().get(), did);
      source_->docs[IssuerUrl(subject)] =
          IssuerDocument(subject, {{Jwt(*keys.back(), did, subject, "urn:uuid:a" + std::to_string(k), kToAccreditTypes,
                                        Permits()),
                                    "TAO"}});
      subject = did;
    }
    // The TAO's attribute URL is named by the university's accreditation: it now
    // holds the accreditation by TAO 1 (or by the root when extra is 0).
    source_->docs.erase(AttributeUrl(kTao, "0xtao"));
    if (extra > 0) {
      source_->docs[AttributeUrl(kTao, "0xtao")] = source_->docs[IssuerUrl(kTao)];
    } else {
      source_->docs[AttributeUrl(kTao, "0xtao")] = AttributeDocument(kTao, ToAccredit(), "TAO");
    }
    source_->docs[IssuerUrl(subject)] = IssuerDocument(
        subject, {{Jwt(*chain_->root, kRoot, subject, "urn:uuid:top", kToAccreditTypes, Permits()), "TAO"}});
    return testing::VerifyText(*V(true, bound), Diploma());
  };
  auto eight = chain_of(6);
  EXPECT_EQ(Acc(eight).code, "ok") << Describe(eight);
  EXPECT_NE(Acc(eight).message.find("did:ebsi:zTao6 <- did:ebsi:zRootTao"), std::string::npos) << Acc(eight).message;
  auto nine = chain_of(7);
  EXPECT_EQ(Acc(nine).code, "accreditation_chain_broken") << Describe(nine);
  EXPECT_NE(Acc(nine).message.find("within 8 links"), std::string::npos) << Acc(nine).message;
}

TEST_F(AccreditationChain, AnAccreditationNamedOutsideTheRegistryIsNotRead) {
  // The registry marks the university's accreditation Revoked; the credential names a
  // copy of it somewhere else.
  source_->docs[IssuerUrl(kTi)] = IssuerDocument(kTi, {{ToAttest(), "Revoked"}});
  source_->docs["https://copies.example/attest"] = ToAttest();
  const std::string named =
      R"(,"termsOfUse":{"type":"IssuanceCertificate","id":"https://copies.example/attest"})";
  auto r = testing::VerifyText(*V(), Diploma(named));
  EXPECT_EQ(Acc(r).code, "accreditation_revoked") << Describe(r);
  EXPECT_EQ(source_->docs.count("https://copies.example/attest"), 1u);
}

TEST_F(AccreditationChain, AParentAccreditationPolicyAndAJsonBodyAreRead) {
  // The TAO's accreditation as a flattened JWS JSON object in the attribute's body,
  // named by an AccreditationPolicy.
  const std::string jwt = ToAccredit();
  const size_t a = jwt.find('.'), b = jwt.rfind('.');
  const std::string flattened = R"({"protected":")" + jwt.substr(0, a) + R"(","payload":")" +
                                jwt.substr(a + 1, b - a - 1) + R"(","signature":")" + jwt.substr(b + 1) + "\"}";
  source_->docs[AttributeUrl(kTao, "0xpolicy")] = R"({"did":")" + std::string(kTao) +
                                                  R"(","attribute":{"hash":"0x2","body":)" + flattened +
                                                  R"(,"issuerType":"TAO"}})";
  const std::string attest =
      Jwt(*chain_->tao, kTao, kTi, "urn:uuid:attest-2", kToAttestTypes, Permits(),
          R"(,"termsOfUse":[{"type":"AccreditationPolicy","parentAccreditation":)" +
              testing::JsonString(AttributeUrl(kTao, "0xpolicy")) + "}]");
  source_->docs[IssuerUrl(kTi)] = IssuerDocument(kTi, {{attest, "TI"}});
  source_->docs.erase(AttributeUrl(kTao, "0xtao"));
  auto r = testing::VerifyText(*V(), Diploma());
  EXPECT_EQ(Acc(r).code, "ok") << Describe(r);
}

TEST_F(AccreditationChain, OnlyARootAuthorisesATrustChain) {
  const std::string types = R"(["VerifiableCredential","VerifiableAuthorisationForTrustChain"])";
  source_->docs[AttributeUrl(kTao, "0xtao")] =
      AttributeDocument(kTao, Jwt(*chain_->root, kRoot, kTao, "urn:uuid:auth", types, Permits()), "TAO");
  EXPECT_EQ(Acc(testing::VerifyText(*V(), Diploma())).code, "ok");
  // The same authorisation from an organisation that is no root accredits nothing.
  source_->docs[AttributeUrl(kTao, "0xtao")] = AttributeDocument(
      kTao, Jwt(*stranger_, "did:ebsi:zStranger", kTao, "urn:uuid:auth", types, Permits()), "TAO");
  auto r = testing::VerifyText(*V(true, {{stranger_, "did:ebsi:zStranger"}}), Diploma());
  EXPECT_EQ(Acc(r).code, "accreditation_chain_broken") << Describe(r);
  EXPECT_NE(Acc(r).message.find("accrediting others takes"), std::string::npos) << Acc(r).message;
}

TEST_F(AccreditationChain, ADocumentOfMoreThan64AttributesIsRefused) {
  std::vector<std::pair<std::string, std::string>> many(65, {ToAttest(), "TI"});
  source_->docs[IssuerUrl(kTi)] = IssuerDocument(kTi, many);
  auto r = testing::VerifyText(*V(), Diploma());
  EXPECT_EQ(Acc(r).code, "accreditation_unavailable") << Describe(r);
  EXPECT_NE(Acc(r).message.find("more than 64 attributes"), std::string::npos) << Acc(r).message;
  many.pop_back();
  source_->docs[IssuerUrl(kTi)] = IssuerDocument(kTi, many);
  EXPECT_EQ(Acc(testing::VerifyText(*V(), Diploma())).code, "ok");
}

TEST_F(AccreditationChain, ALinkForSeveralSubjectsBreaksTheChain) {
  // The helpers make one subject: a second one beside the university, by hand.
  const std::string vc = R"({"@context":["https://www.w3.org/2018/credentials/v1"],"id":"urn:uuid:attest-3","type":)" +
                         std::string(kToAttestTypes) + R"(,"issuer":")" + kTao +
                         R"(","issuanceDate":"2024-01-01T00:00:00Z","credentialSubject":[{"id":")" + kTi + "\"" +
                         Permits() + R"(},{"id":"did:ebsi:zOther"}],"termsOfUse":{"type":"IssuanceCertificate","id":)" +
                         testing::JsonString(AttributeUrl(kTao, "0xtao")) + "}}";
  const std::string jwt =
      SignCompact(*chain_->tao, R"({"alg":"ES256","typ":"JWT","kid":"tao-1"})",
                  R"({"iss":")" + std::string(kTao) + R"(","jti":"urn:uuid:attest-3","nbf":1704067200,"vc":)" + vc + "}")
          .value();
  source_->docs[IssuerUrl(kTi)] = IssuerDocument(kTi, {{jwt, "TI"}});
  auto r = testing::VerifyText(*V(), Diploma());
  EXPECT_EQ(Acc(r).code, "accreditation_chain_broken") << Describe(r);
  EXPECT_NE(Acc(r).message.find("2 subjects"), std::string::npos) << Acc(r).message;
}

TEST_F(AccreditationChain, ANamedAccreditationMustBeFound) {
  const std::string named = R"(,"termsOfUse":{"type":"IssuanceCertificate","id":)" +
                            testing::JsonString(AttributeUrl(kTi, "0xmissing")) + "}";
  auto r = testing::VerifyText(*V(), Diploma(named));
  EXPECT_EQ(Acc(r).code, "no_accreditation_record") << Describe(r);
  EXPECT_NE(Acc(r).message.find("0xmissing"), std::string::npos) << Acc(r).message;
  // Named and held: the chain is followed from there.
  source_->docs[AttributeUrl(kTi, "0xmissing")] = AttributeDocument(kTi, ToAttest(), "TI");
  EXPECT_EQ(Acc(testing::VerifyText(*V(), Diploma(named))).code, "ok");
}

TEST_F(AccreditationChain, AtMostFourNamedAccreditationsAreRead) {
  std::string named = R"(,"termsOfUse":[)";
  for (int k = 1; k <= 5; ++k) {
    const std::string url = AttributeUrl(kTi, "0x0" + std::to_string(k));
    source_->docs[url] = AttributeDocument(kTi, ToAttest(), "TI");
    named += (k > 1 ? "," : "") + std::string(R"({"type":"IssuanceCertificate","id":)") + testing::JsonString(url) + "}";
  }
  auto r = testing::VerifyText(*V(), Diploma(named + "]"));
  EXPECT_EQ(Acc(r).code, "ok") << Describe(r);
  // Four of the university's, then the TAO's: the fifth was never asked for.
  EXPECT_EQ(source_->fetches.load(), 5);
}

TEST_F(AccreditationChain, AnIssuerIdThatIsNoPlainDidNamesNoRegistryEntry) {
  const std::string odd = "did:ebsi:zUniversity/../../admin";
  const std::string diploma = Jwt(*chain_->ti, odd, "did:key:zLearner", "urn:uuid:odd", kDiplomaTypes, "",
                                  R"(,"credentialSchema":{"id":)" + testing::JsonString(kSchema) +
                                      R"(,"type":"FullJsonSchemaValidator2021"})",
                                  "2026-01-15T00:00:00Z");
  auto r = testing::VerifyText(*V(true, {{chain_->ti.get(), odd}}), diploma);
  EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_EQ(Acc(r).code, "not_claimed") << Describe(r);
  EXPECT_EQ(source_->fetches.load(), 0);
}

TEST_F(AccreditationChain, AnIssuerWithNoAccreditationClaimsNone) {
  source_->docs.clear();
  auto v = V();
  auto r = testing::VerifyText(*v, Diploma());
  EXPECT_EQ(Acc(r).outcome, Outcome::kSkipped) << Describe(r);
  EXPECT_EQ(Acc(r).code, "not_claimed");
  // The registry's "not found" holds for the run: the next credential of the same
  // issuer does not ask again.
  EXPECT_EQ(Acc(testing::VerifyText(*v, Diploma())).code, "not_claimed");
  EXPECT_EQ(source_->fetches.load(), 1);
}

TEST_F(AccreditationChain, ALinkMayBeServedAsAJwtOfItsOwn) {
  source_->docs[AttributeUrl(kTao, "0xtao")] = "\n" + ToAccredit() + "\r\n";
  auto r = testing::VerifyText(*V(), Diploma());
  EXPECT_EQ(Acc(r).code, "ok") << Describe(r);
}

// A registry that cannot be reached is never read as "not accredited".
class FailingSource final : public DocumentSource {
 public:
  Result<std::string> Fetch(std::string_view url) const override {
    ++fetches;
    return IoError("deadline of 10 s passed");
  }
  mutable std::atomic<int> fetches{0};
};

TEST_F(AccreditationChain, AnUnreachableRegistryIsUnavailableNotAPass) {
  auto keys = std::make_shared<KeySet>();
  ASSERT_TRUE(keys->AddJwks("{\"keys\":[" + chain_->ti->ToPublicJwkJson() + "]}", "t", kTi).ok());
  VerifierOptions o;
  o.keys = keys;
  o.at = *ParseDateTimeStamp("2026-06-01T00:00:00Z");
  auto failing = std::make_shared<FailingSource>();
  o.accreditation_documents = failing;
  o.ebsi_tir = kTir;
  Verifier v(o);
  auto r = testing::VerifyText(v, Diploma());
  EXPECT_EQ(Acc(r).code, "accreditation_unavailable") << Describe(r);
  EXPECT_NE(Acc(r).message.find("deadline of 10 s passed"), std::string::npos) << Acc(r).message;
  EXPECT_FALSE(r.verified());
  // A failure to fetch is no answer: the next credential asks again.
  EXPECT_EQ(Acc(testing::VerifyText(v, Diploma())).code, "accreditation_unavailable");
  EXPECT_EQ(failing->fetches.load(), 2);
}

TEST_F(AccreditationChain, MalformedRegistryDocumentsAreUnavailable) {
  for (const std::string& doc : {std::string(R"({"did":"x","attributes":[{"hash":"0x1"}]})"),
                                std::string(R"({"attributes":[1]})"), std::string("{not json")}) {
    source_->docs[IssuerUrl(kTi)] = doc;
    auto v = V();
    const int before = source_->fetches.load();
    auto r = testing::VerifyText(*v, Diploma());
    EXPECT_EQ(Acc(r).code, "accreditation_unavailable") << doc << "\n" << Describe(r);
    // What the registry served is the same for the next credential: not fetched again.
    EXPECT_EQ(Acc(testing::VerifyText(*v, Diploma())).code, "accreditation_unavailable");
    EXPECT_EQ(source_->fetches.load() - before, 1) << doc;
  }
}

}  // namespace
}  // namespace credsweep
