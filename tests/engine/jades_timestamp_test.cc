// JAdES timestamps (RFC 3161 TimeStampTokens) on X.509 seals: tokens made in the
// test by a TSA of its own (OpenSSL's TS responder, genTime chosen), and the real
// DSS-made tokens of the Europass ELM samples, whose message imprints pin what
// adoTst and sigTst cover.
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <openssl/ts.h>
#include <unistd.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "engine/encoding.h"
#include "engine/json_escape.h"
#include "engine/signer.h"
#include "engine/timestamp_authorities.h"
#include "engine/trusted_services.h"
#include "engine/verifier.h"
#include "io/report/result_json.h"
#include "tests/testutil.h"
#include "tools/certificate_authority.h"

namespace credsweep {
namespace {

using testing::Describe;

constexpr const char* kAt = "2026-06-01T00:00:00Z";

std::string Q(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

std::string MakeToken(const PrivateKey& key, const std::string& cert_der, std::string_view data, UnixSeconds gen_time) {
  auto token = MakeTimestampToken(key, cert_der, data, gen_time);
  EXPECT_TRUE(token.ok()) << token.status().message();
  return token.ok() ? *token : std::string();
}

class Timestamps : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    now_ = *ParseDateTimeStamp(kAt);
    CertificateSpec root{"Seal Root", "Test", "", "BE", now_ - 1000 * 86400, now_ + 1000 * 86400, true};
    ca_ = CertificateAuthority::Create(root).value().release();
    seal_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    // The seal certificate expired 30 days before the verification time.
    CertificateSpec leaf{"Seal", "Issuing Body", "VATBE-0000000097", "BE", now_ - 400 * 86400, now_ - 30 * 86400, false};
    seal_der_ = new std::string(ca_->Issue(*seal_, leaf, 10).value());
    CertificateSpec tsa_root{"TSA Root", "Time", "", "BE", now_ - 1000 * 86400, now_ + 1000 * 86400, true};
    tsa_ca_ = CertificateAuthority::Create(tsa_root).value().release();
    tsa_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    CertificateSpec tsa{"Good TSA", "Time", "", "BE", now_ - 900 * 86400, now_ + 900 * 86400, false};
    tsa.extended_key_usage = "critical,timeStamping";
    tsa_der_ = new std::string(tsa_ca_->Issue(*tsa_, tsa, 20).value());
    dir_ = new std::string(::testing::TempDir() + "/timestamps-" + std::to_string(::getpid()));
    std::ofstream(*dir_ + "-seal.pem") << ca_->pem();
    std::ofstream(*dir_ + "-tsa.pem") << tsa_ca_->pem();
  }

  static void TearDownTestSuite() {
    std::remove((*dir_ + "-seal.pem").c_str());
    std::remove((*dir_ + "-tsa.pem").c_str());
  }

  // trusted_tsa: --tsa-ca names the TSA root.
  std::unique_ptr<Verifier> V(bool trusted_tsa, SigningTimePolicy policy = SigningTimePolicy::kProven) {
    testing::VerifierSpec spec;
    spec.anchor_pem_files.push_back(*dir_ + "-seal.pem");
    spec.at = kAt;
    auto v = testing::MakeVerifier(spec);
    VerifierOptions o = v->options();
    if (trusted_tsa) {
      auto tsa = std::make_shared<TimestampAuthorities>();
      EXPECT_TRUE(tsa->AddAnchorsPemFile(*dir_ + "-tsa.pem").ok());
      o.timestamp_authorities = tsa;
    }
    o.signing_time = policy;
    return std::make_unique<Verifier>(o);
  }

  static std::string Payload() {
    return R"({"@context":["https://www.w3.org/2018/credentials/v1"],"id":"urn:uuid:7","type":["VerifiableCredential"],"issuer":{"id":"https://uni.example","eIDASIdentifier":{"notation":"VATBE-0000000097"}},"issuanceDate":"2025-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"}})";
  }

