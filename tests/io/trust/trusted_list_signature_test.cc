// The signature rules of a trusted list (ETSI TS 119 612 §5.7), one at a time, on
// lists signed here with test keys (tests/io/trust/test_list_signer.h): each
// refused list differs from an accepted one by the rule it breaks, so each test
// fails if its rule is dropped. The real lists and the DSS variants are in
// trusted_list_test.cc.
#include <gtest/gtest.h>

#include <memory>

#include "io/trust/trusted_list.h"
#include "tests/io/trust/test_list_signer.h"
#include "tools/certificate_authority.h"

namespace credsweep::io {
namespace {

using testing::SignTestList;
using testing::TestListSpec;

const UnixSeconds kJan2026 = *ParseDateTimeStamp("2026-01-12T00:00:00Z");

struct Signer {
  std::unique_ptr<PrivateKey> key;
  std::string certificate;  // DER
};

Signer Issue(const CertificateAuthority& ca, JwsAlg alg, const std::string& name, long serial) {
  CertificateSpec spec;
  spec.common_name = name;
  spec.organization = "ZZ Trust Scheme Operator";
  spec.country = "ZZ";
  spec.not_before = *ParseDateTimeStamp("2025-01-01T00:00:00Z");
  spec.not_after = *ParseDateTimeStamp("2030-01-01T00:00:00Z");
  Signer s;
  s.key = PrivateKey::Generate(alg).value();
  s.certificate = ca.Issue(*s.key, spec, serial).value();
  return s;
}

// The scheme operator's EC and RSA signers (announced) and a stranger (not).
struct Signers {
  Signer ec, rsa, stranger;
};

const Signers& Keys() {
  static const Signers* signers = [] {
    CertificateSpec root;
    root.common_name = "ZZ Test Root";
    root.country = "ZZ";
    root.not_before = *ParseDateTimeStamp("2025-01-01T00:00:00Z");
    root.not_after = *ParseDateTimeStamp("2030-01-01T00:00:00Z");
    auto ca = CertificateAuthority::Create(root).value();
    return new Signers{Issue(*ca, JwsAlg::kES256, "ZZ list signer (EC)", 2),
                       Issue(*ca, JwsAlg::kRS256, "ZZ list signer (RSA)", 3),
                       Issue(*ca, JwsAlg::kES256, "Someone else", 4)};
  }();
  return *signers;
}

std::vector<std::string> Announced() { return {Keys().ec.certificate, Keys().rsa.certificate}; }

std::string Signed(const TestListSpec& spec, const Signer& signer) {
  auto xml = SignTestList(spec, *signer.key, signer.certificate);
  EXPECT_TRUE(xml.ok()) << xml.status().message();
  return xml.ok() ? *xml : std::string();
}

std::string Signed(const TestListSpec& spec) { return Signed(spec, Keys().ec); }

TrustedListCheck Verify(const std::string& xml, std::optional<UnixSeconds> at = kJan2026) {
  return VerifyTrustedList(xml, Announced(), at);
}

// Asserts the verdict and that the message says why.
void ExpectRefused(const TrustedListCheck& c, ListVerdict verdict, const std::string& says) {
  EXPECT_EQ(c.verdict, verdict) << ListVerdictCode(c.verdict) << ": " << c.message;
  EXPECT_NE(c.message.find(says), std::string::npos) << c.message;
  EXPECT_FALSE(c.list.has_value());
}

// --- The baseline: what the refusals below differ from. ---

TEST(TrustedListSignature, AcceptsAListSignedByAnAnnouncedCertificate) {
  auto c = Verify(Signed({}));
  ASSERT_TRUE(c.accepted()) << c.message;
  EXPECT_EQ(c.list->territory, "ZZ");
  EXPECT_EQ(c.list->sequence, 7);
  EXPECT_EQ(c.signer_der, Keys().ec.certificate);
}

TEST(TrustedListSignature, AcceptsRsaSha256AndRsaSha512) {
  TestListSpec sha256;
  sha256.signature_method = testing::kRsaSha256;
  auto c256 = Verify(Signed(sha256, Keys().rsa));
  EXPECT_TRUE(c256.accepted()) << c256.message;
  TestListSpec sha512;
  sha512.signature_method = testing::kRsaSha512;
  sha512.reference_digest = testing::kSha512;
  sha512.cert_digest = testing::kSha512;
  auto c512 = Verify(Signed(sha512, Keys().rsa));
  EXPECT_TRUE(c512.accepted()) << c512.message;
  EXPECT_EQ(c512.signer_der, Keys().rsa.certificate);
}

TEST(TrustedListSignature, TakesTheKeyFromTheAnnouncedCertificatesWhenKeyInfoIsAbsent) {
  TestListSpec spec;
  spec.key_info = false;
  auto c = Verify(Signed(spec));
  ASSERT_TRUE(c.accepted()) << c.message;
  EXPECT_EQ(c.signer_der, Keys().ec.certificate);
}

// --- Rule 1: exactly one signature, enveloped, over the whole list. ---

TEST(TrustedListSignature, RefusesASecondSignatureBesideAValidOne) {
  // The first signature is valid over the list including the second one.
  TestListSpec spec;
  spec.after_signature = testing::SignatureElement(Signed({}, Keys().stranger));
  ExpectRefused(Verify(Signed(spec)), ListVerdict::kBadSignature, "exactly one signature is required (found 2)");
}

TEST(TrustedListSignature, RefusesASignatureThatIsNotAChildOfTheRoot) {
  TestListSpec spec;
  spec.inside_scheme_information = true;  // enveloped-signature still removes it, so it verifies
  ExpectRefused(Verify(Signed(spec)), ListVerdict::kBadSignature, "not enveloped by the root element");
}

TEST(TrustedListSignature, RefusesAnEnvelopingSignatureThatDoesNotSignTheList) {
  // Core-valid, XAdES and all, but it signs a ds:Object of its own: the list's
  // content could be anything.
  TestListSpec spec;
  spec.list_reference_uri = "#object";
  spec.list_reference_transforms = R"(<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>)";
  ExpectRefused(Verify(Signed(spec)), ListVerdict::kBadSignature, "exactly one Reference URI=\"\"");
}

TEST(TrustedListSignature, RefusesADetachedSignature) {
  std::string xml = Signed({});
  const std::string whole = R"(<ds:Reference URI="">)";
  xml.replace(xml.find(whole), whole.size(), R"(<ds:Reference URI="https://tl.example/ZZ.xml">)");
  ExpectRefused(Verify(xml), ListVerdict::kBadSignature,
                "reference to 'https://tl.example/ZZ.xml' is not a same-document reference");
}

TEST(TrustedListSignature, RefusesAnXPathTransformThatLeavesTheListUnsigned) {
  // URI="" filtered down to nothing: the signature verifies whatever the list says.
  TestListSpec spec;
  spec.list_reference_transforms =
      std::string(testing::kEnvelopedTransforms) +
      R"(<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116">)"
      R"(<ds:XPath>false()</ds:XPath></ds:Transform>)";
  std::string xml = Signed(spec);
  const std::string territory = "<tsl:SchemeTerritory>ZZ<";
  xml.replace(xml.find(territory), territory.size(), "<tsl:SchemeTerritory>EU<");
  ExpectRefused(Verify(xml), ListVerdict::kBadSignature,
                "transform 'http://www.w3.org/TR/1999/REC-xpath-19991116' is not accepted");
}

// --- Rule 2: the signer is announced for the list. ---

TEST(TrustedListSignature, RefusesASignerThatIsNotAnnounced) {
  ExpectRefused(Verify(Signed({}, Keys().stranger)), ListVerdict::kSignerNotAnnounced,
                "'CN=Someone else,O=ZZ Trust Scheme Operator,C=ZZ', which is not among the 2 certificates");
}

TEST(TrustedListSignature, RefusesAnUnannouncedSignerWithoutKeyInfo) {
  // No certificate to name: no announced key verifies it.
  TestListSpec spec;
  spec.key_info = false;
  ExpectRefused(Verify(Signed(spec, Keys().stranger)), ListVerdict::kBadSignature, "signature does not verify");
}

TEST(TrustedListSignature, RefusesAnUnannouncedSignerBehindAnAnnouncedCertificate) {
  // ds:KeyInfo and the XAdES name the announced EC certificate; another key signed.
  auto forged = SignTestList({}, *Keys().stranger.key, Keys().ec.certificate);
  ASSERT_TRUE(forged.ok()) << forged.status().message();
  ExpectRefused(Verify(*forged), ListVerdict::kBadSignature, "signature does not verify");
}

// --- Rule 3: the XAdES SigningCertificate names the signer. ---

TEST(TrustedListSignature, RefusesASigningCertificateDigestOfAnotherCertificate) {
  TestListSpec spec;
  spec.signing_certificate = Keys().stranger.certificate;
  ExpectRefused(Verify(Signed(spec)), ListVerdict::kSigningCertificateMismatch,
                "SigningCertificate digest does not match the signing certificate");
}

// --- Rule 4: no SHA-1 or MD5, in the signature method, a Reference or the CertDigest. ---

struct WeakAlgorithmCase {
  const char* name;
  TestListSpec spec;
  bool rsa;
  const char* says;
};

void PrintTo(const WeakAlgorithmCase& w, std::ostream* os) { *os << w.name; }

class WeakAlgorithms : public ::testing::TestWithParam<WeakAlgorithmCase> {};

TEST_P(WeakAlgorithms, AreRefusedAndNamed) {
  // Each list is otherwise valid: only the algorithm rule refuses it.
  const WeakAlgorithmCase& w = GetParam();
  auto c = Verify(Signed(w.spec, w.rsa ? Keys().rsa : Keys().ec));
  ExpectRefused(c, ListVerdict::kAlgorithmNotAccepted, w.says);
  EXPECT_EQ(ListVerdictCode(c.verdict), "algorithm_not_accepted");
}

TestListSpec WithSignatureMethod(const char* uri) {
  TestListSpec spec;
  spec.signature_method = uri;
  return spec;
}

TestListSpec WithReferenceDigest(const char* uri) {
  TestListSpec spec;
  spec.reference_digest = uri;
  return spec;
}

TestListSpec WithCertDigest(const char* uri) {
  TestListSpec spec;
  spec.cert_digest = uri;
  return spec;
}

INSTANTIATE_TEST_SUITE_P(
    TrustedListSignature, WeakAlgorithms,
    ::testing::Values(
        WeakAlgorithmCase{"RsaSha1SignatureMethod", WithSignatureMethod(testing::kRsaSha1), true,
                          "signature algorithm 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' is not accepted: SHA-1"},
        WeakAlgorithmCase{"Sha1ReferenceDigest", WithReferenceDigest(testing::kSha1), false,
                          "Reference digest algorithm 'http://www.w3.org/2000/09/xmldsig#sha1' is not accepted: SHA-1"},
        WeakAlgorithmCase{"Md5ReferenceDigest", WithReferenceDigest(testing::kMd5), false,
                          "Reference digest algorithm 'http://www.w3.org/2001/04/xmldsig-more#md5' is not accepted: MD5"},
        WeakAlgorithmCase{"Sha1CertDigest", WithCertDigest(testing::kSha1), false,
                          "XAdES CertDigest algorithm 'http://www.w3.org/2000/09/xmldsig#sha1' is not accepted: SHA-1"},
        WeakAlgorithmCase{"Md5CertDigest", WithCertDigest(testing::kMd5), false,
                          "XAdES CertDigest algorithm 'http://www.w3.org/2001/04/xmldsig-more#md5' is not accepted: MD5"}),
    [](const auto& info) { return std::string(info.param.name); });

// --- Rule 5: not past NextUpdate at the time of use. ---

TEST(TrustedListSignature, RefusesASignedListAtAndAfterItsNextUpdate) {
  std::string xml = Signed({});  // NextUpdate 2026-06-30T00:00:00Z
  const UnixSeconds next_update = *ParseDateTimeStamp("2026-06-30T00:00:00Z");
  EXPECT_TRUE(Verify(xml, next_update - 1).accepted());
  ExpectRefused(Verify(xml, next_update), ListVerdict::kExpired, "past its NextUpdate 2026-06-30T00:00:00Z");
  ExpectRefused(Verify(xml, next_update + 86400), ListVerdict::kExpired, "past its NextUpdate");
}

TEST(TrustedListSignature, RefusesAClosedListAtTheTimeOfUseButReadsItAsAPivot) {
  TestListSpec closed;
  closed.next_update.clear();
  std::string xml = Signed(closed);
  ExpectRefused(Verify(xml), ListVerdict::kExpired, "a closed list (no NextUpdate)");
  EXPECT_TRUE(Verify(xml, std::nullopt).accepted()) << Verify(xml, std::nullopt).message;
}

}  // namespace
}  // namespace credsweep::io
