// JAdES files of the EU DSS project's own tests (tests/testdata/jades-dss/README.md):
// what DSS asserts about them holds in credsweep.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "engine/encoding.h"
#include "engine/verifier.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

std::unique_ptr<Verifier> DssVerifier() {
  testing::VerifierSpec spec;
  spec.anchor_pem_files.push_back(testing::TestData("jades-dss/dss-test-root-ca-2024.pem"));
  spec.at = "2025-06-01T00:00:00Z";
  return testing::MakeVerifier(spec);
}

// JAdESLevelBWithXValsTest: no x5c; x5t#o names the signing certificate, which only
// the unsigned xVals carry.
TEST(JadesDss, TheSigningCertificateIsFoundInXValsByX5tO) {
  const std::string text = testing::ReadTestData("jades-dss/validation/jades-b-with-xvals.json");
  auto r = testing::VerifyText(*DssVerifier(), text);
  ASSERT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find(
                "RS512 signature verified with RSA key of certificate 'C=LU,OU=PKI-TEST,O=Nowina Solutions,CN=good-user'"),
            std::string::npos)
      << Describe(r);
  // The payload is plain JSON, not a credential: the format check says so, the seal stands.
  EXPECT_EQ(r.check(CheckId::kFormat).code, "not_a_credential");
}

TEST(JadesDss, AnX5tOThatNamesNoCertificateFindsNoKey) {
  std::string text = testing::ReadTestData("jades-dss/validation/jades-b-with-xvals.json");
  // The same header with another digest value.
  const size_t at = text.find("\"protected\":\"") + 13;
  const std::string header =
      R"({"alg":"RS512","cty":"json","typ":"jose+json","iat":1741078276,"x5t#o":{"digAlg":"S512","digVal":"AAAA"}})";
  text.replace(at, text.find('"', at) - at, Base64UrlEncode(header));
  auto r = testing::VerifyText(*DssVerifier(), text);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "key_not_found") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("x5t#o names a signing certificate that neither x5c nor the etsiU xVals hold"),
            std::string::npos)
      << Describe(r);
}

}  // namespace
}  // namespace credsweep

namespace credsweep {
namespace {

VerificationResult VerifyDss(const std::string& file) {
  return testing::VerifyText(*DssVerifier(), testing::ReadTestData("jades-dss/validation/" + file));
}

TEST(JadesDss, DetachedContentIsRefusedByName) {
  auto r = VerifyDss("simple-detached.json");
  EXPECT_EQ(r.check(CheckId::kSeal).code, "detached_content_unsupported") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("sigD http://uri.etsi.org/19182/ObjectIdByURIHash"), std::string::npos)
      << Describe(r);
}

// sigPId, srAts and sigX5ts in crit are understood: the seal is judged on, and
// ends at the chain (DSS's test PKI is not among the anchors here).
TEST(JadesDss, CriticalJadesHeaderParametersAreUnderstood) {
  for (const char* file : {"jades-with-asn1policy.json", "jades-with-certified.json", "jades-with-multiple-sign-cert-refs.json"}) {
    auto r = VerifyDss(file);
    EXPECT_EQ(r.check(CheckId::kSeal).code, "chain_untrusted") << file << ": " << Describe(r);
  }
}

TEST(JadesDss, CritNamingAnAbsentParameterIsRefused) {
  auto etsi_u = VerifyDss("dss2620/jades-b-level-with-etsiu-in-crit.json");
  EXPECT_EQ(etsi_u.check(CheckId::kFormat).code, "malformed_jws") << Describe(etsi_u);
  EXPECT_NE(etsi_u.check(CheckId::kFormat).message.find("crit names 'etsiU', which is absent"), std::string::npos);
  auto extra = VerifyDss("dss2620/jades-with-extra-crit-entry.json");
  EXPECT_EQ(extra.check(CheckId::kFormat).code, "malformed_jws") << Describe(extra);
  EXPECT_NE(extra.check(CheckId::kFormat).message.find("crit names 'sigPl', which is absent"), std::string::npos);
}

TEST(JadesDss, TheSealsOwnExpiryIsHonoured) {
  auto r = VerifyDss("dss2620/jades-with-expiration-time-header-in-crit.json");
  EXPECT_EQ(r.check(CheckId::kSeal).code, "signature_expired") << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("the seal's own expiry (exp) 2022-11-16T15:17:05Z"), std::string::npos)
      << Describe(r);
}

