// The revocation status of X.509 seal certificates at the signing time
// (--certificate-status, --crls): OCSP responses and CRLs made by a CA of the
// test's own, carried in a JAdES seal's rVals or given as a folder, and the real
// OCSP response inside the Europass ELM samples.
#include <gtest/gtest.h>
#include <unistd.h>

#include <openssl/ocsp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "engine/certificate_status.h"
#include "engine/encoding.h"
#include "engine/signer.h"
#include "engine/verifier.h"
#include "io/report/result_json.h"
#include "tests/testutil.h"
#include "tools/certificate_authority.h"

namespace credsweep {
namespace {

using testing::Describe;
using Revoked = CertificateAuthority::Revoked;

constexpr const char* kAt = "2026-06-01T00:00:00Z";
constexpr long kSealSerial = 10;
constexpr long kOnlineSerial = 30;
constexpr int kKeyCompromise = 1;
constexpr int64_t kDay = 86400;

class CertificateStatusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    now_ = *ParseDateTimeStamp(kAt);
    CertificateSpec root{"Seal CA", "Test", "", "BE", now_ - 1000 * kDay, now_ + 1000 * kDay, true};
    ca_ = CertificateAuthority::Create(root).value().release();
    seal_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    CertificateSpec leaf{"Seal", "Issuing Body", "VATBE-0000000097", "BE", now_ - 400 * kDay, now_ + 400 * kDay, false};
    seal_der_ = new std::string(ca_->Issue(*seal_, leaf, kSealSerial).value());
    responder_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    CertificateSpec ocsp{"OCSP Responder", "Test", "", "BE", now_ - 900 * kDay, now_ + 900 * kDay, false};
    ocsp.extended_key_usage = "OCSPSigning";
    responder_der_ = new std::string(ca_->Issue(*responder_, ocsp, 20).value());
    // A certificate of the same CA that was never made a responder.
    CertificateSpec sibling{"Other Seal", "Other Body", "", "BE", now_ - 900 * kDay, now_ + 900 * kDay, false};
    sibling_der_ = new std::string(ca_->Issue(*responder_, sibling, 21).value());
    // A seal certificate that names where its status is published.
    CertificateSpec online{"Online Seal", "Issuing Body", "VATBE-0000000097", "BE", now_ - 400 * kDay, now_ + 400 * kDay, false};
    online.ocsp_url = "http://ocsp.ca.example";
    online.crl_url = "http://crl.ca.example/ca.crl";
    online_der_ = new std::string(ca_->Issue(*seal_, online, kOnlineSerial).value());
    dir_ = new std::string(::testing::TempDir() + "/certificate-status-" + std::to_string(::getpid()));
    std::filesystem::create_directories(*dir_);
    std::ofstream(*dir_ + "/ca.pem") << ca_->pem();
  }

  static void TearDownTestSuite() { std::filesystem::remove_all(*dir_); }

  static std::unique_ptr<Verifier> V(CertificateStatusPolicy policy = CertificateStatusPolicy::kPrefer,
                                     SigningTimePolicy time = SigningTimePolicy::kProven,
                                     std::shared_ptr<const CrlSet> crls = nullptr) {
    testing::VerifierSpec spec;
    spec.anchor_pem_files.push_back(*dir_ + "/ca.pem");
    spec.at = kAt;
    VerifierOptions o = testing::MakeVerifier(spec)->options();
    o.certificate_status = policy;
    o.signing_time = time;
    o.crls = std::move(crls);
    return std::make_unique<Verifier>(o);
  }

