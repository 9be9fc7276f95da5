// JWS JSON serialization (general and flattened, b64 true and false) with x5c
// chains from a generated CA: every chain and header rule gets its own case.
#include <gtest/gtest.h>

#include <cstdio>

#include <unistd.h>

#include <fstream>

#include "tools/certificate_authority.h"
#include "engine/encoding.h"
#include "engine/json_escape.h"
#include "engine/signer.h"
#include "engine/verifier.h"
#include "io/report/result_json.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

constexpr const char* kAt = "2026-06-01T00:00:00Z";

std::string Q(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

class JwsJson : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    now_ = *ParseDateTimeStamp(kAt);
    CertificateSpec root{"Test Root", "Test", "", "BE", now_ - 1000 * 86400, now_ + 1000 * 86400, true};
    ca_ = CertificateAuthority::Create(root).value().release();
    seal_ = PrivateKey::Generate(JwsAlg::kRS256).value().release();
    CertificateSpec leaf{"Seal", "Issuing Body", "VATBE-0000000097", "BE", now_ - 100 * 86400,
                         now_ + 100 * 86400, false};
    leaf_der_ = new std::string(ca_->Issue(*seal_, leaf, 10).value());
    leaf.is_ca = true;  // keyCertSign only: unfit for sealing
    unfit_der_ = new std::string(ca_->Issue(*seal_, leaf, 11).value());
    ca_pem_ = new std::string(::testing::TempDir() + "/jws-json-ca-" + std::to_string(::getpid()) + ".pem");
    std::ofstream(*ca_pem_) << ca_->pem();
  }

  static void TearDownTestSuite() { std::remove(ca_pem_->c_str()); }

  std::unique_ptr<Verifier> V(bool with_anchor = true) {
    testing::VerifierSpec spec;
    if (with_anchor) spec.anchor_pem_files.push_back(*ca_pem_);
    spec.at = kAt;
    return testing::MakeVerifier(spec);
  }

  static std::string Payload() {
    return R"({"@context":["https://www.w3.org/2018/credentials/v1"],"id":"urn:uuid:7","type":["VerifiableCredential"],"issuer":{"id":"https://uni.example","eIDASIdentifier":{"notation":"VATBE-0000000097"}},"issuanceDate":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"}})";
  }

  // Protected header with x5c = `der`, signing time `sig_t`.
  static std::string Header(const std::string& der, const std::string& sig_t, bool b64 = false,
                            const std::string& extra = "") {
    std::string h = R"({"alg":"RS256",)" + std::string(b64 ? "" : R"("b64":false,"crit":["b64","sigT"],)") +
                    R"("sigT":")" + sig_t + R"(","typ":"jose+json","x5c":[")" + Base64Encode(der) +
                    R"("],"x5t#S256":")" + Base64UrlEncode(CertificateSha256(der)) + "\"" + extra + "}";
    if (b64) h.replace(h.find("\"sigT\""), 0, R"("crit":["sigT"],)");
    return h;
  }

  struct Sig {
    std::string protected64, signature64, header = "";
  };
  static Sig SignWith(const PrivateKey& key, const std::string& header, const std::string& payload_in_input) {
    Sig s;
    s.protected64 = Base64UrlEncode(header);
    s.signature64 = Base64UrlEncode(key.Sign(s.protected64 + "." + payload_in_input).value());
    return s;
  }
  static std::string General(const std::string& payload_member, const std::vector<Sig>& sigs) {
    std::string out = R"({"payload":)" + Q(payload_member) + R"(,"signatures":[)";
    for (size_t i = 0; i < sigs.size(); ++i) {
      if (i) out += ",";
      out += R"({"protected":")" + sigs[i].protected64 + "\"";
      if (!sigs[i].header.empty()) out += R"(,"header":)" + sigs[i].header;
      out += R"(,"signature":")" + sigs[i].signature64 + "\"}";
    }
    return out + "]}";
  }
  std::string Sealed(const std::string& header) {
    return General(Payload(), {SignWith(*seal_, header, Payload())});
  }

  static inline UnixSeconds now_;
  static inline CertificateAuthority* ca_;
  static inline PrivateKey* seal_;
  static inline std::string* leaf_der_;
  static inline std::string* unfit_der_;
  static inline std::string* ca_pem_;
};