  // A JAdES (b64:false) seal made at `sig_t` by the expired seal certificate, with
  // a content timestamp made at `ado` and a signature timestamp made at `sig`
  // (0: none); `tamper` changes the signature timestamp's data.
  std::string Sealed(UnixSeconds sig_t, UnixSeconds ado, UnixSeconds sig, const std::string& tamper = "") {
    const std::string payload = Payload();
    std::string header = R"({"alg":"ES256","b64":false,"crit":["b64","sigT")" + std::string(ado ? R"(,"adoTst"])" : "]") +
                         R"(,"sigT":")" + FormatUtc(sig_t) + R"(","typ":"jose+json","x5c":[")" + Base64Encode(*seal_der_) +
                         "\"]";
    if (ado) header += R"(,"adoTst":{"tstTokens":[{"val":")" + Base64Encode(MakeToken(*tsa_, *tsa_der_, payload, ado)) + "\"}]}";
    header += "}";
    const std::string protected64 = Base64UrlEncode(header);
    const std::string signature64 = Base64UrlEncode(seal_->Sign(protected64 + "." + payload).value());
    std::string out = R"({"payload":)" + Q(payload) + R"(,"protected":")" + protected64 + "\"";
    if (sig) {
      const std::string token = MakeToken(*tsa_, *tsa_der_, signature64 + tamper, sig);
      out += R"(,"header":{"etsiU":[")" + Base64UrlEncode(R"({"sigTst":{"tstTokens":[{"val":")" + Base64Encode(token) +
                                                          "\"}]}}") +
             "\"]}";
    }
    return out + R"(,"signature":")" + signature64 + "\"}";
  }

  // A JAdES seal by the seal certificate whose protected header carries `extra`
  // members (after x5c), `crit` naming `crit_extra` too, and etsiU `etsi_u` entries
  // (JSON texts, base64url-encoded here).
  std::string SealedWith(const std::string& extra, const std::string& crit_extra,
                         const std::vector<std::string>& etsi_u = {}) {
    const std::string payload = Payload();
    const std::string header = R"({"alg":"ES256","b64":false,"crit":["b64","sigT")" + crit_extra + R"(],"sigT":")" +
                               FormatUtc(now_ - 100 * 86400) + R"(","typ":"jose+json","x5c":[")" +
                               Base64Encode(*seal_der_) + "\"]" + extra + "}";
    const std::string protected64 = Base64UrlEncode(header);
    const std::string signature64 = Base64UrlEncode(seal_->Sign(protected64 + "." + payload).value());
    std::string out = R"({"payload":)" + Q(payload) + R"(,"protected":")" + protected64 + "\"";
    if (!etsi_u.empty()) {
      out += R"(,"header":{"etsiU":[)";
      for (size_t i = 0; i < etsi_u.size(); ++i) out += (i ? ",\"" : "\"") + Base64UrlEncode(etsi_u[i]) + "\"";
      out += "]}";
    }
    return out + R"(,"signature":")" + signature64 + "\"}";
  }
  static std::string Ref(std::string_view der) {
    return R"({"digAlg":"S256","digVal":")" + Base64UrlEncode(Sha256Of(der)) + "\"}";
  }
  static std::string Sha256Of(std::string_view data) {
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d);
    return std::string(reinterpret_cast<char*>(d), sizeof d);
  }

  static inline UnixSeconds now_;
  static inline CertificateAuthority *ca_, *tsa_ca_;
  static inline PrivateKey *seal_, *tsa_;
  static inline std::string *seal_der_, *tsa_der_, *dir_;
};

TEST_F(Timestamps, ATrustedSignatureTimestampProvesTheSigningTime) {
  const UnixSeconds made = now_ - 60 * 86400;  // while the certificate was valid
  auto r = testing::VerifyText(*V(true), Sealed(made, made - 10, made + 5));
  EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  const std::string& m = r.check(CheckId::kSeal).message;
  EXPECT_NE(m.find("at signing time " + FormatUtc(made + 5) + ", proven by a signature timestamp of 'CN=Good TSA,O=Time,C=BE'"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("after the proven signing time"), std::string::npos) << m;
  EXPECT_NE(m.find("content timestamp (adoTst) " + FormatUtc(made - 10)), std::string::npos) << m;
  // The result carries the time the certificate was judged at and who proves it.
  EXPECT_EQ(r.seal_details().signing_time, made + 5);
  EXPECT_EQ(r.seal_details().time_basis, "proven");
  EXPECT_EQ(r.seal_details().time_authority, "CN=Good TSA,O=Time,C=BE");
  std::string json;
  io::AppendResultJson(r, r.verified(), &json);
  EXPECT_NE(json.find(R"("signing_time":")" + FormatUtc(made + 5) +
                      R"(","signing_time_basis":"proven","timestamp_authority":"CN=Good TSA,O=Time,C=BE")"),
            std::string::npos)
      << json;
}