// Every file of DSS's JAdES validation folder, verified as DSS's own tests verify
// it: trusting DSS's test PKI (all-certs.pem, every certificate the files carry,
// and the 2024 root of jades-b-with-xvals.json), at a day after the file's signing
// time. all-certs.pem holds the seal certificates too, so chain trust is no
// question here (AnchorsRenewedUnderOneName... asks it): the table is about what
// JAdES processing makes of each file. `expect` is "check:code" (the seal's, or the format's when the record does
// not open); `dss` is what DSS's JUnit class asserts (dss-expectations.md). A row
// with a `why` is an exception: credsweep answers otherwise, for that reason.
struct DssCase {
  const char* file;
  const char* at;
  const char* expect;
  const char* dss;
  const char* why = "";
  const char* note = "";  // a part of the seal message that must be there
};

constexpr const char* kStrictCrit =
    "RFC 7515 4.1.11: crit must be a non-empty array of names present in the protected header; credsweep refuses "
    "a malformed or unfulfillable crit before any signature check, where DSS only downgrades the format to "
    "JSON_NOT_ETSI";
constexpr const char* kDetached =
    "the signed content is not in the record (sigD or no payload member): a credential is its own content, "
    "so credsweep refuses detached content by name instead of verifying against a file supplied beside it";
constexpr const char* kArcTst =
    "archive timestamps (arcTst) are not verified: their imprint needs the JAdES canonicalisation of every "
    "etsiU entry; the seal message names them as not verified, and the signature and its sigTst stand";
constexpr const char* kClearSigTst =
    "its sigTst imprint is the digest of the raw signature bytes, not of the base64url JWS Signature Value that "
    "TS 119 182-1 5.3.4 prescribes (and DSS's own imprint builder uses); DSS asserts nothing about this file's "
    "validity (only conversion)";
constexpr const char* kCounter = "counter signature(s) (etsiU cSig) not verified";