TEST_F(JwsJson, UnencodedPayloadWithChainVerifies) {
  auto r = testing::VerifyText(*V(), Sealed(Header(*leaf_der_, "2026-05-01T00:00:00Z")));
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("VATBE-0000000097"), std::string::npos);
}

TEST_F(JwsJson, FlattenedAndBase64PayloadVerify) {
  std::string h = Header(*leaf_der_, "2026-05-01T00:00:00Z", /*b64=*/true);
  std::string p64 = Base64UrlEncode(Payload());
  Sig s = SignWith(*seal_, h, p64);
  std::string flattened = R"({"payload":")" + p64 + R"(","protected":")" + s.protected64 +
                          R"(","signature":")" + s.signature64 + "\"}";
  auto r = testing::VerifyText(*V(), flattened);
  EXPECT_TRUE(r.verified()) << Describe(r);
}

TEST_F(JwsJson, EverySignatureOfAGeneralSerializationMustVerify) {
  std::string h = Header(*leaf_der_, "2026-05-01T00:00:00Z");
  Sig good = SignWith(*seal_, h, Payload());
  Sig bad = good;
  bad.signature64 = Base64UrlEncode(seal_->Sign(good.protected64 + ".other").value());
  auto both = testing::VerifyText(*V(), General(Payload(), {good, good}));
  EXPECT_TRUE(both.verified()) << Describe(both);
  EXPECT_FALSE(both.seal_level().empty()) << Describe(both);
  EXPECT_TRUE(both.seal_details().signing_time.has_value());
  auto r = testing::VerifyText(*V(), General(Payload(), {good, bad}));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "signature_invalid") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("signature 2 of 2"), std::string::npos);
  // The first signature's level is not reported for a seal that failed on the second.
  EXPECT_EQ(r.seal_level(), "") << Describe(r);
  EXPECT_FALSE(r.seal_details().signing_time.has_value());
  std::string line;
  io::AppendResultJson(r, r.verified(), &line);
  EXPECT_EQ(line.find("\"level\""), std::string::npos) << line;
}

TEST_F(JwsJson, ChainRules) {
  EXPECT_EQ(testing::VerifyText(*V(false), Sealed(Header(*leaf_der_, "2026-05-01T00:00:00Z")))
                .check(CheckId::kSeal).code, "chain_untrusted");
  // A claimed signing time after the verification time; one before the seal
  // certificate started.
  auto late = testing::VerifyText(*V(), Sealed(Header(*leaf_der_, "2026-12-01T00:00:00Z")));
  EXPECT_EQ(late.check(CheckId::kSeal).code, "signing_time_in_future") << Describe(late);
  auto early = testing::VerifyText(*V(), Sealed(Header(*leaf_der_, "2025-01-01T00:00:00Z")));
  EXPECT_EQ(early.check(CheckId::kSeal).code, "certificate_not_yet_valid") << Describe(early);
  auto unfit = testing::VerifyText(*V(), Sealed(Header(*unfit_der_, "2026-05-01T00:00:00Z")));
  EXPECT_EQ(unfit.check(CheckId::kSeal).code, "certificate_not_for_sealing") << Describe(unfit);
}