TEST_F(Timestamps, AnUntrustedTimestampProvesNothing) {
  const UnixSeconds made = now_ - 60 * 86400;
  auto r = testing::VerifyText(*V(false), Sealed(made, 0, made + 5));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "certificate_expired") << Describe(r);
  // ... but it verified: with the claimed time the seal stands, naming why it is not proof.
  auto claimed = testing::VerifyText(*V(false, SigningTimePolicy::kClaimed), Sealed(made, 0, made + 5));
  EXPECT_EQ(claimed.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(claimed);
  EXPECT_NE(claimed.check(CheckId::kSeal).message.find("(not trusted: no timestamp authority is trusted (--tsa-ca))"),
            std::string::npos)
      << Describe(claimed);
  EXPECT_EQ(claimed.seal_details().signing_time, made);
  EXPECT_EQ(claimed.seal_details().time_basis, "claimed");
  EXPECT_EQ(claimed.seal_details().time_authority, "");
  std::string json;
  io::AppendResultJson(claimed, claimed.verified(), &json);
  EXPECT_NE(json.find(R"("signing_time":")" + FormatUtc(made) + R"(","signing_time_basis":"claimed","certificate_status":"unknown")"), std::string::npos)
      << json;
  // A seal that failed reports no time.
  auto expired = testing::VerifyText(*V(false), Sealed(made, 0, made + 5));
  EXPECT_FALSE(expired.seal_details().signing_time);
}

// A qualified timestamp service of an EU trusted list (TSA/QTST, granted at the
// timestamp's time) is trusted without --tsa-ca.
TEST_F(Timestamps, AQualifiedTimestampServiceOfTheTrustedListsIsTrusted) {
  const UnixSeconds made = now_ - 60 * 86400;
  auto with_service = [&](std::string type, UnixSeconds granted_from) {
    TrustedService qtst;
    qtst.territory = "BE";
    qtst.provider = "Time";
    qtst.name = "Qualified Time";
    qtst.certificates = {*tsa_der_};
    ServiceStatusPeriod p;
    p.type = std::move(type);
    p.status = std::string(kStatusGranted);
    p.from = granted_from;
    qtst.history = {p};
    VerifierOptions o = V(false)->options();
    std::vector<TrustedService> services;
    services.push_back(std::move(qtst));
    o.trusted_services = std::make_shared<TrustedServiceSet>(std::move(services));
    return testing::VerifyText(Verifier(o), Sealed(made, 0, made + 5));
  };
  auto r = with_service(std::string(kServiceTypeQtst), made - 86400);
  EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("a qualified timestamp service of the BE trusted list ('Qualified Time')"),
            std::string::npos)
      << Describe(r);
  // Granted only after the timestamp was made, or not a timestamp service: proves nothing.
  EXPECT_EQ(with_service(std::string(kServiceTypeQtst), made + 86400).check(CheckId::kSeal).code, "certificate_expired");
  EXPECT_EQ(with_service(std::string(kServiceTypeCaQc), made - 86400).check(CheckId::kSeal).code, "certificate_expired");
}

TEST_F(Timestamps, ATimestampOverOtherDataIsInvalid) {
  const UnixSeconds made = now_ - 60 * 86400;
  for (bool trusted : {true, false}) {
    auto r = testing::VerifyText(*V(trusted), Sealed(made, 0, made + 5, "x"));
    EXPECT_EQ(r.check(CheckId::kSeal).code, "timestamp_invalid") << Describe(r);
    EXPECT_NE(r.check(CheckId::kSeal).message.find("signature timestamp (sigTst): the timestamp's message imprint "
                                                   "does not match"),
              std::string::npos)
        << Describe(r);
  }
}