  // A JAdES seal (JWS JSON, flattened) made at `sig_t`, with rVals holding `crls`
  // and `ocsp` (DER) in its unprotected etsiU header.
  static std::string Sealed(UnixSeconds sig_t, const std::vector<std::string>& crls,
                            const std::vector<std::string>& ocsp, const std::string* cert_der = nullptr) {
    const std::string payload64 = Base64UrlEncode(
        R"({"@context":["https://www.w3.org/2018/credentials/v1"],"id":"urn:uuid:9","type":["VerifiableCredential"],"issuer":{"id":"https://uni.example","eIDASIdentifier":{"notation":"VATBE-0000000097"}},"issuanceDate":"2025-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"}})");
    const std::string protected64 = Base64UrlEncode(R"({"alg":"ES256","crit":["sigT"],"sigT":")" + FormatUtc(sig_t) +
                                                    R"(","typ":"jose+json","x5c":[")" + Base64Encode(cert_der ? *cert_der : *seal_der_) +
                                                    "\"]}");
    auto vals = [](const std::vector<std::string>& ders) {
      std::string out = "[";
      for (const auto& d : ders) out += (out.size() > 1 ? "," : "") + std::string(R"({"val":")") + Base64Encode(d) + "\"}";
      return out + "]";
    };
    std::string out = R"({"payload":")" + payload64 + R"(","protected":")" + protected64 + "\"";
    if (!crls.empty() || !ocsp.empty()) {
      const std::string rvals = R"({"rVals":{"crlVals":)" + vals(crls) + R"(,"ocspVals":)" + vals(ocsp) + "}}";
      out += R"(,"header":{"etsiU":[")" + Base64UrlEncode(rvals) + "\"]}";
    }
    const std::string signature = seal_->Sign(protected64 + "." + payload64).value();
    return out + R"(,"signature":")" + Base64UrlEncode(signature) + "\"}";
  }

  static std::string Json(const VerificationResult& r) {
    std::string json;
    io::AppendResultJson(r, r.verified(), &json);
    return json;
  }

  static inline UnixSeconds now_;
  static inline CertificateAuthority* ca_;
  static inline PrivateKey *seal_, *responder_;
  static inline std::string *seal_der_, *responder_der_, *sibling_der_, *online_der_, *dir_;
};

TEST_F(CertificateStatusTest, AGoodOcspResponseByTheCaShowsTheCertificateNotRevoked) {
  const UnixSeconds made = now_ - 10 * kDay;
  const std::string ocsp = ca_->OcspResponse(*seal_der_, nullptr, made, made + 7 * kDay).value();
  auto r = testing::VerifyText(*V(CertificateStatusPolicy::kRequire), Sealed(made, {}, {ocsp}));
  ASSERT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("not revoked at " + FormatUtc(made) +
                                                 ": OCSP response by 'CN=Seal CA,O=Test,C=BE' of " + FormatUtc(made) +
                                                 " (embedded)"),
            std::string::npos)
      << Describe(r);
  EXPECT_EQ(r.seal_details().certificate_status, "good");
  EXPECT_EQ(r.seal_details().certificate_status_source, "ocsp");
  EXPECT_NE(Json(r).find(R"("certificate_status":"good","certificate_status_source":"ocsp","certificate_status_origin":"embedded")"), std::string::npos)
      << Json(r);
}

TEST_F(CertificateStatusTest, ADelegatedResponderCountsAnotherCertificateOfTheCaDoesNot) {
  const UnixSeconds made = now_ - 10 * kDay;
  const std::string delegated =
      ca_->OcspResponse(*seal_der_, nullptr, made, made + 7 * kDay, responder_, *responder_der_).value();
  auto r = testing::VerifyText(*V(CertificateStatusPolicy::kRequire), Sealed(made, {}, {delegated}));
  ASSERT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("OCSP response by 'CN=OCSP Responder,O=Test,C=BE'"), std::string::npos)
      << Describe(r);

  // Same key, but a certificate without OCSPSigning: the response is set aside.
  const std::string impostor =
      ca_->OcspResponse(*seal_der_, nullptr, made, made + 7 * kDay, responder_, *sibling_der_).value();
  auto required = testing::VerifyText(*V(CertificateStatusPolicy::kRequire), Sealed(made, {}, {impostor}));
  EXPECT_EQ(required.check(CheckId::kSeal).code, "certificate_status_unavailable") << Describe(required);
  EXPECT_NE(required.check(CheckId::kSeal).message.find("not signed by the issuer or a responder it delegated"),
            std::string::npos)
      << Describe(required);
  auto preferred = testing::VerifyText(*V(), Sealed(made, {}, {impostor}));
  ASSERT_EQ(preferred.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(preferred);
  EXPECT_NE(preferred.check(CheckId::kSeal).message.find("certificate status not established: no OCSP response or CRL "
                                                         "shows the status of 'CN=Seal,"),
            std::string::npos)
      << Describe(preferred);
  EXPECT_EQ(preferred.seal_details().certificate_status, "unknown");
  EXPECT_EQ(preferred.seal_details().certificate_status_source, "none");
  EXPECT_EQ(preferred.seal_details().certificate_status_origin, "");
}

