// The five real JAdES-sealed Europass credentials: RS256 over the unencoded
// payload, x5c leaf, xVals intermediates, chains checked at the signing time.
#include <gtest/gtest.h>

#include <simdjson.h>

#include "engine/credential_reader.h"
#include "engine/encoding.h"
#include "engine/internal/organization_identifier.h"
#include "engine/x509_chain.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;
using testing::ReadTestData;
using testing::TestData;

struct EdcCase {
  const char* file;
  const char* anchor;
};

const char* kAnf = "edc/anchors/anf-ac-qualified-eseal-ca.pem";
const char* kHalcom = "edc/anchors/halcom-root-ca.pem";

class Edc : public ::testing::TestWithParam<EdcCase> {
 protected:
  std::unique_ptr<Verifier> WithAnchor(const char* anchor, const char* at = "2026-11-29T00:00:00Z") {
    testing::VerifierSpec spec;
    if (anchor) spec.anchor_pem_files.push_back(TestData(anchor));
    spec.at = at;
    return testing::MakeVerifier(spec);
  }
  std::string Text() { return ReadTestData(std::string("edc/upstream/") + GetParam().file); }
};

TEST_P(Edc, SealPassesWithItsAnchorAtTheSigningTime) {
  auto v = WithAnchor(GetParam().anchor);
  auto r = testing::VerifyText(*v, Text());
  EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_EQ(r.check(CheckId::kFormat).outcome, Outcome::kPass) << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("RS256"), std::string::npos);
  EXPECT_TRUE(r.id().starts_with("urn:credential:"));
  EXPECT_TRUE(r.issuer().starts_with("urn:epass:org:"));
}

TEST_P(Edc, FailsWithoutTheAnchor) {
  auto none = WithAnchor(nullptr);
  EXPECT_EQ(testing::VerifyText(*none, Text()).check(CheckId::kSeal).code, "chain_untrusted");
  // The other alliance's anchor does not help either.
  auto other = WithAnchor(std::string_view(GetParam().anchor) == kAnf ? kHalcom : kAnf);
  auto r = testing::VerifyText(*other, Text());
  EXPECT_EQ(r.check(CheckId::kSeal).code, "chain_untrusted") << Describe(r);
}

TEST_P(Edc, OneChangedPayloadByteBreaksTheSeal) {
  std::string text = Text();
  size_t pos = text.find("urn:credential:");
  ASSERT_NE(pos, std::string::npos);
  text[pos + 15] = text[pos + 15] == 'a' ? 'b' : 'a';
  auto r = testing::VerifyText(*WithAnchor(GetParam().anchor), text);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "signature_invalid") << Describe(r);
  EXPECT_FALSE(r.verified());
}

TEST_P(Edc, OneChangedProtectedHeaderByteBreaksTheSeal) {
  std::string text = Text();
  size_t pos = text.find("\"protected\"");
  ASSERT_NE(pos, std::string::npos);
  size_t start = text.find('"', pos + 11) + 1;
  size_t end = text.find('"', start);
  std::string header = Base64UrlDecode(text.substr(start, end - start)).value();
  size_t sig_t = header.find("\"sigT\":\"");
  ASSERT_NE(sig_t, std::string::npos);
  char& digit = header[sig_t + 8 + 18];  // last digit of the seconds
  digit = digit == '0' ? '1' : '0';
  text.replace(start, end - start, Base64UrlEncode(header));
  auto r = testing::VerifyText(*WithAnchor(GetParam().anchor), text);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "signature_invalid") << Describe(r);
  EXPECT_FALSE(r.verified());
}

INSTANTIATE_TEST_SUITE_P(
    Real, Edc,
    ::testing::Values(EdcCase{"mynextid-microcredential-signed.jsonld", kHalcom},
                      EdcCase{"mynextid-degree-certificate-signed.jsonld", kHalcom},
                      EdcCase{"mynextid-confirmation-of-enrolment-signed.jsonld", kHalcom}),
    [](const auto& info) { return testing::TestName(info.param.file); });