// An expired seal certificate seals nothing on the sealer's word alone: a claimed
// sigT inside its validity does not help unless the claim is trusted by name.
TEST_F(JwsJson, ExpiredCertificateNeedsMoreThanAClaimedSigningTime) {
  CertificateSpec old{"Old Seal", "Issuing Body", "VATBE-0000000097", "BE", now_ - 400 * 86400,
                      now_ - 30 * 86400, false};
  std::string der = ca_->Issue(*seal_, old, 20).value();
  std::string sealed = Sealed(Header(der, "2026-02-01T00:00:00Z"));
  auto r = testing::VerifyText(*V(), sealed);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "certificate_expired") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("2026-02-01T00:00:00Z"), std::string::npos) << Describe(r);
  EXPECT_FALSE(r.verified());

  VerifierOptions o = V()->options();
  o.signing_time = SigningTimePolicy::kClaimed;
  Verifier claimed(o);
  auto c = testing::VerifyText(claimed, sealed);
  EXPECT_TRUE(c.verified()) << Describe(c);
  EXPECT_NE(c.check(CheckId::kSeal).message.find("claimed"), std::string::npos) << Describe(c);
}

// A certificate valid only in the future cannot be used by claiming a future sigT.
TEST_F(JwsJson, FutureCertificateWithFutureSigningTimeFails) {
  CertificateSpec future{"Future Seal", "Issuing Body", "", "BE", now_ + 600 * 86400, now_ + 900 * 86400, false};
  std::string der = ca_->Issue(*seal_, future, 21).value();
  auto r = testing::VerifyText(*V(), Sealed(Header(der, "2028-09-01T00:00:00Z")));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "signing_time_in_future") << Describe(r);
}

struct LeafShape {
  const char* name;
  const char* key_usage;
  const char* eku;
  bool qc_eseal;
  const char* code;  // expected seal code
};

class LeafShapes : public JwsJson, public ::testing::WithParamInterface<LeafShape> {};

TEST_P(LeafShapes, DecideWhetherTheCertificateMaySeal) {
  CertificateSpec leaf{"Shaped Seal", "Issuing Body", "", "BE", now_ - 86400, now_ + 86400, false};
  leaf.key_usage = GetParam().key_usage;
  leaf.extended_key_usage = GetParam().eku;
  leaf.qc_type_eseal = GetParam().qc_eseal;
  static long serial = 100;
  std::string der = ca_->Issue(*seal_, leaf, ++serial).value();
  auto r = testing::VerifyText(*V(), Sealed(Header(der, "2026-05-31T00:00:00Z")));
  EXPECT_EQ(r.check(CheckId::kSeal).code, GetParam().code) << Describe(r);
}