TEST_F(CertificateStatusTest, RevokedBeforeTheSigningTimeFails) {
  const UnixSeconds made = now_ - 10 * kDay;
  const Revoked revoked{kSealSerial, made - kDay, kKeyCompromise};
  const std::string ocsp = ca_->OcspResponse(*seal_der_, &revoked, made, made + 7 * kDay).value();
  auto r = testing::VerifyText(*V(), Sealed(made, {}, {ocsp}));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "certificate_revoked") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("was revoked at " + FormatUtc(made - kDay) +
                                                 " (keyCompromise), by the OCSP response"),
            std::string::npos)
      << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("before the signing time " + FormatUtc(made)), std::string::npos);
  EXPECT_FALSE(r.verified());
  // The CRL says the same.
  const std::string crl = ca_->IssueCrl({revoked}, made, made + 30 * kDay).value();
  auto by_crl = testing::VerifyText(*V(), Sealed(made, {crl}, {}));
  EXPECT_EQ(by_crl.check(CheckId::kSeal).code, "certificate_revoked") << Describe(by_crl);
  EXPECT_NE(by_crl.check(CheckId::kSeal).message.find("by the CRL of 'CN=Seal CA,O=Test,C=BE'"), std::string::npos);
}

// After the signing time, a revocation leaves the seal standing only when that
// time is more than a claim: a claimed time could be set back before it.
TEST_F(CertificateStatusTest, RevokedAfterAClaimedSigningTimeNeedsTheClaimTrusted) {
  const UnixSeconds made = now_ - 10 * kDay;
  const std::string crl = ca_->IssueCrl({{kSealSerial, made + kDay, kKeyCompromise}}, now_ - kDay, now_ + 30 * kDay).value();
  auto r = testing::VerifyText(*V(), Sealed(made, {crl}, {}));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "certificate_revoked") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("claims to be made at " + FormatUtc(made) +
                                                 ", before that, which no verified timestamp proves"),
            std::string::npos)
      << Describe(r);
  auto claimed = testing::VerifyText(*V(CertificateStatusPolicy::kPrefer, SigningTimePolicy::kClaimed), Sealed(made, {crl}, {}));
  ASSERT_EQ(claimed.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(claimed);
  EXPECT_NE(claimed.check(CheckId::kSeal).message.find("(keyCompromise), by the CRL of 'CN=Seal CA,O=Test,C=BE' of " +
                                                       FormatUtc(now_ - kDay) +
                                                       " (embedded), after the claimed signing time"),
            std::string::npos)
      << Describe(claimed);
  EXPECT_EQ(claimed.seal_details().certificate_status, "revoked");
  EXPECT_EQ(claimed.seal_details().certificate_status_source, "crl");
  EXPECT_EQ(claimed.seal_details().certificate_status_origin, "embedded");
}

