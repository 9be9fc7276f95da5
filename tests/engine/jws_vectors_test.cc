// RFC 7515 A.3, RFC 8037 A.4 and VC-JOSE-COSE suite vectors, driven by the vector
// manifest's expected outcomes, plus the precise code each negative case must get.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;
using testing::ReadTestData;

// The public JWK in a key file: a bare JWK, or a verification method's publicKeyJwk.
std::string PublicJwkOf(const std::string& key_file) {
  std::string text = ReadTestData(key_file);
  simdjson::dom::parser p;
  simdjson::dom::element e = p.parse(text);
  simdjson::dom::element jwk;
  if (e["publicKeyJwk"].get(jwk) == simdjson::SUCCESS) return simdjson::minify(jwk);
  return text;
}

struct ManifestCase {
  std::string file, kind, expected, key, clock;
};

std::vector<ManifestCase> JwsCases() {
  std::string text = ReadTestData("manifest.json");
  simdjson::dom::parser p;
  std::vector<ManifestCase> out;
  for (simdjson::dom::element e : p.parse(text)["entries"].get_array()) {
    std::string_view kind = e["kind"].get_string().value();
    if (kind != "jws" && kind != "vc+jwt") continue;
    ManifestCase c;
    c.file = std::string(e["file"].get_string().value());
    c.kind = std::string(kind);
    c.expected = std::string(e["expected"].get_string().value());
    std::string_view key;
    if (e["key"].get_string().get(key) == simdjson::SUCCESS) c.key = std::string(key);
    out.push_back(c);
  }
  return out;
}

TEST(JwsManifest, EveryCompactVectorGetsItsExpectedOutcome) {
  auto cases = JwsCases();
  ASSERT_GE(cases.size(), 20u);
  for (const auto& c : cases) {
    testing::VerifierSpec spec;
    if (!c.key.empty()) spec.jwks_json.push_back(PublicJwkOf(c.key));
    auto v = testing::MakeVerifier(spec);
    auto r = testing::VerifyText(*v, ReadTestData(c.file), c.file);
    if (c.kind == "jws") {
      // RFC payloads are not credentials: only the seal is judged.
      bool seal = r.check(CheckId::kSeal).outcome == Outcome::kPass;
      EXPECT_EQ(seal, c.expected == "valid") << c.file << "\n" << Describe(r);
    } else {
      EXPECT_EQ(r.verified(), c.expected == "valid") << c.file << "\n" << Describe(r);
    }
  }
}

struct CodeCase {
  const char* file;
  const char* key;
  CheckId check;
  const char* code;
};

class JwsVectorCodes : public ::testing::TestWithParam<CodeCase> {};

TEST_P(JwsVectorCodes, FailsWithThePreciseCode) {
  const CodeCase& c = GetParam();
  testing::VerifierSpec spec;
  if (*c.key) spec.jwks_json.push_back(PublicJwkOf(c.key));
  auto v = testing::MakeVerifier(spec);
  auto r = testing::VerifyText(*v, ReadTestData(c.file));
  EXPECT_EQ(r.check(c.check).code, c.code) << Describe(r);
  EXPECT_FALSE(r.verified());
}

constexpr const char* kEs = "jws-rfc/upstream/rfc7515-A3-es256-public.jwk.json";
constexpr const char* kEd = "jws-rfc/upstream/rfc8037-A2-ed25519-public.jwk.json";
constexpr const char* kP256 = "vc-jose-cose/upstream/cid-p256.json";
constexpr const char* kCidEd = "vc-jose-cose/upstream/cid-ed25519.json";