INSTANTIATE_TEST_SUITE_P(
    Eku, LeafShapes,
    ::testing::Values(
        LeafShape{"tls_server_only", "", "serverAuth", false, "certificate_not_for_sealing"},
        LeafShape{"email_only", "", "emailProtection", false, "certificate_not_for_sealing"},
        LeafShape{"no_key_usage", "none", "", false, "certificate_not_for_sealing"},
        LeafShape{"key_encipherment_only", "critical,keyEncipherment", "", false, "certificate_not_for_sealing"},
        LeafShape{"tls_server_with_qc_eseal_still_needs_key_usage", "critical,keyEncipherment", "serverAuth", true,
                  "certificate_not_for_sealing"},
        LeafShape{"no_eku", "", "", false, "ok"},
        LeafShape{"document_signing", "", "1.3.6.1.5.5.7.3.36", false, "ok"},
        LeafShape{"any_eku", "", "anyExtendedKeyUsage", false, "ok"},
        // The real Europass seal certificates: clientAuth + emailProtection beside QcType eseal.
        LeafShape{"qualified_eseal_shape", "", "clientAuth,emailProtection", true, "ok"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(JwsJson, WeakChainsAreRefusedByName) {
  // A leaf signed with SHA-1.
  CertificateSpec sha1{"Sha1 Seal", "Issuing Body", "", "BE", now_ - 86400, now_ + 86400, false};
  sha1.signature_digest = "SHA1";
  std::string der = ca_->Issue(*seal_, sha1, 30).value();
  auto r = testing::VerifyText(*V(), Sealed(Header(der, "2026-05-31T00:00:00Z")));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "weak_certificate") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("Sha1 Seal"), std::string::npos) << Describe(r);

  // A 1024-bit RSA intermediate, and an MD5 leaf under an RSA intermediate.
  for (int bits : {1024, 2048}) {
    auto ikey = PrivateKey::Generate(JwsAlg::kRS256, bits).value();
    CertificateSpec ispec{"RSA" + std::to_string(bits) + " Intermediate", "Test", "", "BE", now_ - 86400,
                          now_ + 86400, true};
    std::string ider = ca_->Issue(*ikey, ispec, 31 + bits).value();
    auto inter = CertificateAuthority::FromKeyAndCertificate(std::move(ikey), ider);
    CertificateSpec leaf{"Leaf", "Issuing Body", "", "BE", now_ - 86400, now_ + 86400, false};
    if (bits == 2048) leaf.signature_digest = "MD5";
    std::string ldr = inter->Issue(*seal_, leaf, 40 + bits).value();
    std::string h = Header(ldr, "2026-05-31T00:00:00Z");
    h.replace(h.find("\"],\"x5t"), 0, "\",\"" + Base64Encode(ider));
    auto w = testing::VerifyText(*V(), Sealed(h));
    EXPECT_EQ(w.check(CheckId::kSeal).code, "weak_certificate") << bits << " " << Describe(w);
  }
}

// exp/nbf bind in every serialization, not only in compact JWS.
TEST_F(JwsJson, JwtClaimsBindInJsonSerialization) {
  std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://uni.example","validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"},"exp":1767225600})";
  std::string h = Header(*leaf_der_, "2026-05-01T00:00:00Z");
  auto r = testing::VerifyText(*V(), General(payload, {SignWith(*seal_, h, payload)}));
  EXPECT_EQ(r.check(CheckId::kValidity).code, "expired") << Describe(r);

  std::string huge = payload;
  huge.replace(huge.find("1767225600"), 10, "1e300");
  auto b = testing::VerifyText(*V(), General(huge, {SignWith(*seal_, h, huge)}));
  EXPECT_EQ(b.check(CheckId::kFormat).code, "bad_date") << Describe(b);
}

TEST_F(JwsJson, EverySignaturesMediaTypeIsChecked) {
  std::string h = Header(*leaf_der_, "2026-05-01T00:00:00Z");
  std::string odd = h;
  odd.replace(odd.find("jose+json"), 9, "text/html");
  auto r = testing::VerifyText(*V(), General(Payload(), {SignWith(*seal_, h, Payload()), SignWith(*seal_, odd, Payload())}));
  EXPECT_EQ(r.check(CheckId::kFormat).code, "bad_media_type") << Describe(r);
  EXPECT_NE(r.check(CheckId::kFormat).message.find("signature 2 of 2"), std::string::npos) << Describe(r);
}

TEST_F(JwsJson, ABrokenContentTimestampFailsTheSeal) {
  std::string h = Header(*leaf_der_, "2026-05-01T00:00:00Z", false, R"(,"adoTst":{"tstTokens":[{"val":"AA=="}]})");
  h.replace(h.find(R"("crit":["b64","sigT"])"), 21, R"("crit":["b64","sigT","adoTst"])");
  auto r = testing::VerifyText(*V(), Sealed(h));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "timestamp_invalid") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("content timestamp (adoTst): not an RFC 3161 TimeStampToken"),
            std::string::npos)
      << Describe(r);
  // Not a timestamp at all: malformed.
  std::string bad = Header(*leaf_der_, "2026-05-01T00:00:00Z", false, R"(,"adoTst":{"tstTokens":[]})");
  EXPECT_EQ(testing::VerifyText(*V(), Sealed(bad)).check(CheckId::kFormat).code, "malformed_jws");
}