TEST(EdcChain, MyNextIdNeedsTheXValsIntermediate) {
  // The Halcom root alone verifies only because xVals supplies "Halcom CA PO e-seal 2".
  std::string text = ReadTestData("edc/upstream/mynextid-microcredential-signed.jsonld");
  size_t pos = text.find("\"etsiU\"");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 7, "\"xetsi\"");  // unsigned header: renaming drops the xVals
  testing::VerifierSpec spec;
  spec.anchor_pem_files.push_back(TestData(kHalcom));
  auto r = testing::VerifyText(*testing::MakeVerifier(spec), text);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "chain_untrusted") << Describe(r);
}

// The x5c chain of an ELM sample, as the verifier sees it.
std::vector<std::string> ElmChain() {
  std::string text = ReadTestData("edc/upstream/elm-sample-mc-annex1-signed.jsonld");
  simdjson::dom::parser p;
  std::string_view prot = p.parse(text)["signatures"].at(0)["protected"].get_string().value();
  std::string header = Base64UrlDecode(prot).value();
  simdjson::dom::parser hp;
  std::vector<std::string> chain;
  for (auto c : hp.parse(header)["x5c"].get_array()) {
    chain.push_back(Base64Decode(c.get_string().value()).value());
  }
  return chain;
}

TEST(EdcChain, SealCertificateValidityWindowIsEnforced) {
  // The ELM seal certificate ran 2023-05-11 .. 2025-05-10.
  ChainValidator anchors;
  ASSERT_TRUE(anchors.AddAnchorsPemFile(TestData(kAnf)).ok());
  auto chain = ElmChain();
  auto at = [](const char* t) { return *ParseDateTimeStamp(t); };
  EXPECT_EQ(anchors.Validate(chain, {}, at("2023-09-27T11:54:17Z")).kind, ChainVerdict::Kind::kTrusted);
  auto late = anchors.Validate(chain, {}, at("2026-11-29T00:00:00Z"));
  EXPECT_EQ(late.kind, ChainVerdict::Kind::kExpired) << late.message;
  auto early = anchors.Validate(chain, {}, at("2020-01-01T00:00:00Z"));
  EXPECT_EQ(early.kind, ChainVerdict::Kind::kNotYetValid) << early.message;
  EXPECT_EQ(late.organization, "VATES-A00000000");
}

TEST(EdcChain, SealMessageNamesSigningTimeAndOrganization) {
  testing::VerifierSpec spec;
  spec.anchor_pem_files.push_back(TestData(kHalcom));
  auto r = testing::VerifyText(*testing::MakeVerifier(spec),
                               ReadTestData("edc/upstream/mynextid-microcredential-signed.jsonld"));
  EXPECT_NE(r.check(CheckId::kSeal).message.find("claimed signing time 2026-01-12T07:12:23Z"), std::string::npos)
      << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("NTREE-17207834"), std::string::npos);
}

// Issuer binding on the real seals, with nothing but the anchor: the MyNextID
// certificate (NTREE-17207834) binds to its issuer through the registration
// number 17207834 the credential gives for Estonia.
TEST(EdcBinding, MyNextIdSealsAreBoundByTheIssuersRegistrationNumber) {
  testing::VerifierSpec spec;
  spec.anchor_pem_files.push_back(TestData(kHalcom));
  spec.trust_any_configured_key = false;
  auto v = testing::MakeVerifier(spec);
  for (const char* file : {"mynextid-microcredential-signed.jsonld", "mynextid-degree-certificate-signed.jsonld",
                           "mynextid-confirmation-of-enrolment-signed.jsonld"}) {
    auto r = testing::VerifyText(*v, ReadTestData(std::string("edc/upstream/") + file));
    EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << file << "\n" << Describe(r);
    EXPECT_NE(r.check(CheckId::kSeal).message.find("organizationIdentifier NTREE-17207834 (registration number 17207834 in EE)"),
              std::string::npos)
        << r.check(CheckId::kSeal).message;
  }
}