TEST_F(Timestamps, TimesThatContradictTheClaimedSigningTimeAreInvalid) {
  const UnixSeconds made = now_ - 60 * 86400;
  // The signature timestamped before the time the sealer claims to have sealed.
  auto early = testing::VerifyText(*V(true), Sealed(made, 0, made - 3600));
  EXPECT_EQ(early.check(CheckId::kSeal).code, "timestamp_invalid") << Describe(early);
  EXPECT_NE(early.check(CheckId::kSeal).message.find("is later than the signature timestamp (sigTst)"), std::string::npos);
  // The content timestamped after it was sealed.
  auto late = testing::VerifyText(*V(true), Sealed(made, made + 3600, 0));
  EXPECT_EQ(late.check(CheckId::kSeal).code, "timestamp_invalid") << Describe(late);
  EXPECT_NE(late.check(CheckId::kSeal).message.find("cannot be timestamped after it was sealed"), std::string::npos);
  // Within the clock skew both stand.
  auto near = testing::VerifyText(*V(true), Sealed(made, made + 30, made - 30));
  EXPECT_EQ(near.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(near);
}

TEST_F(Timestamps, ATokenThatIsNotATimestampIsInvalid) {
  const UnixSeconds made = now_ - 60 * 86400;
  std::string text = Sealed(made, 0, made + 5);
  // Replace the signature timestamp with a DER SEQUENCE that is no token.
  const size_t at = text.find("\"etsiU\":[\"") + 10;
  text.replace(at, text.find('"', at) - at, Base64UrlEncode(R"({"sigTst":{"tstTokens":[{"val":"MAA="}]}})"));
  auto r = testing::VerifyText(*V(true), text);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "timestamp_invalid") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("not an RFC 3161 TimeStampToken"), std::string::npos);
}

// The Europass ELM samples carry DSS-made timestamps: adoTst over the payload as
// it appears in the JWS (b64:false: the raw JSON), sigTst over the base64url
// signature. Their TSA is DSS's test PKI (tests/testdata/edc/anchors/dss-test-tsa-root-ca.pem).
TEST(RealTimestamps, TheElmSamplesTimestampsVerify) {
  for (const char* file : {"elm-sample-mc-annex1-signed.jsonld", "elm-sample-certofpart-signed.jsonld"}) {
    const std::string text = testing::ReadTestData(std::string("edc/upstream/") + file);
    testing::VerifierSpec spec;
    spec.anchor_pem_files.push_back(testing::TestData("edc/anchors/anf-ac-qualified-eseal-ca.pem"));
    spec.at = "2023-10-01T00:00:00Z";  // the TSA certificate expired on 2023-12-13
    auto untrusted = testing::MakeVerifier(spec);
    auto r = testing::VerifyText(*untrusted, text);
    EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
    EXPECT_NE(r.check(CheckId::kSeal).message.find("at claimed signing time 2023-09-27T"), std::string::npos)
        << Describe(r);
    EXPECT_NE(r.check(CheckId::kSeal).message.find("content timestamp (adoTst) 2023-09-27T"), std::string::npos)
        << Describe(r);
    VerifierOptions o = untrusted->options();
    auto tsa = std::make_shared<TimestampAuthorities>();
    ASSERT_TRUE(tsa->AddAnchorsPemFile(testing::TestData("edc/anchors/dss-test-tsa-root-ca.pem")).ok());
    o.timestamp_authorities = tsa;
    auto proven = testing::VerifyText(Verifier(o), text);
    EXPECT_EQ(proven.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(proven);
    EXPECT_NE(proven.check(CheckId::kSeal).message.find("proven by a signature timestamp of 'C=LU,OU=PKI-TEST,O=Nowina Solutions,CN=good-tsa'"),
              std::string::npos)
        << Describe(proven);
    // The TSA's own certificate is judged at the verification time: once it has
    // expired, its timestamps prove nothing (no long-term validation yet).
    o.at = *ParseDateTimeStamp("2024-06-01T00:00:00Z");
    auto later = testing::VerifyText(Verifier(o), text);
    EXPECT_EQ(later.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(later);
    EXPECT_NE(later.check(CheckId::kSeal).message.find("at claimed signing time"), std::string::npos) << Describe(later);
    EXPECT_NE(later.check(CheckId::kSeal).message.find("certificate has expired"), std::string::npos) << Describe(later);
  }
}

// `verify --tsa-ca FILE` through the real binary.
TEST(RealTimestamps, TsaCaNamesTheTrustedTimestampAuthorities) {
  const std::string out = ::testing::TempDir() + "/tsa-ca-" + std::to_string(::getpid()) + ".jsonl";
  const std::string cmd = std::string(CREDSWEEP_BINARY) + " verify " +
                          testing::TestData("edc/upstream/elm-sample-mc-annex1-signed.jsonld") + " --ca " +
                          testing::TestData("edc/anchors/anf-ac-qualified-eseal-ca.pem") +
                          " --trust-any-configured-key --at 2023-10-01T00:00:00Z -q -o " + out + " --tsa-ca ";
  ASSERT_EQ(std::system((cmd + testing::TestData("edc/anchors/dss-test-tsa-root-ca.pem")).c_str()), 0);
  EXPECT_NE(testing::ReadFile(out).find("proven by a signature timestamp of"), std::string::npos);
  EXPECT_NE(WEXITSTATUS(std::system((cmd + "/nonexistent.pem 2>/dev/null").c_str())), 0);
  std::remove(out.c_str());
}

}  // namespace
}  // namespace credsweep

