// Data Integrity proofs (eddsa-jcs-2022, ecdsa-jcs-2019) from the W3C test vectors.
#include "engine/data_integrity.h"

#include <gtest/gtest.h>

#include "engine/encoding.h"
#include "engine/jcs.h"
#include "engine/sha256.h"
#include "engine/signer.h"
#include "engine/trust_registry.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;
using testing::ReadTestData;

struct DiCase {
  const char* file;
  const char* code;
};

class DataIntegrityVectors : public ::testing::TestWithParam<DiCase> {};

TEST_P(DataIntegrityVectors, GetTheExpectedOutcome) {
  DataIntegrityResult r = VerifyDataIntegrity(ReadTestData(GetParam().file));
  EXPECT_EQ(r.ok() ? "ok" : r.finding.code, GetParam().code) << r.finding.message;
}

INSTANTIATE_TEST_SUITE_P(
    W3c, DataIntegrityVectors,
    ::testing::Values(
        DiCase{"di-eddsa-jcs-2022/upstream/signedJCS.json", "ok"},
        DiCase{"di-eddsa-jcs-2022/derived-positive/signedJCS-reordered-keys.json", "ok"},
        DiCase{"di-eddsa-jcs-2022/derived-positive/signedJCS-escaped-strings.json", "ok"},
        DiCase{"di-eddsa-jcs-2022/derived-negative/signedJCS-tampered-subject.json", "signature_invalid"},
        DiCase{"di-eddsa-jcs-2022/derived-negative/signedJCS-tampered-proof-created.json", "signature_invalid"},
        DiCase{"di-eddsa-jcs-2022/derived-negative/signedJCS-context-not-prefix.json", "signature_invalid"},
        DiCase{"di-eddsa-jcs-2022/derived-negative/signedJCS-proofvalue-truncated.json", "signature_invalid"},
        DiCase{"di-eddsa-jcs-2022/derived-negative/signedJCS-wrong-key.json", "signature_invalid"},
        DiCase{"di-ecdsa-jcs-2019/upstream/p256/signedJCSECDSAP256.json", "ok"},
        DiCase{"di-ecdsa-jcs-2019/upstream/p384/signedJCSECDSAP384.json", "ok"},
        DiCase{"di-ecdsa-jcs-2019/derived-negative/signedJCS-p256-tampered-subject.json", "signature_invalid"},
        DiCase{"di-ecdsa-jcs-2019/derived-negative/signedJCS-p384-tampered-subject.json", "signature_invalid"},
        DiCase{"di-ecdsa-jcs-2019/derived-negative/signedJCS-p256-cryptosuite-mismatch.json", "alg_key_mismatch"},
        DiCase{"di-ecdsa-jcs-2019/derived-negative/signedJCS-p384-cryptosuite-mismatch.json", "alg_key_mismatch"}),
    [](const auto& info) { return testing::TestName(info.param.file); });

TEST(DataIntegrity, IntermediateValuesMatchTheSpec) {
  // The canonical document and proof configuration are the spec's own bytes.
  auto doc = JcsCanonicalize(ReadTestData("di-eddsa-jcs-2022/upstream/unsigned.json"));
  ASSERT_TRUE(doc.ok());
  std::string expected_doc = ReadTestData("di-eddsa-jcs-2022/upstream/canonDocJCS.txt");
  while (!expected_doc.empty() && (expected_doc.back() == '\n' || expected_doc.back() == '\r')) expected_doc.pop_back();
  EXPECT_EQ(*doc, expected_doc);
  auto config = JcsCanonicalize(ReadTestData("di-eddsa-jcs-2022/upstream/proofConfigJCS.json"));
  std::string expected_config = ReadTestData("di-eddsa-jcs-2022/upstream/proofCanonJCS.txt");
  while (!expected_config.empty() && (expected_config.back() == '\n' || expected_config.back() == '\r')) expected_config.pop_back();
  EXPECT_EQ(*config, expected_config);
}