TEST_F(JwsJson, WeakLeafKeyIsRejectedByName) {
  auto weak = PrivateKey::Generate(JwsAlg::kRS256, 1024).value();
  CertificateSpec leaf{"Weak Seal", "Issuing Body", "", "BE", now_ - 86400, now_ + 86400, false};
  std::string der = ca_->Issue(*weak, leaf, 12).value();
  auto r = testing::VerifyText(*V(), General(Payload(), {SignWith(*weak, Header(der, "2026-05-01T00:00:00Z"), Payload())}));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "key_rejected") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("2048"), std::string::npos);
}

TEST_F(JwsJson, X5tMustMatchTheLeaf) {
  std::string h = Header(*leaf_der_, "2026-05-01T00:00:00Z");
  std::string other = Base64UrlEncode(CertificateSha256(*unfit_der_));
  size_t pos = h.find("\"x5t#S256\":\"") + 12;
  h.replace(pos, other.size(), other);
  EXPECT_EQ(testing::VerifyText(*V(), Sealed(h)).check(CheckId::kSeal).code, "x5t_mismatch");
}

TEST_F(JwsJson, IntegrityRelevantParametersMustBeProtected) {
  std::string h = Header(*leaf_der_, "2026-05-01T00:00:00Z");
  Sig s = SignWith(*seal_, h, Payload());
  s.header = R"({"alg":"none"})";
  auto r = testing::VerifyText(*V(), General(Payload(), {s}));
  EXPECT_EQ(r.check(CheckId::kFormat).code, "malformed_jws") << Describe(r);
  EXPECT_FALSE(r.verified());
}

TEST_F(JwsJson, UnencodedPayloadMustBeCritical) {
  std::string h = Header(*leaf_der_, "2026-05-01T00:00:00Z");
  h.replace(h.find(R"("crit":["b64","sigT"],)"), 22, "");
  auto r = testing::VerifyText(*V(), Sealed(h));
  EXPECT_EQ(r.check(CheckId::kSeal).code, "crit_not_understood") << Describe(r);
}

TEST_F(JwsJson, SealIsCheckedEvenWhenThePayloadIsNotJson) {
  std::string h = Header(*leaf_der_, "2026-05-01T00:00:00Z");
  std::string payload = "plain text, not JSON";
  auto r = testing::VerifyText(*V(), General(payload, {SignWith(*seal_, h, payload)}));
  EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_EQ(r.check(CheckId::kFormat).code, "malformed_json");
  EXPECT_EQ(r.check(CheckId::kValidity).outcome, Outcome::kSkipped);
}

// Counter signatures (cSig) and archive timestamps (arcTst) in etsiU are not
// verified: a passing seal says so rather than take them silently.
TEST_F(JwsJson, UnverifiedCounterSignaturesAndArchiveTimestampsAreNamed) {
  Sig s = SignWith(*seal_, Header(*leaf_der_, "2026-05-01T00:00:00Z"), Payload());
  s.header = R"({"etsiU":[{"cSig":"e30.e30.c2ln"},")" + Base64UrlEncode(R"({"arcTst":{"tstTokens":[]}})") + "\"]}";
  auto r = testing::VerifyText(*V(), General(Payload(), {s}));
  ASSERT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("1 counter signature(s) (etsiU cSig) not verified"), std::string::npos)
      << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("1 archive timestamp(s) (etsiU arcTst) not verified"), std::string::npos)
      << Describe(r);
}

TEST_F(JwsJson, DuplicateMembersInTheUnprotectedHeaderAreRefused) {
  Sig s = SignWith(*seal_, Header(*leaf_der_, "2026-05-01T00:00:00Z"), Payload());
  s.header = R"({"etsiU":[],"etsiU":[]})";
  auto r = testing::VerifyText(*V(), General(Payload(), {s}));
  EXPECT_EQ(r.check(CheckId::kFormat).code, "duplicate_member") << Describe(r);
  EXPECT_NE(r.check(CheckId::kFormat).message.find("unprotected header"), std::string::npos) << Describe(r);
}

}  // namespace
}  // namespace credsweep