INSTANTIATE_TEST_SUITE_P(
    Negative, JwsVectorCodes,
    ::testing::Values(
        CodeCase{"jws-rfc/upstream/rfc7519-6.1-unsecured-alg-none.jwt", "", CheckId::kSeal, "alg_none"},
        CodeCase{"jws-rfc/derived-negative/rfc7515-A3-alg-none-keeps-signature.jws", kEs, CheckId::kSeal, "alg_none"},
        CodeCase{"jws-rfc/derived-negative/rfc7515-A3-signature-truncated.jws", kEs, CheckId::kSeal, "signature_malformed"},
        CodeCase{"jws-rfc/derived-negative/rfc7515-A3-signature-empty.jws", kEs, CheckId::kSeal, "signature_malformed"},
        CodeCase{"jws-rfc/derived-negative/rfc7515-A3-signature-bitflip.jws", kEs, CheckId::kSeal, "signature_invalid"},
        CodeCase{"jws-rfc/derived-negative/rfc7515-A3-payload-tampered.jws", kEs, CheckId::kSeal, "signature_invalid"},
        CodeCase{"jws-rfc/derived-negative/rfc7515-A3-signature-DER-encoded.jws", kEs, CheckId::kSeal, "signature_malformed"},
        CodeCase{"jws-rfc/derived-negative/rfc7515-A3-header-alg-ES384.jws", kEs, CheckId::kSeal, "alg_key_mismatch"},
        CodeCase{"jws-rfc/derived-negative/rfc8037-A4-signature-truncated.jws", kEd, CheckId::kSeal, "signature_malformed"},
        CodeCase{"jws-rfc/derived-negative/rfc8037-A4-alg-none.jws", kEd, CheckId::kSeal, "alg_none"},
        CodeCase{"jws-rfc/derived-negative/rfc8037-A4-header-alg-ES256.jws", kEd, CheckId::kSeal, "alg_key_mismatch"},
        CodeCase{"jws-rfc/derived-negative/rfc8037-A4-payload-tampered.jws", kEd, CheckId::kSeal, "signature_invalid"},
        CodeCase{"vc-jose-cose/upstream/credential-jose-bad-signature.jwt", kCidEd, CheckId::kSeal, "signature_invalid"},
        CodeCase{"vc-jose-cose/upstream/credential-jose-bad-media-type.jwt", kCidEd, CheckId::kFormat, "bad_media_type"},
        CodeCase{"vc-jose-cose/upstream/credential-jose-vc-vp-claims.jwt", kCidEd, CheckId::kFormat, "forbidden_claims"},
        CodeCase{"vc-jose-cose/derived-negative/credential-jose-minimal-alg-none.jwt", kP256, CheckId::kSeal, "alg_none"},
        CodeCase{"vc-jose-cose/derived-negative/credential-jose-minimal-signature-truncated.jwt", kP256, CheckId::kSeal, "signature_malformed"},
        CodeCase{"vc-jose-cose/derived-negative/credential-jose-minimal-subject-tampered.jwt", kP256, CheckId::kSeal, "signature_invalid"}),
    [](const auto& info) { return testing::TestName(info.param.file); });

TEST(JwsVectors, RfcPayloadsPassTheSealEvenWhenNotCredentials) {
  auto v = testing::MakeVerifier({{ReadTestData(kEd)}});
  auto r = testing::VerifyText(*v, ReadTestData("jws-rfc/upstream/rfc8037-A4-ed25519.jws"));
  EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_EQ(r.check(CheckId::kFormat).code, "malformed_json");  // "Example of Ed25519 signing"
  EXPECT_EQ(r.check(CheckId::kValidity).outcome, Outcome::kSkipped);
  EXPECT_FALSE(r.verified());
}

TEST(JwsVectors, VcJoseMinimalCredentialVerifies) {
  auto v = testing::MakeVerifier({{PublicJwkOf(kP256)}});
  auto r = testing::VerifyText(*v, ReadTestData("vc-jose-cose/upstream/credential-jose-minimal.jwt"));
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_EQ(r.issuer(), "https://example.issuer/vc-jose-cose");
  EXPECT_EQ(r.id(), "http://university.example/credentials/1872");
  // Without the key, the same credential cannot be sealed.
  auto none = testing::MakeVerifier({});
  EXPECT_EQ(testing::VerifyText(*none, ReadTestData("vc-jose-cose/upstream/credential-jose-minimal.jwt"))
                .check(CheckId::kSeal).code, "key_not_found");
}

}  // namespace
}  // namespace credsweep