TEST_F(CertificateStatusTest, EvidenceThatDoesNotCoverTheSigningTimeDoesNotCount) {
  const UnixSeconds made = now_ - 10 * kDay;
  // Current from 40 to 20 days before the seal was made: silent about its time.
  const std::string stale = ca_->IssueCrl({}, made - 40 * kDay, made - 20 * kDay).value();
  auto r = testing::VerifyText(*V(CertificateStatusPolicy::kRequire), Sealed(made, {stale}, {}));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "certificate_status_unavailable") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("does not cover " + FormatUtc(made)), std::string::npos) << Describe(r);
  // Issued before the signing time but current then: it covers.
  const std::string current = ca_->IssueCrl({}, made - 2 * kDay, made + 5 * kDay).value();
  EXPECT_EQ(testing::VerifyText(*V(CertificateStatusPolicy::kRequire), Sealed(made, {current}, {})).check(CheckId::kSeal).outcome,
            Outcome::kPass);
}

TEST_F(CertificateStatusTest, ACrlSignedByAnotherCaWithTheSameNameIsSetAside) {
  const UnixSeconds made = now_ - 10 * kDay;
  CertificateSpec twin{"Seal CA", "Test", "", "BE", now_ - 1000 * kDay, now_ + 1000 * kDay, true};
  auto other = CertificateAuthority::Create(twin).value();
  const std::string forged = other->IssueCrl({}, made, made + 30 * kDay).value();
  auto r = testing::VerifyText(*V(CertificateStatusPolicy::kRequire), Sealed(made, {forged}, {}));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "certificate_status_unavailable") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("naming 'CN=Seal CA,O=Test,C=BE' is not signed by it"), std::string::npos)
      << Describe(r);
}

TEST_F(CertificateStatusTest, CrlsFromAFolderAndThePolicyOff) {
  const UnixSeconds made = now_ - 10 * kDay;
  const std::string folder = *dir_ + "/crls";
  std::filesystem::create_directories(folder);
  const std::string crl = ca_->IssueCrl({{kSealSerial, made - kDay, kKeyCompromise}}, made, made + 30 * kDay).value();
  std::ofstream(folder + "/seal-ca.pem") << "-----BEGIN X509 CRL-----\n" << Base64Encode(crl) << "\n-----END X509 CRL-----\n";
  std::ofstream(folder + "/notes.txt") << "not read";
  auto crls = std::make_shared<CrlSet>();
  ASSERT_TRUE(crls->AddFolder(folder).ok());
  EXPECT_EQ(crls->size(), 1u);
  auto r = testing::VerifyText(*V(CertificateStatusPolicy::kPrefer, SigningTimePolicy::kProven, crls), Sealed(made, {}, {}));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "certificate_revoked") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("(--crls)"), std::string::npos) << Describe(r);
  CrlSet good_set;
  ASSERT_TRUE(good_set.Add(ca_->IssueCrl({}, made, made + 30 * kDay).value(), "good").ok());
  auto good_crls = std::shared_ptr<const CrlSet>(std::shared_ptr<const CrlSet>{}, &good_set);
  auto from_folder = testing::VerifyText(*V(CertificateStatusPolicy::kRequire, SigningTimePolicy::kProven, good_crls),
                                         Sealed(made, {}, {}));
  ASSERT_EQ(from_folder.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(from_folder);
  EXPECT_EQ(from_folder.seal_details().certificate_status_origin, "crls");
  // Off: not asked, not reported.
  auto off = testing::VerifyText(*V(CertificateStatusPolicy::kOff, SigningTimePolicy::kProven, crls), Sealed(made, {}, {}));
  ASSERT_EQ(off.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(off);
  EXPECT_EQ(off.seal_details().certificate_status, "");
  EXPECT_EQ(Json(off).find("certificate_status"), std::string::npos) << Json(off);
  // A file that holds no CRL is an error naming it.
  std::ofstream(folder + "/broken.crl") << "garbage";
  Status s = CrlSet().AddFolder(folder);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("broken.crl: not a CRL"), std::string::npos) << s.message();
}

