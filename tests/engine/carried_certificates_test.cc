// Splitting the certificates an OCSP response or a timestamp token carries from
// the signed rest (engine/internal/carried_certificates.h): the rest still decodes
// and verifies with OpenSSL, the certificates are the ones carried, byte for byte,
// and anything unusual is left to OpenSSL whole.
#include "engine/internal/carried_certificates.h"

#include <gtest/gtest.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>

#include "engine/keys.h"
#include "engine/timestamp.h"
#include "tools/certificate_authority.h"

namespace credsweep::internal {
namespace {

constexpr UnixSeconds kNow = 1780272000;  // 2026-06-01T00:00:00Z
constexpr UnixSeconds kDay = 86400;

class CarriedCertificatesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    CertificateSpec root{"Root", "Test", "", "BE", kNow - 1000 * kDay, kNow + 1000 * kDay, true};
    ca_ = CertificateAuthority::Create(root).value().release();
    auto key = PrivateKey::Generate(JwsAlg::kES256).value();
    leaf_der_ = new std::string(ca_->Issue(*key, {"Seal", "Issuing Body", "", "BE", kNow - 100 * kDay, kNow + 100 * kDay}, 10).value());
    responder_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    CertificateSpec responder{"Responder", "Test", "", "BE", kNow - 100 * kDay, kNow + 100 * kDay};
    responder.extended_key_usage = "OCSPSigning";
    responder_der_ = new std::string(ca_->Issue(*responder_, responder, 11).value());
    tsa_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    CertificateSpec tsa{"TSA", "Time", "", "BE", kNow - 100 * kDay, kNow + 100 * kDay};
    tsa.extended_key_usage = "critical,timeStamping";
    tsa_der_ = new std::string(ca_->Issue(*tsa_, tsa, 12).value());
  }

  static std::string DelegatedOcsp() {
    return ca_->OcspResponse(*leaf_der_, nullptr, kNow - kDay, kNow + 6 * kDay, responder_, *responder_der_).value();
  }

  static X509Ptr Certificate(const std::string& der) { return X509FromDer(der); }

  static CertificateAuthority* ca_;
  static PrivateKey* responder_;
  static PrivateKey* tsa_;
  static std::string* leaf_der_;
  static std::string* responder_der_;
  static std::string* tsa_der_;
};
CertificateAuthority* CarriedCertificatesTest::ca_;
PrivateKey* CarriedCertificatesTest::responder_;
PrivateKey* CarriedCertificatesTest::tsa_;
std::string* CarriedCertificatesTest::leaf_der_;
std::string* CarriedCertificatesTest::responder_der_;
std::string* CarriedCertificatesTest::tsa_der_;

using BasicPtr = Owned<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using CmsPtr = Owned<CMS_ContentInfo, CMS_ContentInfo_free>;

BasicPtr DecodeBasic(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  BasicPtr b(d2i_OCSP_BASICRESP(nullptr, &p, static_cast<long>(der.size())));
  EXPECT_EQ(p, reinterpret_cast<const unsigned char*>(der.data()) + der.size());
  return b;
}

TEST_F(CarriedCertificatesTest, AnOcspResponseLosesItsResponderCertificateAndStillVerifies) {
  const std::string ocsp = DelegatedOcsp();
  auto split = SplitOcspCertificates(ocsp);
  ASSERT_TRUE(split.has_value());
  ASSERT_EQ(split->certificates.size(), 1u);
  EXPECT_EQ(split->certificates[0], *responder_der_);

  BasicPtr basic = DecodeBasic(split->without);
  ASSERT_NE(basic, nullptr);
  EXPECT_LE(sk_X509_num(OCSP_resp_get0_certs(basic.get())), 0);  // -1: none at all
  X509Ptr responder = Certificate(*responder_der_);
  STACK_OF(X509)* only = sk_X509_new_null();
  sk_X509_push(only, responder.get());
  EXPECT_EQ(OCSP_basic_verify(basic.get(), only, nullptr, OCSP_NOINTERN | OCSP_NOVERIFY), 1);
  sk_X509_free(only);

  // The same BasicOCSPResponse given bare splits the same way, and a response
  // without certificates is returned whole.
  auto again = SplitOcspCertificates(split->without);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->certificates.empty());
  EXPECT_EQ(again->without, split->without);
  const std::string by_ca = ca_->OcspResponse(*leaf_der_, nullptr, kNow - kDay, kNow + 6 * kDay).value();
  auto bare = SplitOcspCertificates(by_ca);
  ASSERT_TRUE(bare.has_value());
  EXPECT_TRUE(bare->certificates.empty());
  EXPECT_NE(DecodeBasic(bare->without), nullptr);
}

