// Issuer binding: every path that binds a key to the issuer a credential names,
// each both ways (bound: the seal passes and says how; unbound: the precise code),
// plus the trusted-issuer registry's own validation.
#include <gtest/gtest.h>

#include "engine/internal/organization_identifier.h"
#include "engine/status_list.h"
#include "tests/engine/binding_fixture.h"
#include "tests/fakes.h"

namespace credsweep {
namespace {

using testing::Describe;

using testing::kBody;
using testing::kUgent;
using testing::kUj;
using testing::Q;

class IssuerBinding : public testing::BindingTest {};

// --- JWK keys through the registry -------------------------------------------

TEST_F(IssuerBinding, ARegisteredKeySealsForItsIssuerOnly) {
  auto v = V(Registry(Entry(kUgent, R"("keys":[)" + KeyEntry(*ugent_) + "]") + "," +
                      Entry(kUj, R"("keys":[)" + KeyEntry(*uj_) + "]")));
  auto own = testing::VerifyText(*v, Compact(*ugent_, Credential(Q(kUgent))));
  EXPECT_TRUE(own.verified()) << Describe(own);
  EXPECT_NE(Seal(own).message.find("bound to issuer 'https://uni.example/ugent' by the trust registry (JWK thumbprint " +
                                   ugent_->Thumbprint()),
            std::string::npos)
      << Seal(own).message;

  // A credential naming UJ, sealed with UGent's key: the member cannot forge for another.
  auto forged = testing::VerifyText(*v, Compact(*ugent_, Credential(Q(kUj))));
  EXPECT_EQ(Seal(forged).code, "key_not_authorized_for_issuer") << Describe(forged);
  EXPECT_NE(Seal(forged).message.find("the trust registry lists it for 'https://uni.example/ugent'"), std::string::npos)
      << Seal(forged).message;
  EXPECT_FALSE(forged.verified());
}

TEST_F(IssuerBinding, AKeyNoIssuerOwnsFailsAndTheMessageSaysHowToBindIt) {
  for (const std::string& registry : {std::string(), Registry(Entry(kUgent, ""))}) {
    auto r = testing::VerifyText(*V(registry), Compact(*uj_, Credential(Q(kUj))));
    EXPECT_EQ(Seal(r).code, "key_not_authorized_for_issuer") << Describe(r);
    const std::string& m = Seal(r).message;
    EXPECT_NE(m.find("kid 'uj-1'"), std::string::npos) << m;
    EXPECT_NE(m.find(uj_->Thumbprint()), std::string::npos) << m;
    EXPECT_NE(m.find("'https://uni.example/uj'"), std::string::npos) << m;
    EXPECT_NE(m.find("--trust"), std::string::npos) << m;
    EXPECT_NE(m.find("--jwks https://uni.example/uj=FILE"), std::string::npos) << m;
  }
}

TEST_F(IssuerBinding, AKeyBindsOnlyInsideItsValidityPeriod) {
  // UGent rotated: its key sealed during 2025 only.
  auto v = V(Registry(Entry(
      kUgent, R"("keys":[)" + KeyEntry(*ugent_, R"(,"validFrom":"2025-01-01T00:00:00Z","validUntil":"2025-12-31T23:59:59Z")") +
                  "]")));
  // Without a claimed signing time the seal is judged at validFrom. The period has
  // ended by now, so a time inside it is only the sealer's claim: whoever holds
  // the retired key can make it. It binds when the policy trusts claims by name.
  const std::string in_period = Compact(*ugent_, Credential(Q(kUgent), "", "2025-06-01T00:00:00Z"));
  auto proven = testing::VerifyText(*v, in_period);
  EXPECT_EQ(Seal(proven).code, "key_not_valid_at_signing_time") << Describe(proven);
  EXPECT_NE(Seal(proven).message.find("only until 2025-12-31T23:59:59Z, before the verification time"), std::string::npos)
      << Seal(proven).message;
  VerifierOptions claimed = v->options();
  claimed.signing_time = SigningTimePolicy::kClaimed;
  auto in = testing::VerifyText(Verifier(claimed), in_period);
  EXPECT_TRUE(in.verified()) << Describe(in);
  EXPECT_NE(Seal(in).message.find("accepted on the claimed signing time"), std::string::npos) << Seal(in).message;
  // A period still open today binds a seal made inside it.
  auto open = V(Registry(Entry(kUgent, R"("keys":[)" + KeyEntry(*ugent_, R"(,"validFrom":"2025-01-01T00:00:00Z")") + "]")));
  EXPECT_TRUE(testing::VerifyText(*open, in_period).verified());
  auto after = testing::VerifyText(*v, Compact(*ugent_, Credential(Q(kUgent), "", "2026-03-01T00:00:00Z")));
  EXPECT_EQ(Seal(after).code, "key_not_valid_at_signing_time") << Describe(after);
  EXPECT_NE(Seal(after).message.find("2025-01-01T00:00:00Z .. 2025-12-31T23:59:59Z"), std::string::npos)
      << Seal(after).message;
  EXPECT_NE(Seal(after).message.find("2026-03-01T00:00:00Z"), std::string::npos) << Seal(after).message;
}

// A seal that claims no signing time, of a credential whose validFrom lies ahead,
// is judged at the verification time: the key's period is then judged against it.
// Its reading is kept, and holds only while both the period holds and validFrom
// has not come.
TEST_F(IssuerBinding, AReadingJudgedAtTheVerificationTimeHoldsOnlyInsideTheKeysPeriod) {
  const std::string registry = Registry(Entry(
      kUgent, R"("keys":[)" + KeyEntry(*ugent_, R"(,"validFrom":"2026-03-01T00:00:00Z","validUntil":"2029-12-31T00:00:00Z")") +
                  "]"));
  const std::string record = Compact(*ugent_, Credential(Q(kUgent), "", "2031-01-01T00:00:00Z"));
  auto cache = std::make_shared<testing::InMemoryReadingCache>();
  auto at = [&](const char* when, bool cached) {
    VerifierOptions o = V(registry)->options();
    o.at = *ParseDateTimeStamp(when);
    if (cached) o.reading_cache = cache;
    return testing::VerifyText(Verifier(o), record);
  };
  auto inside = at("2026-06-01T00:00:00Z", true);
  EXPECT_EQ(Seal(inside).outcome, Outcome::kPass) << Describe(inside);
  EXPECT_EQ(cache->added(), 1) << "kept, though judged at the verification time";
  // Later, still inside the period and before validFrom: the reading holds.
  auto later = at("2027-06-01T00:00:00Z", true);
  EXPECT_EQ(Seal(later).outcome, Outcome::kPass);
  EXPECT_EQ(cache->stale(), 0);
  EXPECT_EQ(cache->added(), 1) << "read from the cache";
  // Before the period began, and after it ended: the reading does not hold, and the
  // verdict is the one a verifier without the cache gives.
  // (The clock skew, 60 s by default, widens neither end.)
  for (const char* when : {"2026-01-01T00:00:00Z", "2026-02-28T23:59:30Z", "2029-12-31T00:00:30Z",
                           "2030-06-01T00:00:00Z"}) {
    const int stale = cache->stale();
    auto got = at(when, true);
    auto want = at(when, false);
    EXPECT_EQ(cache->stale(), stale + 1) << when;
    EXPECT_EQ(Seal(got).code, "key_not_valid_at_signing_time") << when << ": " << Describe(got);
    EXPECT_EQ(Seal(got).code, Seal(want).code) << when;
    EXPECT_EQ(Seal(got).message, Seal(want).message) << when;
    // Nothing of the reading that did not hold is left in the result.
    EXPECT_EQ(Describe(got), Describe(want)) << when;
    EXPECT_EQ(got.id(), want.id()) << when;
    EXPECT_EQ(got.issuer(), want.issuer()) << when;
    at("2026-06-01T00:00:00Z", true);  // kept again
  }
}

TEST_F(IssuerBinding, AnInlineRegistryJwkBindsLikeItsThumbprint) {
  std::string jwk = uj_->ToPublicJwkJson();
  auto r = TrustRegistry::Parse(Registry(Entry(kUj, R"("keys":[{"jwk":)" + jwk + "}]")), "r");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ((*r)->issuers()[0].keys.size(), 1u);
  EXPECT_EQ((*r)->issuers()[0].keys[0].thumbprint, uj_->Thumbprint());
  ASSERT_NE((*r)->issuers()[0].keys[0].jwk, nullptr);
  EXPECT_EQ((*r)->issuers()[0].keys[0].jwk->thumbprint(), uj_->Thumbprint());
}

// --- DID keys ------------------------------------------------------------------

TEST_F(IssuerBinding, ADidKeyBindsToItsOwnDidOrWhereTheRegistryListsIt) {
  auto ed = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  const std::string did = testing::Ed25519DidKey(*ed);
  const std::string vm = did + "#" + did.substr(8);
  ed->set_kid(vm);
  auto own = testing::VerifyText(*V(), Compact(*ed, Credential(Q(did))));
  EXPECT_TRUE(own.verified()) << Describe(own);

  // An https issuer whose registry entry names the DID key.
  auto listed = testing::VerifyText(*V(Registry(Entry(kUgent, R"("keys":[{"didUrl":)" + Q(vm) + "}]"))),
                                    Compact(*ed, Credential(Q(kUgent))));
  EXPECT_TRUE(listed.verified()) << Describe(listed);
  EXPECT_NE(Seal(listed).message.find("DID key " + vm), std::string::npos) << Seal(listed).message;

  auto other = testing::VerifyText(*V(Registry(Entry(kUj, R"("keys":[{"didUrl":)" + Q(vm) + "}]"))),
                                   Compact(*ed, Credential(Q(kUgent))));
  EXPECT_EQ(Seal(other).code, "key_not_authorized_for_issuer") << Describe(other);
}

// --- X.509 certificates ----------------------------------------------------------

std::string Org(const std::string& id, const std::string& eidas_member) {
  return R"({"id":)" + Q(id) + R"(,"type":"Organisation",)" + eidas_member + "}";
}

TEST_F(IssuerBinding, ACertificateBindsByTheIssuersOwnIdentifier) {
  auto v = V();
  auto exact = testing::VerifyText(
      *v, X5c(Credential(Org(kBody, R"("eIDASIdentifier":{"type":"LegalIdentifier","notation":"VATBE-0000000097"})"))));
  EXPECT_TRUE(exact.verified()) << Describe(exact);
  EXPECT_NE(Seal(exact).message.find("exact match of issuer identifier VATBE-0000000097"), std::string::npos)
      << Seal(exact).message;

  // The registration number under the certificate's country, as real Europass seals have it.
  auto registration = testing::VerifyText(
      *v, X5c(Credential(Org(kBody, R"("registration":{"notation":"0000000097","spatial":{"id":"http://publications.europa.eu/resource/authority/country/BEL"}})"))));
  EXPECT_TRUE(registration.verified()) << Describe(registration);
  EXPECT_NE(Seal(registration).message.find("registration number 0000000097 in BE"), std::string::npos);

  // The same number registered in another country is another organisation.
  auto abroad = testing::VerifyText(
      *v, X5c(Credential(Org(kBody, R"("registration":{"notation":"0000000097","spatial":{"id":"http://publications.europa.eu/resource/authority/country/SWE"}})"))));
  EXPECT_EQ(Seal(abroad).code, "key_not_authorized_for_issuer") << Describe(abroad);

  // The sample corpus' old flaw: a certificate of VATBE-0000000097 sealing for a
  // university whose identifier is VATSE-202100293201.
  auto other = testing::VerifyText(
      *v, X5c(Credential(Org(kUj, R"("eIDASIdentifier":{"notation":"VATSE-202100293201"})"))));
  EXPECT_EQ(Seal(other).code, "key_not_authorized_for_issuer") << Describe(other);
  EXPECT_NE(Seal(other).message.find("organizationIdentifier VATBE-0000000097"), std::string::npos) << Seal(other).message;
  EXPECT_NE(Seal(other).message.find("VATSE-202100293201"), std::string::npos) << Seal(other).message;
}

TEST_F(IssuerBinding, TheRegistryBindsACertificateByHashOrByIdentifierAndCa) {
  const std::string cred = X5c(Credential(Q(kUj)));  // no legal identifier in the credential
  EXPECT_EQ(Seal(testing::VerifyText(*V(), cred)).code, "key_not_authorized_for_issuer");

  auto by_hash = testing::VerifyText(
      *V(Registry(Entry(kUj, R"("certificates":[{"sha256":")" + Hex(*leaf_der_) + "\"}]"))), cred);
  EXPECT_TRUE(by_hash.verified()) << Describe(by_hash);

  auto by_ca = testing::VerifyText(
      *V(Registry(Entry(kUj, R"("certificates":[{"organizationIdentifier":"VATBE-0000000097","caSha256":")" +
                                 Hex(ca_->der()) + "\"}]"))),
      cred);
  EXPECT_TRUE(by_ca.verified()) << Describe(by_ca);
  EXPECT_NE(Seal(by_ca).message.find("from the listed CA"), std::string::npos) << Seal(by_ca).message;

  // The same identifier from another CA is not the same organisation's certificate.
  auto wrong_ca = testing::VerifyText(
      *V(Registry(Entry(kUj, R"("certificates":[{"organizationIdentifier":"VATBE-0000000097","caSha256":")" +
                                 std::string(64, 'a') + "\"}]"))),
      cred);
  EXPECT_EQ(Seal(wrong_ca).code, "key_not_authorized_for_issuer") << Describe(wrong_ca);

  // A certificate listed for a period that has not begun at the signing time.
  auto later = testing::VerifyText(
      *V(Registry(Entry(kUj, R"("certificates":[{"sha256":")" + Hex(*leaf_der_) +
                                 R"(","validFrom":"2026-05-02T00:00:00Z"}])"))),
      cred);
  EXPECT_EQ(Seal(later).code, "key_not_valid_at_signing_time") << Describe(later);
}

// --- Mandates ---------------------------------------------------------------------

TEST_F(IssuerBinding, AnIssuingBodySealsOnlyForTheAwardingBodiesItIsMandatedFor) {
  auto cred = [](const std::string& awarding_body) {
    return X5c(Credential(Org(kBody, R"("eIDASIdentifier":{"notation":"VATBE-0000000097"})"),
                          R"(,"hasClaim":{"awardedBy":{"awardingBody":[{"id":)" + Q(awarding_body) + "}]}}"));
  };
  // The registry knows the body, so its identifiers (not the credential's) bind the certificate.
  auto v = V(Registry(Entry(kBody, R"("identifiers":["VATBE-0000000097"],"mandates":[")" + std::string(kUgent) + "\"]")));
  auto mandated = testing::VerifyText(*v, cred(kUgent));
  EXPECT_TRUE(mandated.verified()) << Describe(mandated);
  auto stranger = testing::VerifyText(*v, cred("https://other.example/sorbonne"));
  EXPECT_EQ(Seal(stranger).code, "issuer_not_mandated") << Describe(stranger);
  EXPECT_NE(Seal(stranger).message.find("'https://other.example/sorbonne'"), std::string::npos);

  // With a registry that does not know the issuer there are no mandates at all.
  auto unknown = testing::VerifyText(*V(Registry(Entry(kUj, ""))), cred(kUgent));
  EXPECT_EQ(Seal(unknown).code, "issuer_not_mandated") << Describe(unknown);

  // Without a registry the mandates are unknown: the seal says what it did not check.
  auto unchecked = testing::VerifyText(*V(), cred("https://other.example/sorbonne"));
  EXPECT_EQ(Seal(unchecked).outcome, Outcome::kPass) << Describe(unchecked);
  EXPECT_NE(Seal(unchecked).message.find("not checked against mandates"), std::string::npos) << Seal(unchecked).message;
}

// --- Status lists -------------------------------------------------------------------

TEST_F(IssuerBinding, AStatusListCountsOnlyFromTheIssuerOrItsDelegate) {
  const std::string url = "https://status.example/1";
  StatusBitstring bits(kMinStatusListEntries, 1);
  bits.Set(7, 1);
  // UJ publishes a list that marks UGent's credential revoked.
  auto lists = std::make_shared<testing::MapListSource>();
  lists->docs[url] = Compact(
      *uj_, R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":")" + url +
                R"(","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":")" + kUj +
                R"(","credentialSubject":{"type":"BitstringStatusList","statusPurpose":"revocation","encodedList":")" +
                bits.Encode() + "\"}}");
  const std::string cred = Compact(
      *ugent_, R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":")" +
                   std::string(kUgent) +
                   R"(","credentialSubject":{},"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"7","statusListCredential":")" +
                   url + "\"}}");
  const std::string members = Entry(kUgent, R"("keys":[)" + KeyEntry(*ugent_) + "]");
  const std::string uj = Entry(kUj, R"("keys":[)" + KeyEntry(*uj_) + "]");

  auto other = testing::VerifyText(*V(Registry(members + "," + uj), lists), cred);
  EXPECT_EQ(other.check(CheckId::kRevocation).code, "status_list_invalid") << Describe(other);
  EXPECT_NE(other.check(CheckId::kRevocation).message.find("neither the credential's issuer nor a status delegate"),
            std::string::npos);

  // A list signed with a key its issuer does not own is refused at the seal.
  auto unbound = testing::VerifyText(*V(Registry(Entry(kUgent, R"("keys":[)" + KeyEntry(*ugent_) + R"(],"statusDelegates":[")" +
                                                                  kUj + "\"]")),
                                         lists),
                                     cred);
  EXPECT_EQ(unbound.check(CheckId::kRevocation).code, "status_list_invalid") << Describe(unbound);
  EXPECT_NE(unbound.check(CheckId::kRevocation).message.find("key_not_authorized_for_issuer"), std::string::npos);

  // Named as UGent's status delegate, and with its own key bound, UJ's list decides.
  auto delegated = testing::VerifyText(
      *V(Registry(Entry(kUgent, R"("keys":[)" + KeyEntry(*ugent_) + R"(],"statusDelegates":[")" + kUj + "\"]") + "," + uj),
         lists),
      cred);
  EXPECT_EQ(delegated.check(CheckId::kRevocation).code, "revoked") << Describe(delegated);
}

// --- --trust-any-configured-key ---------------------------------------------------------

TEST_F(IssuerBinding, TrustingAnyConfiguredKeyIsSaidInEveryResult) {
  VerifierOptions o = V()->options();
  o.trust_any_configured_key = true;
  Verifier loose(o);
  auto r = testing::VerifyText(loose, Compact(*uj_, Credential(Q(kUgent))));
  EXPECT_TRUE(r.verified()) << Describe(r);
  EXPECT_NE(Seal(r).message.find("--trust-any-configured-key is in effect"), std::string::npos);
  auto tampered = testing::VerifyText(loose, Compact(*uj_, Credential(Q(kUgent))) + "x");
  EXPECT_NE(Seal(tampered).message.find("--trust-any-configured-key is in effect"), std::string::npos)
      << Seal(tampered).message;
}

// --- The registry document ------------------------------------------------------------

TEST(TrustRegistry, ReadsEveryForm) {
  auto r = TrustRegistry::Parse(R"({"version":1,"issuers":[
    {"ids":["https://uni.example/ugent","urn:epass:org:ugent"],"name":"Universiteit Gent","country":"BE",
     "identifiers":["VATBE-0248015142"],
     "keys":[{"jwkThumbprint":"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs","validFrom":"2025-01-01T00:00:00Z"},
             {"didUrl":"did:web:ugent.example#key-1"}],
     "certificates":[{"sha256":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
                     {"organizationIdentifier":"VATBE-0248015142","caSha256":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}],
     "mandates":["https://uni.example/ugent/faculty-1"],"statusDelegates":["https://status.example"]}],
    "trustAnchors":[],"accreditations":[{"id":"https://acc.example/1","organisation":"https://uni.example/ugent"}]})",
                                "r.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const TrustRegistry& reg = **r;
  ASSERT_NE(reg.Find("urn:epass:org:ugent"), nullptr);
  EXPECT_EQ(reg.Find("urn:epass:org:ugent"), reg.Find("https://uni.example/ugent"));
  EXPECT_EQ(reg.Find("https://uni.example/uj"), nullptr);
  const RegistryIssuer& i = reg.issuers()[0];
  EXPECT_EQ(i.keys.size(), 2u);
  EXPECT_EQ(i.certificates[0].sha256, std::string(64, 'a'));  // hex is compared in lower case
  EXPECT_TRUE(i.keys[0].validity.from.has_value());
  EXPECT_FALSE(i.keys[0].validity.until.has_value());
  EXPECT_EQ(reg.OwnersOfThumbprint("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs").size(), 1u);
  EXPECT_TRUE(i.Mandated("https://uni.example/ugent/faculty-1"));
  EXPECT_EQ(reg.accreditation_count(), 1u);
}