TEST_F(CertificateStatusTest, MalformedRValsAreMalformed) {
  const UnixSeconds made = now_ - 10 * kDay;
  std::string text = Sealed(made, {}, {"x"});
  const size_t at = text.find("\"etsiU\":[\"") + 10;
  text.replace(at, text.find('"', at) - at, Base64UrlEncode(R"({"rVals":{"ocspVals":"not an array"}})"));
  auto r = testing::VerifyText(*V(), text);
  EXPECT_EQ(r.check(CheckId::kFormat).code, "malformed_jws") << Describe(r);
  EXPECT_NE(r.check(CheckId::kFormat).message.find("etsiU rVals must hold"), std::string::npos) << Describe(r);
  // Well-formed but undecodable evidence is set aside, named.
  auto junk = testing::VerifyText(*V(CertificateStatusPolicy::kRequire), Sealed(made, {"junk"}, {"junk"}));
  EXPECT_EQ(junk.check(CheckId::kSeal).code, "certificate_status_unavailable") << Describe(junk);
  EXPECT_NE(junk.check(CheckId::kSeal).message.find("an embedded OCSP response is not a successful OCSP response"),
            std::string::npos)
      << Describe(junk);
}

// What an HTTP source would fetch, from memory: a document per URL prefix.
class FakeDocuments : public DocumentSource {
 public:
  std::map<std::string, std::string> by_prefix;
  Result<std::string> Fetch(std::string_view url) const override {
    std::lock_guard lock(mu_);
    asked.emplace_back(url);
    for (const auto& [prefix, doc] : by_prefix) {
      if (url.starts_with(prefix)) return doc;
    }
    return NotFound("nothing at " + std::string(url));
  }
  void Validated(std::string_view url, std::string_view) const override {
    std::lock_guard lock(mu_);
    validated.emplace_back(url);
  }
  mutable std::vector<std::string> asked, validated;

 private:
  mutable std::mutex mu_;
};

std::unique_ptr<Verifier> OnlineVerifier(const std::string& dir, std::shared_ptr<const DocumentSource> docs) {
  testing::VerifierSpec spec;
  spec.anchor_pem_files.push_back(dir + "/ca.pem");
  spec.at = kAt;
  VerifierOptions o = testing::MakeVerifier(spec)->options();
  o.certificate_status = CertificateStatusPolicy::kRequire;
  o.certificate_status_documents = std::move(docs);
  return std::make_unique<Verifier>(o);
}

// The GET request of RFC 6960 Appendix A.1 names the certificate; the response is
// fetched once for every seal by that certificate, and kept (Validated) once it verified.
TEST_F(CertificateStatusTest, OnlineTheOcspResponderOfTheCertificateIsAskedOnce) {
  const UnixSeconds made = now_ - 10 * kDay;
  auto docs = std::make_shared<FakeDocuments>();
  docs->by_prefix["http://ocsp.ca.example/"] = ca_->OcspResponse(*online_der_, nullptr, now_ - kDay, now_ + 6 * kDay).value();
  auto v = OnlineVerifier(*dir_, docs);
  for (int i = 0; i < 3; ++i) {
    auto r = testing::VerifyText(*v, Sealed(made, {}, {}, online_der_));
    ASSERT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
    EXPECT_NE(r.check(CheckId::kSeal).message.find("OCSP response by 'CN=Seal CA,O=Test,C=BE' of " + FormatUtc(now_ - kDay) +
                                                   " (fetched)"),
              std::string::npos)
        << Describe(r);
    EXPECT_EQ(r.seal_details().certificate_status_origin, "online");
  }
  ASSERT_EQ(docs->asked.size(), 1u);
  ASSERT_EQ(docs->validated.size(), 1u);
  // The request in the URL asks about this certificate.
  std::string encoded = docs->asked[0].substr(std::string("http://ocsp.ca.example/").size()), b64;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%') {
      b64 += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      b64 += encoded[i];
    }
  }
  const std::string der = Base64Decode(b64).value();
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  OCSP_REQUEST* req = d2i_OCSP_REQUEST(nullptr, &p, static_cast<long>(der.size()));
  ASSERT_NE(req, nullptr);
  ASSERT_EQ(OCSP_request_onereq_count(req), 1);
  ASN1_INTEGER* serial = nullptr;
  OCSP_id_get0_info(nullptr, nullptr, nullptr, &serial, OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, 0)));
  EXPECT_EQ(ASN1_INTEGER_get(serial), kOnlineSerial);
  OCSP_REQUEST_free(req);
}