TEST_F(CarriedCertificatesTest, ATimestampTokenLosesItsTsaCertificateAndStillVerifies) {
  const std::string token = MakeTimestampToken(*tsa_, *tsa_der_, "signature value", kNow - kDay).value();
  auto split = SplitSignedDataCertificates(token);
  ASSERT_TRUE(split.has_value());
  ASSERT_EQ(split->certificates.size(), 1u);
  EXPECT_EQ(split->certificates[0], *tsa_der_);
  EXPECT_LT(split->without.size(), token.size());

  auto decode = [&] {
    const auto* p = reinterpret_cast<const unsigned char*>(split->without.data());
    return CmsPtr(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(split->without.size())));
  };
  CmsPtr cms = decode();
  ASSERT_NE(cms, nullptr);
  // Without the certificate the token does not name its signer's key.
  EXPECT_NE(CMS_verify(decode().get(), nullptr, nullptr, nullptr, nullptr, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY), 1);
  EXPECT_EQ(OBJ_obj2nid(CMS_get0_eContentType(cms.get())), NID_id_smime_ct_TSTInfo);
  STACK_OF(X509)* inside = CMS_get1_certs(cms.get());
  EXPECT_LE(sk_X509_num(inside), 0);
  sk_X509_pop_free(inside, X509_free);
  X509Ptr tsa = Certificate(*tsa_der_);
  STACK_OF(X509)* given = sk_X509_new_null();
  sk_X509_push(given, tsa.get());
  EXPECT_EQ(CMS_verify(cms.get(), given, nullptr, nullptr, nullptr, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY), 1);
  sk_X509_free(given);
  ERR_clear_error();
}

TEST_F(CarriedCertificatesTest, AnythingUnusualIsLeftWhole) {
  const std::string ocsp = DelegatedOcsp();
  const std::string token = MakeTimestampToken(*tsa_, *tsa_der_, "signature value", kNow - kDay).value();
  for (const std::string* der : {&ocsp, &token}) {
    auto split = der == &ocsp ? SplitOcspCertificates : SplitSignedDataCertificates;
    EXPECT_TRUE(split(*der).has_value());
    EXPECT_FALSE(split(*der + std::string(1, '\0')).has_value()) << "trailing byte";
    EXPECT_FALSE(split(der->substr(0, der->size() - 1)).has_value()) << "cut short";
    EXPECT_FALSE(split("").has_value());
    std::string indefinite = *der;
    indefinite[1] = '\x80';  // BER indefinite length on the outer SEQUENCE
    EXPECT_FALSE(split(indefinite).has_value());
  }
  // Each kind is refused by the other's splitter.
  EXPECT_FALSE(SplitSignedDataCertificates(ocsp).has_value());
  EXPECT_FALSE(SplitOcspCertificates(token).has_value());
  // An unsuccessful OCSPResponse (status 6, unauthorized: no responseBytes).
  EXPECT_FALSE(SplitOcspCertificates(std::string("\x30\x03\x0a\x01\x06", 5)).has_value());
  // A certificate field that holds something other than a certificate.
  std::string odd = ocsp;
  const size_t at = odd.find(*responder_der_);
  ASSERT_NE(at, std::string::npos);
  odd[at] = '\x31';  // SET instead of SEQUENCE
  EXPECT_FALSE(SplitOcspCertificates(odd).has_value());
}

TEST_F(CarriedCertificatesTest, ACarriedCertificateIsDecodedOnceAndShared) {
  X509Ptr a = CarriedCertificate(*tsa_der_);
  X509Ptr b = CarriedCertificate(*tsa_der_);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(X509_cmp(a.get(), Certificate(*tsa_der_).get()), 0);
  EXPECT_EQ(CarriedCertificate("not a certificate"), nullptr);
  EXPECT_FALSE(CarriedCertificates({*tsa_der_, "not a certificate"}).has_value());
  auto both = CarriedCertificates({*tsa_der_, *responder_der_});
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->size(), 2u);
}

}  // namespace
}  // namespace credsweep::internal