const DssCase kDssCases[] = {
    {"altered-jws.json", "2020-06-16T06:21:48Z", "seal:signature_invalid", "signature not intact"},
    {"double-lta-in-container.json", "2021-01-26T10:22:13Z", "seal:ok", "valid, 1 sigTst + 2 arcTst", "",
     "archive timestamp(s) (etsiU arcTst) not verified"},
    {"dss2620/jades-b-level-with-etsiu-in-crit.json", "2021-11-18T10:38:50Z", "format:malformed_jws",
     "valid, JSON_NOT_ETSI", kStrictCrit},
    {"dss2620/jades-t-level-with-etsiu-in-crit.json", "2021-11-18T10:38:50Z", "format:malformed_jws",
     "valid, JSON_NOT_ETSI", kStrictCrit},
    {"dss2620/jades-with-b64-not-in-crit.json", "2021-11-18T08:31:47Z", "seal:ok", "valid, JSON_NOT_ETSI"},
    {"dss2620/jades-with-crit-string-type.json", "2021-11-17T14:25:33Z", "format:malformed_jws",
     "valid, structural error on crit", kStrictCrit},
    {"dss2620/jades-with-crit-with-duplicated-header.json", "2021-11-18T08:43:20Z", "seal:ok",
     "valid, JSON_NOT_ETSI"},
    {"dss2620/jades-with-crit-with-wrong-entry-type.json", "2021-11-17T15:07:51Z", "format:malformed_jws",
     "valid, structural error on crit", kStrictCrit},
    {"dss2620/jades-with-critical-headers-in-crit.json", "2021-11-17T14:57:07Z", "seal:crit_not_understood",
     "valid, JSON_NOT_ETSI",
     "crit lists alg, kid and other RFC 7515 parameters, which RFC 7515 4.1.11 forbids a producer to list; "
     "credsweep takes an entry it has no crit handling for as not understood"},
    {"dss2620/jades-with-empty-crit.json", "2021-11-17T14:43:29Z", "format:malformed_jws", "valid, JSON_NOT_ETSI",
     kStrictCrit},
    {"dss2620/jades-with-expiration-time-header-in-crit.json", "2021-11-17T15:17:05Z", "seal:ok",
     "valid, JSON_NOT_ETSI"},
    {"dss2620/jades-with-expiration-time-header.json", "2021-11-18T08:20:51Z", "seal:ok", "valid, baseline-B"},
    {"dss2620/jades-with-extra-crit-entry.json", "2021-11-17T15:12:41Z", "format:malformed_jws",
     "valid, JSON_NOT_ETSI (crit lists the absent sigPl)", kStrictCrit},
    {"dss2620/jades-with-notBefore-header-in-crit.json", "2025-11-07T13:22:05Z", "seal:crit_not_understood",
     "no DSS test names this file",
     "crit lists nbf, which is no JAdES or RFC 7515 header parameter credsweep knows; an unknown critical "
     "parameter must be refused (RFC 7515 4.1.11)"},
    {"dss2620/jades-with-notBefore-header.json", "2025-11-07T13:18:03Z", "seal:ok",
     "no DSS test names this file"},
    {"dss2620/jades-without-non-critical-header-in-crit.json", "2021-11-17T15:02:13Z", "seal:ok",
     "valid, JSON_NOT_ETSI"},
    {"evidence-record/Signature-J-LT-a0baac29-c2b6-4544-abc5-d26ac6c8b655.json", "2021-11-11T07:54:58Z", "seal:ok",
     "valid (LT); the detached evidence records are not JAdES and not copied"},
    {"flattened-extra-element.json", "2020-06-13T13:00:45Z", "seal:ok", "valid, extra member ignored"},
    {"jades-b-copied-cnttst.json", "2023-12-09T08:07:01Z", "seal:ok", "valid, 2 adoTst with one digest", "",
     "content timestamp (adoTst)"},
    {"jades-b-iat-and-sigt.json", "2024-04-23T11:36:25Z", "format:bad_date",
     "valid, structural errors on iat and sigT",
     "iat is 1713785785446, milliseconds where RFC 7519 wants seconds (a year beyond 9999): credsweep refuses a "
     "signing time it cannot read rather than ignore it"},
    {"jades-b-no-signing-time.json", "2024-01-01T00:00:00Z", "seal:ok", "valid, no claimed signing time"},
    {"jades-b-with-xvals.json", "2025-03-05T08:51:16Z", "seal:ok", "valid, signing certificate found in xVals"},
    {"jades-detached-by-uri-encoded-pars.json", "2021-12-23T10:20:36Z", "seal:detached_content_unsupported",
     "valid with the detached HTML files supplied", kDetached},
    {"jades-detached-by-uri-hash-encoded-pars.json", "2021-11-10T09:49:14Z", "seal:detached_content_unsupported",
     "valid with the detached HTML files supplied", kDetached},
    {"jades-double-sig-different-etsiU.json", "2021-01-26T12:35:32Z", "seal:ok", "2 signatures, both valid"},
    {"jades-flattened-BpB-detached-objectByURIHash.json", "2021-01-09T21:16:10Z",
     "seal:detached_content_unsupported", "valid with a document DSS's test holds in memory", kDetached},
    {"jades-flattened-BpT-broken-sigTst.json", "2020-12-21T17:24:35Z", "seal:timestamp_invalid",
     "sigTst imprint not intact"},
    {"jades-level-b-full-type.json", "2021-02-02T14:41:56Z", "seal:ok", "valid"},
    {"jades-level-b-sig-policy-invalid-digest-algo.json", "2025-10-23T15:34:58Z", "seal:ok",
     "valid, policy digest null", "", "signature policy"},
    {"jades-lta-broken-arcTst.json", "2021-01-26T10:15:00Z", "seal:ok", "signature valid, arcTst imprint not intact",
     kArcTst, "1 archive timestamp(s) (etsiU arcTst) not verified"},
    {"jades-lta-copied-arctst.json", "2023-12-09T09:27:47Z", "seal:ok", "B and T valid, A not (copied arcTst)",
     kArcTst, "1 archive timestamp(s) (etsiU arcTst) not verified"},
    {"jades-lta-with-etsiU-whitespaces.json", "2021-01-26T10:20:02Z", "seal:ok", "valid (LTA)"},
    {"jades-lta.json", "2021-01-26T10:20:02Z", "seal:ok", "valid (LTA)", "", "signature timestamp (sigTst)"},
    {"jades-t-clear-etsiu.json", "2020-11-27T13:42:38Z", "seal:timestamp_invalid", "validity not asserted",
     kClearSigTst},
    {"jades-t-copied-sigtst.json", "2023-12-09T09:24:08Z", "seal:timestamp_invalid",
     "T not valid: sigTst copied from adoTst"},
    {"jades-t-duplicated-sigtst.json", "2023-12-09T09:03:47Z", "seal:ok", "valid, 2 sigTst with one digest"},
    {"jades-triple-LTA.json", "2021-07-26T21:30:40Z", "seal:ok", "valid, 1 sigTst and 3 arcTst", "",
     "3 archive timestamp(s) (etsiU arcTst) not verified"},
    {"jades-two-sigs-copied-tst.json", "2023-12-09T09:31:51Z", "seal:timestamp_invalid",
     "one of 2 signatures has a copied sigTst"},
    {"jades-unsupported-signature-algorithm.json", "2022-05-06T12:43:38Z", "seal:unsupported_alg",
     "alg is an OID: not intact"},
    {"jades-with-asn1policy-digPSp.json", "2021-06-11T12:55:15Z", "seal:ok", "valid, policy identified"},
    {"jades-with-asn1policy.json", "2021-06-11T12:57:50Z", "seal:ok", "valid, policy identified"},
    {"jades-with-attached-counter-signature-replace-attack.json", "2021-01-30T14:21:31Z", "seal:ok",
     "master intact; the counter signature counter-signs another signature",
     "counter signatures are not verified (named as such): the master signature stands, as in DSS", kCounter},
    {"jades-with-broken-attached-counter-signature.json", "2021-01-30T14:21:31Z", "seal:ok",
     "master intact; counter signature broken",
     "counter signatures are not verified (named as such): the master signature stands, as in DSS", kCounter},
    {"jades-with-broken-detached-counter-signature.json", "2021-01-30T14:21:31Z", "seal:ok",
     "master intact; counter signature broken",
     "counter signatures are not verified (named as such): the master signature stands, as in DSS", kCounter},
    {"jades-with-certified.json", "2020-10-16T12:08:53Z", "seal:ok", "valid, certified role (srAts)"},
    {"jades-with-counter-signature.json", "2020-11-27T14:01:28Z", "seal:ok", "validity not asserted", "", kCounter},
    {"jades-with-double-sigt.json", "2022-02-03T01:33:46Z", "format:duplicate_member",
     "unreadable: sigT twice in the header"},
    {"jades-with-line-break.json", "2021-11-10T08:45:20Z", "seal:ok", "valid, trailing newline"},
    {"jades-with-mixed-etsiU-type.json", "2020-11-27T14:12:13Z", "seal:timestamp_invalid",
     "validity not asserted (conversion refused)", kClearSigTst},
    {"jades-with-multiple-sign-cert-refs.json", "2020-11-24T15:04:27Z", "seal:ok",
     "valid, sigX5ts with 3 references", "",
     "1 sigX5ts reference(s) to certificates neither on the validated path nor carried by the seal, not checked"},
    {"jades-with-sigAndRefsTst-with-dot.json", "2021-01-26T10:22:13Z", "seal:ok",
     "valid, sigTst + 2 sigRTst + rfsTst intact", "", "references timestamp (rfsTst)"},
    {"jades-with-sigAndRefsTst-without-dot.json", "2021-01-26T10:22:13Z", "seal:timestamp_invalid",
     "both sigRTst imprints not intact", "",
     "signature and references timestamp (sigRTst): the timestamp's message imprint does not match"},
    {"jades-with-spUserNotice.json", "2021-06-11T11:55:39Z", "seal:ok", "valid, policy with a user notice"},
    {"jades-with-spdspec.json", "2021-06-11T15:06:38Z", "seal:ok", "valid, policy with a document specification"},
    {"jades-wrong-etsiu-type.json", "2021-12-23T12:34:02Z", "format:malformed_jws",
     "valid, structural error on etsiU",
     "etsiU is not an array: credsweep refuses a malformed unsigned header rather than read timestamps and "
     "validation data around it"},
    {"jades-wrong-x5c-header.json", "2021-12-25T10:43:05Z", "format:malformed_jws",
     "not valid: x5c does not match x5t#S256"},
    {"jws-serialization-no-signatures.json", "2024-01-01T00:00:00Z", "format:malformed_jws", "no signatures"},
    {"malformed-jades-serialization.json", "2024-01-01T00:00:00Z", "format:malformed_json", "invalid JSON"},
    {"serialization-extra-element.json", "2020-06-16T06:21:48Z", "seal:ok", "valid, extra member ignored"},
    {"serialization-wrong-payload-type.json", "2020-06-16T06:21:48Z", "format:malformed_jws",
     "not valid: payload is an array"},
    {"simple-detached-wrong-algo.json", "2020-06-18T10:43:11Z", "seal:detached_content_unsupported",
     "signature intact but not valid: the sigD digest method is unusable", kDetached},
    {"simple-detached.json", "2020-11-24T14:44:09Z", "seal:detached_content_unsupported",
     "valid with a sample.json the folder does not hold", kDetached},
};