TEST_F(CertificateStatusTest, OnlineTheCrlDistributionPointWhenNoResponderAnswers) {
  const UnixSeconds made = now_ - 10 * kDay;
  auto docs = std::make_shared<FakeDocuments>();
  docs->by_prefix["http://crl.ca.example/ca.crl"] =
      ca_->IssueCrl({{kOnlineSerial, made - kDay, kKeyCompromise}}, now_ - kDay, now_ + 30 * kDay).value();
  auto r = testing::VerifyText(*OnlineVerifier(*dir_, docs), Sealed(made, {}, {}, online_der_));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "certificate_revoked") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("by the CRL of 'CN=Seal CA,O=Test,C=BE' of " + FormatUtc(now_ - kDay) +
                                                 " (fetched from http://crl.ca.example/ca.crl)"),
            std::string::npos)
      << Describe(r);
  ASSERT_EQ(docs->asked.size(), 2u);  // the responder first, then the CRL
  EXPECT_TRUE(docs->asked[0].starts_with("http://ocsp.ca.example/"));
  // Nothing answers: the reason is named.
  auto none = testing::VerifyText(*OnlineVerifier(*dir_, std::make_shared<FakeDocuments>()), Sealed(made, {}, {}, online_der_));
  EXPECT_EQ(none.check(CheckId::kSeal).code, "certificate_status_unavailable") << Describe(none);
  EXPECT_NE(none.check(CheckId::kSeal).message.find("nothing at http://crl.ca.example/ca.crl"), std::string::npos)
      << Describe(none);
  // Embedded evidence that settles the status is not second-guessed online.
  auto quiet = std::make_shared<FakeDocuments>();
  const std::string ocsp = ca_->OcspResponse(*online_der_, nullptr, made, made + 7 * kDay).value();
  EXPECT_EQ(testing::VerifyText(*OnlineVerifier(*dir_, quiet), Sealed(made, {}, {ocsp}, online_der_))
                .check(CheckId::kSeal)
                .outcome,
            Outcome::kPass);
  EXPECT_TRUE(quiet->asked.empty());
}

// The ELM samples carry the real OCSP response of ANF's delegated responder for
// the seal certificate, made at the signing time, and a CRL of DSS's test TSA CA.
TEST(RealCertificateStatus, TheElmSamplesCarryAGoodOcspResponse) {
  for (const char* file : {"elm-sample-mc-annex1-signed.jsonld", "elm-sample-certofpart-signed.jsonld"}) {
    const std::string text = testing::ReadTestData(std::string("edc/upstream/") + file);
    testing::VerifierSpec spec;
    spec.anchor_pem_files.push_back(testing::TestData("edc/anchors/anf-ac-qualified-eseal-ca.pem"));
    spec.at = "2023-10-01T00:00:00Z";
    VerifierOptions o = testing::MakeVerifier(spec)->options();
    o.certificate_status = CertificateStatusPolicy::kRequire;
    auto r = testing::VerifyText(Verifier(o), text);
    ASSERT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << file << ": " << Describe(r);
    EXPECT_NE(r.check(CheckId::kSeal).message.find("not revoked at 2023-09-27T"), std::string::npos) << Describe(r);
    EXPECT_NE(r.check(CheckId::kSeal).message.find("by 'CN=ANF AC Qualified Certificates for eSeal Responder 1468,"),
              std::string::npos)
        << Describe(r);
    EXPECT_EQ(r.seal_details().certificate_status_source, "ocsp");
  }
}

}  // namespace
}  // namespace credsweep
