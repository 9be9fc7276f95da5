// Hostile and broken records each get their own precise result; none throws and
// none disturbs the verifier for the next record.
#include <gtest/gtest.h>

#include "engine/encoding.h"
#include "engine/signer.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

struct BadCase {
  const char* name;
  std::string data;
  CheckId check;
  const char* code;
};

std::vector<BadCase> Cases() {
  std::string deep(100000, '[');
  std::string deep_obj = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  return {
      {"MalformedJson", R"({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": )",
       CheckId::kFormat, "malformed_json"},
      {"JsonNested100000Deep", deep_obj, CheckId::kFormat, "too_deep"},
      {"BareArray", "[1,2,3]", CheckId::kFormat, "not_a_credential"},
      {"BadBase64UrlHeader", "e30*.e30.AAAA", CheckId::kFormat, "bad_base64url"},
      {"BadBase64UrlPayload", Base64UrlEncode(R"({"alg":"ES256"})") + ".!!.AAAA", CheckId::kFormat,
       "bad_base64url"},
      {"TruncatedJws", Base64UrlEncode(R"({"alg":"ES256"})") + "." + Base64UrlEncode("{}"),
       CheckId::kFormat, "malformed_jws"},
      {"HeaderNotJson", Base64UrlEncode("not json") + ".e30.AAAA", CheckId::kFormat, "malformed_jws"},
      {"HeaderWithoutAlg", Base64UrlEncode(R"({"kid":"x"})") + ".e30.AAAA", CheckId::kFormat,
       "malformed_jws"},
      {"Jwe", "a.b.c.d.e", CheckId::kFormat, "unsupported_envelope"},
      {"BinaryGarbage", std::string("\x01\x02\xff\xfe garbage \x00\x7f", 16), CheckId::kFormat,
       "malformed_jws"},
      {"InvalidUtf8Json", "{\"a\":\"\xff\xfe\"}", CheckId::kFormat, "malformed_json"},
      {"EmptyRecord", "   ", CheckId::kFormat, "empty_record"},
      {"JsonStringNotJws", "\"hello\"", CheckId::kFormat, "malformed_jws"},
      {"PresentationJwtWithoutContext", Base64UrlEncode(R"({"alg":"ES256"})") + "." +
       Base64UrlEncode(R"({"vp":{"type":["VerifiablePresentation"]}})") + ".AAAA",
       CheckId::kFormat, "bad_context"},
      {"PresentationUnderCredentialTyp",
       Base64UrlEncode(R"({"alg":"ES256","typ":"vc+jwt"})") + "." +
           Base64UrlEncode(R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"]})") +
           ".AAAA",
       CheckId::kFormat, "bad_media_type"},
      {"PresentationVcJoseWithVcClaim",
       Base64UrlEncode(R"({"alg":"ES256","typ":"vp+jwt"})") + "." +
           Base64UrlEncode(R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"vc":{}})") +
           ".AAAA",
       CheckId::kFormat, "forbidden_claims"},
      {"PresentationVpTypCredentialPayload",
       Base64UrlEncode(R"({"alg":"ES256","typ":"vp+jwt"})") + "." +
           Base64UrlEncode(R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"]})") +
           ".AAAA",
       CheckId::kFormat, "bad_type"},
      {"PresentationJsonWithoutProof",
       R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":["x"]})",
       CheckId::kSeal, "not_sealed"},
      {"PresentationHolderNotAUri",
       R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"not a uri","verifiableCredential":["x"]})",
       CheckId::kFormat, "bad_holder"},
      {"PresentationAudienceNotAString",
       Base64UrlEncode(R"({"alg":"ES256","typ":"vp+jwt"})") + "." +
           Base64UrlEncode(R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"aud":7,"verifiableCredential":["x"]})") +
           ".AAAA",
       CheckId::kFormat, "bad_claim"},
      {"PresentationIssNotItsHolder",
       Base64UrlEncode(R"({"alg":"ES256","typ":"vp+jwt"})") + "." +
           Base64UrlEncode(R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"did:example:a","iss":"did:example:b","verifiableCredential":["x"]})") +
           ".AAAA",
       CheckId::kFormat, "jwt_claim_mismatch"},
      {"PresentationOfNothing",
       R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":[]})",
       CheckId::kFormat, "no_credentials"},
      {"PresentationEnclosingANumber",
       R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"did:example:h","verifiableCredential":["x"],"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","verificationMethod":"did:example:h#1","proofPurpose":"assertionMethod","proofValue":"z1"}})",
       CheckId::kSeal, "malformed_proof"},
      {"DataIntegrityProof",
       R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{},"proof":{"type":"DataIntegrityProof"}})",
       CheckId::kSeal, "unsupported_proof"},
      {"JwsJsonWithoutSignatureFields", R"({"payload":"e30","signatures":[{"protected":"e30"}]})",
       CheckId::kFormat, "malformed_jws"},
      // The JWT's registered dates: a VC 1.1 JWT's must be NumericDates; a VC-JOSE
      // payload's are read when they are numbers.
      {"Vc11JwtNbfNotANumber",
       Base64UrlEncode(R"({"alg":"ES256"})") + "." +
           Base64UrlEncode(R"({"vc":{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"https://i.example","issuanceDate":"2025-01-01T00:00:00Z","credentialSubject":{}},"nbf":"soon"})") +
           ".AAAA",
       CheckId::kFormat, "bad_date"},
      {"VcJoseExpBefore1970",
       Base64UrlEncode(R"({"alg":"ES256"})") + "." +
           Base64UrlEncode(R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://i.example","credentialSubject":{},"exp":-5})") +
           ".AAAA",
       CheckId::kFormat, "bad_date"},
      {"VcJoseWithAVcClaim",
       Base64UrlEncode(R"({"alg":"ES256"})") + "." +
           Base64UrlEncode(R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://i.example","credentialSubject":{},"vc":{}})") +
           ".AAAA",
       CheckId::kFormat, "forbidden_claims"},
  };
}

TEST(BadInput, EachCaseGetsItsOwnCodeAndTheVerifierCarriesOn) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  auto v = testing::MakeVerifier({{key->ToPublicJwkJson()}});
  std::string good = SignCompact(*key, R"({"alg":"ES256","kid":")" + key->kid() + "\"}",
                                 R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://i.example","credentialSubject":{}})")
                         .value();
  for (const auto& c : Cases()) {
    auto r = testing::VerifyText(*v, c.data, c.name);
    EXPECT_EQ(r.check(c.check).code, c.code) << c.name << "\n" << Describe(r);
    EXPECT_EQ(r.check(c.check).outcome, Outcome::kFail) << c.name;
    EXPECT_FALSE(r.verified()) << c.name;
    for (int i = 0; i < kCheckCount; ++i) {
      EXPECT_FALSE(r.check(static_cast<CheckId>(i)).code.empty()) << c.name << " check " << i;
    }
    // The next, good record is unaffected.
    auto ok = testing::VerifyText(*v, good);
    EXPECT_TRUE(ok.verified()) << "after " << c.name << "\n" << Describe(ok);
  }
}