const std::string& DssFolder() {
  static const std::string folder = testing::TestData("jades-dss/validation");
  return folder;
}

TEST(JadesDssFolder, EveryFileHasAnExpectation) {
  std::set<std::string> listed, present;
  for (const DssCase& c : kDssCases) EXPECT_TRUE(listed.insert(c.file).second) << "listed twice: " << c.file;
  for (const auto& e : std::filesystem::recursive_directory_iterator(DssFolder())) {
    if (e.is_regular_file() && e.path().extension() == ".json") {
      present.insert(std::filesystem::relative(e.path(), DssFolder()).string());
    }
  }
  EXPECT_EQ(listed, present);
  EXPECT_EQ(present.size(), 62u);
}

TEST(JadesDssFolder, EachFileGetsTheOutcomeDssExpectsOrAListedException) {
  size_t exceptions = 0;
  for (const DssCase& c : kDssCases) {
    SCOPED_TRACE(std::string(c.file) + " (DSS: " + c.dss + ")");
    testing::VerifierSpec spec;
    spec.anchor_pem_files = {testing::TestData("jades-dss/all-certs.pem"),
                             testing::TestData("jades-dss/dss-test-root-ca-2024.pem")};
    spec.at = c.at;
    auto r = testing::VerifyText(*testing::MakeVerifier(spec), testing::ReadTestData("jades-dss/validation/" + std::string(c.file)));
    const std::string expect = c.expect;
    const CheckId id = expect.starts_with("format:") ? CheckId::kFormat : CheckId::kSeal;
    const std::string code = expect.substr(expect.find(':') + 1);
    EXPECT_EQ(r.check(id).code, code) << Describe(r);
    if (code == "ok") {
      EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass);
    }
    if (id == CheckId::kFormat) {
      EXPECT_EQ(r.check(CheckId::kSeal).code, "not_checked");
    }
    EXPECT_NE(r.check(CheckId::kSeal).message.find(c.note), std::string::npos) << Describe(r);
    exceptions += *c.why != '\0';
  }
  // The exceptions, each with its reason above: strict crit (6), detached content
  // (5), arcTst (2), sigTst over raw bytes (2), counter signatures (3), crit with
  // RFC 7515 or unknown names (2), iat in milliseconds, etsiU not an array.
  EXPECT_EQ(exceptions, 22u);
}

}  // namespace
}  // namespace credsweep