// A credential whose issuer is the did:key that signs it verifies end to end; the
// W3C vectors' issuer is an https URL, so there the key is not the issuer's.
TEST(DataIntegrity, VerifierBindsTheKeyToTheIssuer) {
  auto key = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  std::string did = testing::Ed25519DidKey(*key);
  std::string vm = did + "#" + did.substr(8);
  std::string body = R"("@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":")" + did +
                     R"(","validFrom":"2025-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s","name":"Zoë"})";
  std::string proof = R"("type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","created":"2025-01-01T00:00:00Z","verificationMethod":")" +
                      vm + R"(","proofPurpose":"assertionMethod")";
  auto h = [](const std::string& s) { return Sha256(s); };
  std::string data = h(JcsCanonicalize("{" + proof + "}").value()) + h(JcsCanonicalize("{" + body + "}").value());
  std::string sig = key->Sign(data).value();
  std::string doc = "{" + body + R"(,"proof":{)" + proof + R"(,"proofValue":"z)" + Base58BtcEncode(sig) + "\"}}";
  auto v = testing::MakeVerifier({});
  auto r = testing::VerifyText(*v, doc);
  EXPECT_TRUE(r.verified()) << Describe(r);
  auto w3c = testing::VerifyText(*v, ReadTestData("di-eddsa-jcs-2022/upstream/signedJCS.json"));
  EXPECT_EQ(w3c.check(CheckId::kSeal).code, "key_not_authorized_for_issuer") << Describe(w3c);
}

// The W3C vector's issuer is an https URL: a trust registry that lists the
// did:key for it binds the proof, inside the key's period only (the proof's
// `created`, 2023-02-24, is the signing time).
TEST(DataIntegrity, ARegistryBindsADidKeyToAnHttpsIssuer) {
  const std::string vm =
      "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
  auto with = [&](const std::string& period) {
    VerifierOptions o = testing::MakeVerifier({})->options();
    o.trust_any_configured_key = false;
    o.registry = TrustRegistry::Parse(R"({"version":1,"issuers":[{"ids":["https://vc.example/issuers/5678"],"keys":[{"didUrl":")" +
                                          vm + "\"" + period + "}]}]}",
                                      "r")
                     .value();
    return testing::VerifyText(Verifier(o), ReadTestData("di-eddsa-jcs-2022/upstream/signedJCS.json"));
  };
  auto bound = with("");
  EXPECT_EQ(bound.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(bound);
  EXPECT_NE(bound.check(CheckId::kSeal).message.find("bound to issuer 'https://vc.example/issuers/5678' by the trust registry"),
            std::string::npos)
      << Describe(bound);
  auto rotated = with(R"(,"validFrom":"2024-01-01T00:00:00Z")");
  EXPECT_EQ(rotated.check(CheckId::kSeal).code, "key_not_valid_at_signing_time") << Describe(rotated);
}

// A proof's own dates bind: created in the future or expired fails the seal.
TEST(DataIntegrity, ProofCreatedInTheFutureOrExpiredFails) {
  auto key = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  std::string did = testing::Ed25519DidKey(*key);
  std::string vm = did + "#" + did.substr(8);
  std::string body = R"("@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":")" + did +
                     R"(","validFrom":"2025-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"})";
  auto sealed = [&](const std::string& dates) {
    std::string proof = R"("type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022",)" + dates +
                        R"(,"verificationMethod":")" + vm + R"(","proofPurpose":"assertionMethod")";
    auto h = [](const std::string& s) { return Sha256(s); };
    std::string data = h(JcsCanonicalize("{" + proof + "}").value()) + h(JcsCanonicalize("{" + body + "}").value());
    return "{" + body + R"(,"proof":{)" + proof + R"(,"proofValue":"z)" + Base58BtcEncode(key->Sign(data).value()) + "\"}}";
  };
  testing::VerifierSpec spec;
  spec.at = "2026-06-01T00:00:00Z";
  auto v = testing::MakeVerifier(spec);
  EXPECT_TRUE(testing::VerifyText(*v, sealed(R"("created":"2026-05-01T00:00:00Z","expires":"2027-01-01T00:00:00Z")")).verified());
  auto future = testing::VerifyText(*v, sealed(R"("created":"2026-07-01T00:00:00Z")"));
  EXPECT_EQ(future.check(CheckId::kSeal).code, "proof_created_in_future") << Describe(future);
  auto expired = testing::VerifyText(*v, sealed(R"("created":"2025-01-01T00:00:00Z","expires":"2026-01-01T00:00:00Z")"));
  EXPECT_EQ(expired.check(CheckId::kSeal).code, "proof_expired") << Describe(expired);
  auto bad = testing::VerifyText(*v, sealed(R"("created":"yesterday")"));
  EXPECT_EQ(bad.check(CheckId::kSeal).code, "malformed_proof") << Describe(bad);
}

}  // namespace
}  // namespace credsweep