TEST(BadInput, OversizedRecordIsRefusedBeforeParsing) {
  VerifierOptions o;
  o.max_record_bytes = 1 << 20;
  Verifier v(o);
  Record r;
  r.source = "big";
  r.data = "{\"x\":\"" + std::string(20 << 20, 'a') + "\"}";  // a 20 MB line
  auto res = v.Verify(r);
  EXPECT_EQ(res.check(CheckId::kFormat).code, "record_too_large") << Describe(res);
}

TEST(BadInput, DepthLimitIsSettable) {
  VerifierOptions o;
  o.max_json_depth = 4;
  Verifier v(o);
  Record r;
  r.data = R"({"a":{"b":{"c":{"d":{"e":1}}}}})";
  EXPECT_EQ(v.Verify(r).check(CheckId::kFormat).code, "too_deep");
}

TEST(BadInput, ReaderErrorsAreReportedAsFormatFailures) {
  auto v = testing::MakeVerifier({});
  Record r;
  r.source = "f.jsonl:9";
  r.error.code = "record_too_large";
  r.error.message = "line longer than 8388608 bytes";
  auto res = v->Verify(r);
  EXPECT_EQ(res.check(CheckId::kFormat).code, "record_too_large");
  EXPECT_EQ(res.source(), "f.jsonl:9");
}

}  // namespace
}  // namespace credsweep