namespace credsweep {
namespace {

// DSS's test PKI renews its CAs under one name: ca-certs.pem (the CA certificates
// of all-certs.pem, no seal certificate among them) holds fifteen "good-ca"
// certificates with different keys. The anchor that signed the seal certificate is
// found by its key (OpenSSL's own lookup took another: "certificate signature
// failure").
TEST(JadesDss, AnchorsRenewedUnderOneNameAreToldApartByTheirKeys) {
  testing::VerifierSpec spec;
  spec.anchor_pem_files = {testing::TestData("jades-dss/ca-certs.pem")};
  spec.at = "2021-01-26T10:20:02Z";
  auto r = testing::VerifyText(*testing::MakeVerifier(spec), testing::ReadTestData("jades-dss/validation/jades-lta.json"));
  EXPECT_EQ(r.check(CheckId::kSeal).outcome, Outcome::kPass) << Describe(r);
  EXPECT_NE(r.check(CheckId::kSeal).message.find("anchored by a configured CA"), std::string::npos) << Describe(r);
}

// A JWS JSON serialization without a payload member signs detached content
// (RFC 7515 Appendix F): its signatures are read, and the seal says what is missing.
TEST(JadesDss, AJwsJsonWithoutPayloadIsDetachedContent) {
  const std::string compact = testing::ReadTestData("jades-dss/validation/jades-with-line-break.json");
  const size_t dot = compact.find('.'), last = compact.rfind('.');
  std::string signature = compact.substr(last + 1);
  while (!signature.empty() && (signature.back() == '\n' || signature.back() == '\r')) signature.pop_back();
  const std::string flattened =
      R"({"protected":")" + compact.substr(0, dot) + R"(","signature":")" + signature + R"("})";
  auto detached = testing::VerifyText(*DssVerifier(), flattened);
  EXPECT_EQ(detached.check(CheckId::kFormat).outcome, Outcome::kFail) << Describe(detached);
  EXPECT_EQ(detached.check(CheckId::kSeal).code, "detached_content_unsupported") << Describe(detached);
  EXPECT_NE(detached.check(CheckId::kSeal).message.find("the JWS JSON has no payload member"), std::string::npos)
      << Describe(detached);
  // A credential document that merely has members of those names stays a document.
  for (const char* member : {R"("signatures":[{"note":"x"}])", R"("signature":"x","protected":"y")"}) {
    const std::string document =
        std::string(R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                    R"("issuer":"https://i.example","credentialSubject":{"id":"did:example:1"},)") +
        member + "}";
    auto r = testing::VerifyText(*DssVerifier(), document);
    EXPECT_EQ(r.check(CheckId::kFormat).outcome, Outcome::kPass) << member << ": " << Describe(r);
    EXPECT_EQ(r.check(CheckId::kSeal).code, "not_sealed") << member << ": " << Describe(r);
  }
}

}  // namespace
}  // namespace credsweep
