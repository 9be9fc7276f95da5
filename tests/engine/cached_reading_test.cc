// The encoding of a kept reading (engine/internal/cached_reading.h): every field
// the checks after the seal and the result line read comes back as it went in,
// and a damaged entry or one of another version reads as none.
#include "engine/internal/cached_reading.h"

#include <gtest/gtest.h>

namespace credsweep::internal {
namespace {

CachedReading Rich() {
  CachedReading r;
  r.format = {Outcome::kPass, "ok", "VC 2.0 credential"};
  r.seal = {Outcome::kPass, "ok", "signature verified with certificate 'e-Seal'"};
  r.seal_level = "AdESeal-QC";
  r.seal_details.signing_time = -86400;
  r.seal_details.time_basis = "claimed";
  r.seal_details.certificate_status = "good";
  r.seal_details.certificate_status_source = "crl";
  r.seal_details.certificate_status_origin = "embedded";
  r.window.from = 1700000000;
  r.window.until = 1900000000;
  checks::ParsedCredential& p = r.cred;
  p.present = true;
  p.nbf = 1;
  p.exp = 1900000000;
  p.holder_jwk = "{\"kty\":\"OKP\"}";
  Credential& c = p.credential;
  c.version = VcVersion::kV1_1;
  c.id = "urn:uuid:1";
  c.issuer = "https://issuer.example";
  c.types = {"VerifiableCredential", "EuropeanDigitalCredential"};
  c.valid_from = 1600000000;
  c.subject_id = "did:example:learner";
  c.subject_ids = {"did:example:learner", "did:example:other"};
  c.eidas_identifier = "VATBE-0000000097";
  c.issuer_identifiers = {{"VATBE-0000000097", "BE"}, {"123", ""}};
  c.awarding_bodies = {"https://uni.example"};
  c.accreditation_ids = {"https://acc.example/1"};
  c.qualification_ids = {"https://q.example/1"};
  c.fields = {"0613"};
  c.eqf_levels = {6, -1};
  c.jurisdictions = {"BEL"};
  c.credential_profiles = {"http://data.europa.eu/snb/credential/e34929035b"};
  c.issued = 1600000000;
  c.schema_ids = {"https://schemas.example/diploma"};
  c.accreditation_parents = {"https://tir.example/issuers/did:ebsi:zTao/attributes/0x01"};
  c.permissions = {{"https://schemas.example/diploma", {"VerifiableCredential", "VerifiableDiploma"}, {"FIN"}},
                   {"", {}, {}}};
  c.unidentified_awarding_bodies = {"{\"name\":\"x\"}"};
  c.labels = {"Ana", "Data Science", "University"};
  c.is_edc = true;
  c.status_entries = {{"BitstringStatusListEntry", "revocation", "https://l.example/1", "7", 7, 1},
                      {"BitstringStatusListEntry", "message", "https://l.example/2", "x", std::nullopt, 2}};
  c.warnings = {"issuanceDate/expirationDate are VC 1.1 terms"};
  return r;
}

TEST(CachedReading, EveryFieldRoundTrips) {
  const CachedReading in = Rich();
  const std::string bytes = EncodeCachedReading(in);
  CachedReading out;
  ASSERT_TRUE(DecodeCachedReading(bytes, &out));
  // Encoding what came back gives the same bytes: nothing lost or changed.
  EXPECT_EQ(EncodeCachedReading(out), bytes);
  EXPECT_EQ(out.cred.credential.status_entries[1].index, std::nullopt);
  EXPECT_EQ(out.cred.credential.status_entries[0].index, 7u);
  EXPECT_EQ(out.cred.credential.eqf_levels, (std::vector<int>{6, -1}));
  EXPECT_EQ(out.seal_details.signing_time, -86400);
  EXPECT_EQ(out.window.from, 1700000000);
  EXPECT_EQ(out.window.until, 1900000000);
  EXPECT_EQ(out.cred.credential.labels.title, "Data Science");
  ASSERT_EQ(out.cred.credential.permissions.size(), 2u);
  EXPECT_EQ(out.cred.credential.permissions[0].types[1], "VerifiableDiploma");
  EXPECT_EQ(out.cred.credential.accreditation_parents, in.cred.credential.accreditation_parents);
  EXPECT_EQ(out.cred.credential.version, VcVersion::kV1_1);
  EXPECT_TRUE(out.window.Holds(1800000000));
  EXPECT_FALSE(out.window.Holds(1900000001));
}

// Each target is assigned in full: decoded over a reading that held every field
// (Verifier::VerifyAll decodes into the credential its last record left), a
// sparse one comes back as it went in, with nothing of the other left.
TEST(CachedReading, DecodingOverAnotherReadingLeavesNothingOfIt) {
  CachedReading sparse;
  sparse.format = {Outcome::kPass, "ok", "VC 2.0 credential"};
  sparse.cred.present = true;
  sparse.cred.credential.id = "urn:uuid:2";
  const std::string bytes = EncodeCachedReading(sparse);
  CachedReading out = Rich();
  ASSERT_TRUE(DecodeCachedReading(bytes, &out));
  EXPECT_EQ(EncodeCachedReading(out), bytes);
  const Credential& c = out.cred.credential;
  EXPECT_EQ(c.version, VcVersion::kV2_0);
  EXPECT_TRUE(c.types.empty());
  EXPECT_EQ(c.valid_until, std::nullopt);
  EXPECT_TRUE(c.subject_id.empty());
  EXPECT_TRUE(c.status_entries.empty());
  EXPECT_TRUE(c.permissions.empty());
  EXPECT_TRUE(c.labels.title.empty());
  EXPECT_FALSE(c.is_edc);
  EXPECT_EQ(out.cred.exp, std::nullopt);
  EXPECT_TRUE(out.cred.holder_jwk.empty());
  EXPECT_TRUE(out.seal_level.empty());
  EXPECT_EQ(out.seal_details.signing_time, std::nullopt);
  EXPECT_EQ(out.window.from, sparse.window.from);
}

TEST(CachedReading, DamagedOrForeignEntriesReadAsNone) {
  const std::string bytes = EncodeCachedReading(Rich());
  CachedReading out;
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(DecodeCachedReading(std::string_view(bytes).substr(0, cut), &out)) << cut;
  }
  EXPECT_FALSE(DecodeCachedReading(bytes + "x", &out));
  std::string other = bytes;
  other[0] = static_cast<char>(kCachedReadingVersion + 1);
  EXPECT_FALSE(DecodeCachedReading(other, &out));
}

}  // namespace
}  // namespace credsweep::internal