struct BadRegistry {
  const char* name;
  const char* json;
  const char* error;  // a part of the message naming the entry and field
};

class BadRegistries : public ::testing::TestWithParam<BadRegistry> {};

TEST_P(BadRegistries, AreRefusedNamingTheEntryAndField) {
  auto r = TrustRegistry::Parse(GetParam().json, "reg.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(GetParam().error), std::string::npos) << r.status().message();
  EXPECT_EQ(r.status().message().rfind("reg.json: ", 0), 0u) << r.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    TrustRegistry, BadRegistries,
    ::testing::Values(
        BadRegistry{"not_json", "{", "document: not a JSON object"},
        BadRegistry{"no_version", R"({"issuers":[]})", "version: must be 1"},
        BadRegistry{"no_ids", R"({"version":1,"issuers":[{"name":"x"}]})", "issuers[0]: missing 'ids'"},
        BadRegistry{"misspelt_member", R"({"version":1,"issuers":[{"ids":["https://a.example"],"key":[]}]})",
                    "issuers[0] ('https://a.example'): unknown member 'key'"},
        BadRegistry{"bad_date",
                    R"({"version":1,"issuers":[{"ids":["https://a.example"],"keys":[{"didUrl":"did:key:z6M","validFrom":"2025-13-01"}]}]})",
                    "issuers[0] ('https://a.example').keys[0].validFrom: '2025-13-01' is not a dateTimeStamp"},
        BadRegistry{"reversed_period",
                    R"({"version":1,"issuers":[{"ids":["https://a.example"],"keys":[{"didUrl":"did:key:z6M","validFrom":"2026-01-01T00:00:00Z","validUntil":"2025-01-01T00:00:00Z"}]}]})",
                    "keys[0]: validFrom is later than validUntil"},
        BadRegistry{"two_key_forms",
                    R"({"version":1,"issuers":[{"ids":["https://a.example"],"keys":[{"didUrl":"did:key:z6M","jwkThumbprint":"x"}]}]})",
                    "keys[0]: needs exactly one of jwkThumbprint, jwk, didUrl"},
        BadRegistry{"short_thumbprint",
                    R"({"version":1,"issuers":[{"ids":["https://a.example"],"keys":[{"jwkThumbprint":"abc"}]}]})",
                    "keys[0].jwkThumbprint: 'abc' is not a base64url SHA-256"},
        BadRegistry{"identifier_without_ca",
                    R"({"version":1,"issuers":[{"ids":["https://a.example"],"certificates":[{"organizationIdentifier":"VATBE-1"}]}]})",
                    "certificates[0]: organizationIdentifier and caSha256 go together"},
        BadRegistry{"bad_hash",
                    R"({"version":1,"issuers":[{"ids":["https://a.example"],"certificates":[{"sha256":"xyz"}]}]})",
                    "certificates[0].sha256: 'xyz' is not a SHA-256 in hex"},
        BadRegistry{"duplicate_id",
                    R"({"version":1,"issuers":[{"ids":["https://a.example"]},{"ids":["https://b.example","https://a.example"]}]})",
                    "issuers[1] ('https://b.example').ids: 'https://a.example' is already listed by another issuer"},
        BadRegistry{"duplicate_member", R"({"version":1,"version":1,"issuers":[]})", "appears more than once"},
        BadRegistry{"bad_country", R"({"version":1,"issuers":[{"ids":["https://a.example"],"country":"Belgium"}]})",
                    "country: 'Belgium' is not an ISO 3166-1 alpha-2 code"},
        BadRegistry{"bad_jwk",
                    R"({"version":1,"issuers":[{"ids":["https://a.example"],"keys":[{"jwk":{"kty":"RSA","n":"AQAB","e":"AQAB"}}]}]})",
                    "keys[0].jwk: "},
        BadRegistry{"anchor_not_pem", R"({"version":1,"issuers":[],"trustAnchors":["hello"]})",
                    "trustAnchors[0]: is not a PEM certificate"}),
    [](const auto& info) { return std::string(info.param.name); });

// --- The organizationIdentifier rule ------------------------------------------------------

TEST(OrganizationIdentifier, MatchesExactlyOrByRegistrationNumberInTheSameCountry) {
  using internal::MatchOrganizationIdentifier;
  EXPECT_NE(MatchOrganizationIdentifier("VATES-A00000000", {{"VATES-A00000000", "ES"}}), "");
  EXPECT_NE(MatchOrganizationIdentifier("NTREE-17207834", {{"17207834", "EE"}}), "");
  EXPECT_EQ(MatchOrganizationIdentifier("NTREE-17207834", {{"17207834", ""}}), "") << "a bare number needs a country";
  EXPECT_EQ(MatchOrganizationIdentifier("NTREE-17207834", {{"17207834", "LV"}}), "");
  EXPECT_EQ(MatchOrganizationIdentifier("NTREE-17207834", {{"VATEE-17207834", "EE"}}), "")
      << "a VAT number is not a trade-register number";
  EXPECT_NE(MatchOrganizationIdentifier("VATEL-094014201", {{"094014201", "GR"}}), "") << "Greece is EL in VAT numbers";
  EXPECT_EQ(MatchOrganizationIdentifier("", {{"", ""}}), "");
  EXPECT_EQ(MatchOrganizationIdentifier("VATBE-0000000097", {}), "");
  EXPECT_EQ(internal::Alpha2FromAlpha3("EST"), "EE");
  EXPECT_EQ(internal::Alpha2FromAlpha3("XYZ"), "");
}

}  // namespace
}  // namespace credsweep
