// When a fetched status list must be asked for again: --max-status-age, the
// list's ttl and its validUntil, whichever comes first.
#include "io/status_lists/freshness.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/encoding.h"
#include "engine/signer.h"
#include "tools/certificate_authority.h"

namespace credsweep::io {
namespace {

constexpr UnixSeconds kFetched = 1'780'000'000;  // 2026-05-28T20:26:40Z

// A BitstringStatusListCredential as JSON; `subject_extra` and `extra` are spliced in.
std::string List(const std::string& subject_extra, const std::string& extra = "") {
  return R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://s.example/1",)"
         R"("type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:example:issuer",)"
         R"("validFrom":"2026-01-01T00:00:00Z",)" + extra +
         R"("credentialSubject":{"id":"https://s.example/1#list","type":"BitstringStatusList",)"
         R"("statusPurpose":"revocation","encodedList":"uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA")" +
         subject_extra + "}}";
}

TEST(ListFreshness, MaxStatusAgeAloneWithoutTtlOrValidUntil) {
  EXPECT_EQ(ListFreshUntil(List(""), kFetched, 3600), kFetched + 3600);
}

TEST(ListFreshness, AShorterTtlWins) {
  EXPECT_EQ(ListFreshUntil(List(R"(,"ttl":60000)"), kFetched, 3600), kFetched + 60);
  EXPECT_EQ(ListFreshUntil(List(R"(,"ttl":7200000)"), kFetched, 3600), kFetched + 3600);  // max age wins
  EXPECT_EQ(ListFreshUntil(List(R"(,"ttl":999)"), kFetched, 3600), kFetched);  // under a second: ask every time
}

TEST(ListFreshness, AnEarlierValidUntilWins) {
  EXPECT_EQ(ListFreshUntil(List("", R"("validUntil":"2026-05-28T20:30:00Z",)"), kFetched, 3600), kFetched + 200);
}

// An IETF Status List Token: its ttl is in seconds, its exp a NumericDate; the
// signature is not read here (the verifier checks it on every use).
std::string Token(const std::string& claims, const std::string& typ = "statuslist+jwt") {
  return Base64UrlEncode(R"({"alg":"ES256","typ":")" + typ + "\"}") + "." +
         Base64UrlEncode(R"({"sub":"https://s.example/t/1","iat":1780000000)" + claims +
                         R"(,"status_list":{"bits":1,"lst":"eNrbuRgAAhcBXQ"}})") +
         ".c2ln";
}

TEST(ListFreshness, AStatusListTokensTtlAndExpBoundIt) {
  EXPECT_EQ(ListFreshUntil(Token(R"(,"ttl":600)"), kFetched, 3600), kFetched + 600);
  EXPECT_EQ(ListFreshUntil(Token(R"(,"ttl":600,"exp":1780000100)"), kFetched, 3600), kFetched + 100);
  EXPECT_EQ(ListFreshUntil(Token(R"(,"ttl":86400)"), kFetched, 3600), kFetched + 3600);  // max age wins
  EXPECT_EQ(ListFreshUntil(Token(""), kFetched, 3600), kFetched + 3600);
  // Another typ is not read as a token.
  EXPECT_EQ(ListFreshUntil(Token(R"(,"ttl":600)", "JWT"), kFetched, 3600), kFetched + 3600);
}

// A fetched OCSP response or CRL is asked for again at its nextUpdate.
TEST(CertificateStatusFreshness, NextUpdateBoundsIt) {
  CertificateSpec root;
  root.common_name = "Freshness Test Root";
  root.organization = "credsweep tests";
  root.not_before = kFetched - 86400;
  root.not_after = kFetched + 365 * 86400;
  root.is_ca = true;
  auto ca = CertificateAuthority::Create(root).value();
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  CertificateSpec leaf = root;
  leaf.common_name = "Seal";
  leaf.is_ca = false;
  const std::string cert = ca->Issue(*key, leaf, 7).value();
  EXPECT_EQ(CertificateStatusFreshUntil(ca->IssueCrl({}, kFetched - 60, kFetched + 100).value(), kFetched, 3600),
            kFetched + 100);
  EXPECT_EQ(CertificateStatusFreshUntil(ca->IssueCrl({}, kFetched - 60, kFetched + 86400).value(), kFetched, 3600),
            kFetched + 3600);  // the max age first
  EXPECT_EQ(CertificateStatusFreshUntil(ca->OcspResponse(cert, nullptr, kFetched - 60, kFetched + 50).value(), kFetched,
                                        3600),
            kFetched + 50);
  EXPECT_EQ(CertificateStatusFreshUntil(ca->OcspResponse(cert, nullptr, kFetched - 60, 0).value(), kFetched, 3600),
            kFetched + 3600);  // no nextUpdate stated
  EXPECT_EQ(CertificateStatusFreshUntil("not DER", kFetched, 3600), kFetched + 3600);
}

TEST(ListFreshness, AnUnreadableDocumentGetsMaxStatusAge) {
  EXPECT_EQ(ListFreshUntil("not a list", kFetched, 60), kFetched + 60);
  EXPECT_EQ(ListFreshUntil(List(R"(,"ttl":"soon")"), kFetched, 60), kFetched + 60);
}

TEST(ListFreshness, HugeValuesDoNotOverflow) {
  EXPECT_EQ(ListFreshUntil(List(R"(,"ttl":18446744073709551615)"), kFetched, INT64_MAX),
            kFetched + 18446744073709551);  // the ttl in seconds: still below the max age
  EXPECT_EQ(ListFreshUntil(List(""), INT64_MAX - 10, INT64_MAX), INT64_MAX);  // saturates
}

}  // namespace
}  // namespace credsweep::io