namespace credsweep {
namespace {

// JAdES sigX5ts (TS 119 182-1 5.2.2.3): it must name the signing certificate, and
// no certificate the seal carries that is off its certificate path; a reference to
// a certificate neither holds is said to be unchecked.
TEST_F(Timestamps, SigX5tsNamesTheSignerAndNoCarriedCertificateOffThePath) {
  auto v = V(false, SigningTimePolicy::kClaimed);
  auto sealed = [&](const std::string& refs, const std::vector<std::string>& etsi_u = {}) {
    return testing::VerifyText(*v, SealedWith(R"(,"sigX5ts":[)" + refs + "]", R"(,"sigX5ts")", etsi_u));
  };
  auto signer_and_root = sealed(Ref(*seal_der_) + "," + Ref(ca_->der()));
  EXPECT_EQ(signer_and_root.check(CheckId::kSeal).outcome, Outcome::kPass) << testing::Describe(signer_and_root);

  auto root_only = sealed(Ref(ca_->der()));
  EXPECT_EQ(root_only.check(CheckId::kSeal).code, "x5t_mismatch") << testing::Describe(root_only);
  EXPECT_NE(root_only.check(CheckId::kSeal).message.find("does not name the signing certificate"), std::string::npos);

  // The TSA certificate, carried in xVals, is on no path of this seal.
  const std::string xvals = R"({"xVals":[{"x509Cert":")" + Base64Encode(*tsa_der_) + "\"}]}";
  auto carried = sealed(Ref(*seal_der_) + "," + Ref(*tsa_der_), {xvals});
  EXPECT_EQ(carried.check(CheckId::kSeal).code, "x5t_mismatch") << testing::Describe(carried);
  EXPECT_NE(carried.check(CheckId::kSeal).message.find("a certificate the seal carries that is not on its certificate path"),
            std::string::npos);

  auto unknown = sealed(Ref(*seal_der_) + "," + Ref("a certificate nobody has"));
  EXPECT_EQ(unknown.check(CheckId::kSeal).outcome, Outcome::kPass) << testing::Describe(unknown);
  EXPECT_NE(unknown.check(CheckId::kSeal).message.find(
                "1 sigX5ts reference(s) to certificates neither on the validated path nor carried by the seal, not checked"),
            std::string::npos)
      << testing::Describe(unknown);
}

// Each timestamp token is a signature check, so one signature may carry at most 64.
TEST_F(Timestamps, MoreThan64TimestampTokensAreMalformed) {
  auto v = V(true, SigningTimePolicy::kClaimed);
  std::string tokens;
  const std::string one = R"({"val":")" + Base64Encode(MakeToken(*tsa_, *tsa_der_, "x", now_ - 50 * 86400)) + "\"}";
  for (int i = 0; i < 65; ++i) tokens += (i ? "," : "") + one;
  auto r = testing::VerifyText(*v, SealedWith("", "", {R"({"sigTst":{"tstTokens":[)" + tokens + "]}}"}));
  EXPECT_EQ(r.check(CheckId::kFormat).code, "malformed_jws") << testing::Describe(r);
  EXPECT_NE(r.check(CheckId::kFormat).message.find("more than 64 timestamp tokens"), std::string::npos);
  // Many references and many validation-data timestamps stay linear in memory: 64
  // rfsTst tokens over 20,000 xRefs entries (about 1.5 MB of etsiU).
  std::vector<std::string> etsi_u(20000, R"({"xRefs":[]})");
  std::string rfs;
  for (int i = 0; i < 64; ++i) rfs += (i ? "," : "") + std::string(R"({"val":"MA=="})");
  etsi_u.push_back(R"({"rfsTst":{"tstTokens":[)" + rfs + "]}}");
  auto big = testing::VerifyText(*v, SealedWith("", "", etsi_u));
  EXPECT_EQ(big.check(CheckId::kSeal).code, "timestamp_invalid") << testing::Describe(big);
}

}  // namespace
}  // namespace credsweep