// The ELM samples' certificate (VATES-A00000000) is the issuer's eIDASIdentifier
// exactly. Their seal stops earlier (the critical adoTst below), so the rule is
// shown on what the credential says and what the certificate says.
TEST(EdcBinding, ElmSampleCertificateIsTheIssuersEidasIdentifierExactly) {
  ChainValidator anchors;
  ASSERT_TRUE(anchors.AddAnchorsPemFile(TestData(kAnf)).ok());
  auto chain = anchors.Validate(ElmChain(), {}, *ParseDateTimeStamp("2023-09-27T11:54:17Z"));
  ASSERT_EQ(chain.kind, ChainVerdict::Kind::kTrusted) << chain.message;
  for (const char* file : {"elm-sample-mc-annex1-signed.jsonld", "elm-sample-certofpart-signed.jsonld"}) {
    std::string text = ReadTestData(std::string("edc/upstream/") + file);
    simdjson::dom::parser p;
    std::string payload(p.parse(text)["payload"].get_string().value());
    UnverifiedCredential c = ReadUnverifiedCredential(payload);
    ASSERT_TRUE(c.problem.ok()) << c.problem.message;
    EXPECT_EQ(internal::MatchOrganizationIdentifier(chain.organization, c.credential.issuer_identifiers),
              "exact match of issuer identifier VATES-A00000000")
        << file;
    // Their `registration` (0000, in Belgium or Ireland) alone would not bind this certificate.
    std::vector<LegalIdentifier> registration_only;
    for (const auto& id : c.credential.issuer_identifiers) {
      if (id.notation == "0000") registration_only.push_back(id);
    }
    ASSERT_EQ(registration_only.size(), 1u);
    EXPECT_FALSE(registration_only[0].country.empty());
    EXPECT_EQ(internal::MatchOrganizationIdentifier(chain.organization, registration_only), "");
  }
}

// The ELM samples carry a critical adoTst (an RFC 3161 timestamp over the signed
// data). Until timestamps are verified it is refused, never silently accepted.
TEST(EdcChain, ElmSamplesWithACriticalTimestampVerifyIt) {
  testing::VerifierSpec spec;
  spec.anchor_pem_files.push_back(TestData(kAnf));
  spec.at = "2024-06-01T00:00:00Z";  // inside the seal certificate's validity
  for (const char* file : {"elm-sample-mc-annex1-signed.jsonld", "elm-sample-certofpart-signed.jsonld"}) {
    auto r = testing::VerifyText(*testing::MakeVerifier(spec), ReadTestData(std::string("edc/upstream/") + file));
    EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
    EXPECT_NE(r.check(CheckId::kSeal).message.find("content timestamp (adoTst)"), std::string::npos) << Describe(r);
    EXPECT_NE(r.check(CheckId::kSeal).message.find("signature timestamp (sigTst)"), std::string::npos) << Describe(r);
  }
}

// The ELM seal certificate expired on 2025-05-10: checked today, the sealer's
// claimed sigT alone does not carry it, unless trusted by name.
TEST(EdcChain, ExpiredRealSealCertificateNeedsTheClaimedTimeByName) {
  std::string text = ReadTestData("edc/upstream/mynextid-microcredential-signed.jsonld");
  testing::VerifierSpec spec;
  spec.anchor_pem_files.push_back(TestData(kHalcom));
  spec.at = "2029-01-01T00:00:00Z";  // after the Halcom seal certificate (until 2028-09-11)
  auto proven = testing::MakeVerifier(spec);
  auto r = testing::VerifyText(*proven, text);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "certificate_expired") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("2026-01-12T07:12:23Z"), std::string::npos) << Describe(r);
  VerifierOptions o = proven->options();
  o.signing_time = SigningTimePolicy::kClaimed;
  auto c = testing::VerifyText(Verifier(o), text);
  EXPECT_EQ(c.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(c);
}

}  // namespace
}  // namespace credsweep
