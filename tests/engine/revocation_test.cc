// The revocation check: the engine's own index and Bitstring Status Lists, through
// in-memory fakes of the engine's ports. A list that cannot be had or trusted is
// never reported as "revoked".
#include <gtest/gtest.h>

#include "engine/encoding.h"
#include "engine/pipeline.h"
#include "engine/signer.h"
#include "tests/fakes.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;
using testing::ReadTestData;

constexpr const char* kTs201 = "https://example.com/credentials/status/ts-201";

using testing::MapIndex;
using testing::MapListSource;

// The W3C vectors are unsecured credentials; status is only looked up for a sealed
// one, so the tests seal each with this key (configured in Options()).
const PrivateKey& SealingKey() {
  static const std::unique_ptr<PrivateKey> key = [] {
    auto k = PrivateKey::Generate(JwsAlg::kES256).value();
    k->set_kid("w3c-vector-sealer");
    return k;
  }();
  return *key;
}

std::string Sealed(const std::string& json) {
  return SignCompact(SealingKey(), R"({"alg":"ES256","kid":"w3c-vector-sealer","typ":"vc+jwt"})", json).value();
}

VerifierOptions Options(std::shared_ptr<MapListSource> lists, bool allow_unsigned = true) {
  VerifierOptions o;
  auto keys = std::make_shared<KeySet>();
  EXPECT_TRUE(keys->AddJwks("{\"keys\":[" + SealingKey().ToPublicJwkJson() + "]}", "test").ok());
  o.keys = keys;
  o.trust_any_configured_key = true;  // the W3C vectors' many issuers share one test sealer
  o.at = *ParseDateTimeStamp("2026-06-01T00:00:00Z");
  o.status_lists = std::move(lists);
  o.allow_unsigned_status_lists = allow_unsigned;
  return o;
}

const CheckResult& Revocation(const Verifier& v, const std::string& file) {
  static thread_local VerificationResult last = VerificationResult::InternalError("", "");
  last = testing::VerifyText(v, Sealed(ReadTestData(file)), file);
  return last.check(CheckId::kRevocation);
}

struct EntryCase {
  const char* file;
  Outcome outcome;
  const char* code;
};

class W3cStatusEntries : public ::testing::TestWithParam<EntryCase> {};

TEST_P(W3cStatusEntries, ReadTheDerivedListAsDocumented) {
  auto lists = std::make_shared<MapListSource>();
  lists->docs[kTs201] = ReadTestData("status-list-w3c/derived/status-list-credential-bits-201-57444-94023.json");
  Verifier v(Options(lists));
  const CheckResult& c = Revocation(v, std::string("status-list-w3c/derived/") + GetParam().file);
  EXPECT_EQ(c.code, GetParam().code) << c.message;
  EXPECT_EQ(c.outcome, GetParam().outcome) << c.message;
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, W3cStatusEntries,
    ::testing::Values(EntryCase{"credential-index-201-revocation.json", Outcome::kFail, "revoked"},
                      EntryCase{"credential-index-57444-revocation.json", Outcome::kFail, "revoked"},
                      EntryCase{"credential-index-94023-suspension.json", Outcome::kFail, "suspended"},
                      EntryCase{"credential-index-0-revocation.json", Outcome::kPass, "ok"},
                      EntryCase{"credential-index-200-revocation.json", Outcome::kPass, "ok"},
                      EntryCase{"credential-index-202-revocation.json", Outcome::kPass, "ok"},
                      EntryCase{"credential-index-199999-revocation.json", Outcome::kPass, "ok"},
                      EntryCase{"credential-index-200000-out-of-range.json", Outcome::kFail, "status_index_out_of_range"},
                      EntryCase{"credential-index-201-purpose-not-in-list.json", Outcome::kFail, "status_list_invalid"}),
    [](const auto& info) { return testing::TestName(info.param.file); });

TEST(RevocationCheck, UnavailableListIsNeverRevoked) {
  auto lists = std::make_shared<MapListSource>();  // knows no list
  Verifier v(Options(lists));
  const CheckResult& c = Revocation(v, "status-list-w3c/derived/credential-index-201-revocation.json");
  EXPECT_EQ(c.code, "status_list_unavailable") << c.message;
  EXPECT_NE(c.message.find("connection refused"), std::string::npos);
}

TEST(RevocationCheck, UnsignedListIsRefusedUnlessAllowedByName) {
  auto lists = std::make_shared<MapListSource>();
  lists->docs[kTs201] = ReadTestData("status-list-w3c/derived/status-list-credential-bits-201-57444-94023.json");
  Verifier strict(Options(lists, /*allow_unsigned=*/false));
  const CheckResult& c = Revocation(strict, "status-list-w3c/derived/credential-index-201-revocation.json");
  EXPECT_EQ(c.code, "status_list_invalid") << c.message;
  EXPECT_NE(c.message.find("not_sealed"), std::string::npos) << c.message;
}

TEST(RevocationCheck, ShortCorruptAndBombListsAreInvalid) {
  auto lists = std::make_shared<MapListSource>();
  std::string list = ReadTestData("status-list-w3c/derived/status-list-credential-too-short-200-bits.json");
  // The short list lives at its own URL; point the credential's entry at it.
  std::string cred_text = ReadTestData("status-list-w3c/derived/credential-index-0-revocation.json");
  const std::string short_url = "https://example.com/credentials/status/short";
  ASSERT_NE(list.find(short_url), std::string::npos);
  for (size_t at; (at = cred_text.find(kTs201)) != std::string::npos;) {
    cred_text.replace(at, std::string(kTs201).size(), short_url);
  }
  lists->docs[short_url] = list;
  Verifier v(Options(lists));
  std::string cred = Sealed(cred_text);
  auto r = testing::VerifyText(v, cred);
  EXPECT_EQ(r.check(CheckId::kRevocation).code, "status_list_invalid") << Describe(r);
  EXPECT_NE(r.check(CheckId::kRevocation).message.find("minimum"), std::string::npos) << Describe(r);
  cred = Sealed(ReadTestData("status-list-w3c/derived/credential-index-0-revocation.json"));

  std::string good = ReadTestData("status-list-w3c/derived/status-list-credential-bits-201-57444-94023.json");
  size_t pos = good.find("\"encodedList\": \"") + 16;
  size_t end = good.find('"', pos);
  auto bombed = std::make_shared<MapListSource>();
  bombed->docs[kTs201] = good.substr(0, pos) + "u" +
                         Base64UrlEncode(GzipCompress(std::string(64u << 20, '\0'))) + good.substr(end);
  VerifierOptions o = Options(bombed);
  o.max_status_list_bytes = 1u << 20;
  Verifier vb(o);
  auto rb = testing::VerifyText(vb, cred);
  EXPECT_EQ(rb.check(CheckId::kRevocation).code, "status_list_invalid") << Describe(rb);

  auto truncated = std::make_shared<MapListSource>();
  truncated->docs[kTs201] = good.substr(0, pos) + good.substr(pos, (end - pos) / 2) + good.substr(end);
  Verifier vt(Options(truncated));
  EXPECT_EQ(testing::VerifyText(vt, cred).check(CheckId::kRevocation).code, "status_list_invalid");
}

struct ListShape {
  std::string id = "https://status.example/1";
  std::string type = "BitstringStatusListCredential";
  std::string valid_from = "2026-01-01T00:00:00Z";
};

class SignedLists : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    key_->set_kid("issuer-key");
    other_ = PrivateKey::Generate(JwsAlg::kES256).value();
    other_->set_kid("other-key");
  }
  std::string List(const std::string& issuer, const StatusBitstring& bits, const PrivateKey& key,
                   const ListShape& shape = ListShape()) {
    std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":")" + shape.id +
                          R"(","type":["VerifiableCredential",")" + shape.type + R"("],"issuer":")" +
                          issuer + R"(","validFrom":")" + shape.valid_from + R"(","credentialSubject":{"id":"https://status.example/1#list","type":"BitstringStatusList","statusPurpose":["revocation","suspension"],"encodedList":")" +
                          bits.Encode() + "\"}}";
    return SignCompact(key, R"({"alg":"ES256","kid":")" + key.kid() + R"(","typ":"vc+jwt"})", payload).value();
  }
  std::string Credential(uint64_t index, const char* purpose = "revocation") {
    return CredentialWithEntry(R"("statusPurpose":")" + std::string(purpose) + R"(","statusListIndex":")" +
                                   std::to_string(index) + "\"",
                               index);
  }
  // A sealed credential whose status entry carries `fields` (purpose, index, size).
  std::string CredentialWithEntry(const std::string& fields, uint64_t n = 0,
                                  const std::string& list_url = "https://status.example/1") {
    std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:c)" + std::to_string(n) +
                          R"(","type":["VerifiableCredential"],"issuer":"https://issuer.example","validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"},"credentialStatus":{"type":"BitstringStatusListEntry",)" +
                          fields + R"(,"statusListCredential":")" + list_url + R"("}})";
    return SignCompact(*key_, R"({"alg":"ES256","kid":"issuer-key","typ":"vc+jwt"})", payload).value();
  }
  std::unique_ptr<Verifier> V(std::shared_ptr<MapListSource> lists, std::shared_ptr<MapIndex> index = nullptr,
                              bool explain_passes = true) {
    auto keys = std::make_shared<KeySet>();
    EXPECT_TRUE(keys->AddJwks("{\"keys\":[" + key_->ToPublicJwkJson() + "," + other_->ToPublicJwkJson() + "]}", "t").ok());
    VerifierOptions o = Options(std::move(lists), false);
    o.keys = keys;
    o.status_index = std::move(index);
    o.explain_passes = explain_passes;
    return std::make_unique<Verifier>(o);
  }
  std::unique_ptr<PrivateKey> key_, other_;
};

TEST_F(SignedLists, SealedListDecidesRevocation) {
  StatusBitstring bits(kMinStatusListEntries, 1);
  bits.Set(7, 1);
  auto lists = std::make_shared<MapListSource>();
  lists->docs["https://status.example/1"] = List("https://issuer.example", bits, *key_);
  auto v = V(lists);
  auto revoked = testing::VerifyText(*v, Credential(7));
  EXPECT_EQ(revoked.check(CheckId::kRevocation).code, "revoked") << Describe(revoked);
  EXPECT_FALSE(revoked.verified());
  auto fine = testing::VerifyText(*v, Credential(8));
  EXPECT_TRUE(fine.verified()) << Describe(fine);
  auto suspended_purpose = testing::VerifyText(*v, Credential(7, "suspension"));
  EXPECT_EQ(suspended_purpose.check(CheckId::kRevocation).code, "suspended");
}

TEST_F(SignedLists, ListFromAnotherIssuerOrWithABrokenSealIsInvalid) {
  StatusBitstring bits(kMinStatusListEntries, 1);
  auto lists = std::make_shared<MapListSource>();
  lists->docs["https://status.example/1"] = List("https://someone-else.example", bits, *other_);
  auto r = testing::VerifyText(*V(lists), Credential(7));
  EXPECT_EQ(r.check(CheckId::kRevocation).code, "status_list_invalid") << Describe(r);
  EXPECT_NE(r.check(CheckId::kRevocation).message.find("someone-else"), std::string::npos);

  std::string list = List("https://issuer.example", bits, *key_);
  list[list.size() - 5] = list[list.size() - 5] == 'A' ? 'B' : 'A';
  lists->docs["https://status.example/1"] = list;
  auto broken = testing::VerifyText(*V(lists), Credential(7));
  EXPECT_EQ(broken.check(CheckId::kRevocation).code, "status_list_invalid") << Describe(broken);
}

TEST_F(SignedLists, IndexRevocationAndUnknownIds) {
  auto index = std::make_shared<MapIndex>();
  index->records["urn:uuid:c7"] = {CredentialState::kRevoked, "issued in error", 1767225600, "", 0, 3, ""};
  index->records["urn:uuid:c8"] = {CredentialState::kActive, "", 1767225600, "", 0, 1, ""};
  auto v = V(nullptr, index);
  auto r7 = testing::VerifyText(*v, Credential(7));
  EXPECT_EQ(r7.check(CheckId::kRevocation).code, "revoked");
  EXPECT_NE(r7.check(CheckId::kRevocation).message.find("issued in error"), std::string::npos);
  EXPECT_EQ(testing::VerifyText(*v, Credential(8)).check(CheckId::kRevocation).code, "ok");
  auto r9 = testing::VerifyText(*v, Credential(9));
  EXPECT_EQ(r9.check(CheckId::kRevocation).outcome, Outcome::kSkipped);
  EXPECT_EQ(r9.check(CheckId::kRevocation).code, "no_status_information") << Describe(r9);
  EXPECT_TRUE(r9.verified());
  EXPECT_FALSE(r9.verified(1u << static_cast<int>(CheckId::kRevocation)));  // --require revocation
}

// VerifierOptions::explain_passes off (a sweep's): the same outcomes and codes,
// the same text for what fails, no text for what passes (of any check).
TEST_F(SignedLists, UnexplainedPassesKeepTheirCodesAndFailuresTheirText) {
  StatusBitstring bits(kMinStatusListEntries, 1);
  bits.Set(7, 1);
  auto lists = std::make_shared<MapListSource>();
  lists->docs["https://status.example/1"] = List("https://issuer.example", bits, *key_);
  lists->docs["https://status.example/other"] = List("https://someone-else.example", bits, *other_);
  auto index = std::make_shared<MapIndex>();
  index->records["urn:uuid:c9"] = {CredentialState::kRevoked, "issued in error", 1767225600, "", 0, 3, ""};
  index->records["urn:uuid:c8"] = {CredentialState::kActive, "", 1767225600, "", 0, 1, ""};
  auto explained = V(lists, index);
  auto brief = V(lists, index, false);
  const std::vector<std::string> records = {
      Credential(7), Credential(8), Credential(7, "suspension"), Credential(9), Credential(10),
      CredentialWithEntry(R"("statusPurpose":"revocation","statusListIndex":"3")", 11, "https://status.example/other")};
  int passes = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const VerificationResult full = testing::VerifyText(*explained, records[i]);
    const VerificationResult codes = testing::VerifyText(*brief, records[i]);
    // Every record here is read and sealed: those passes go unexplained too.
    for (CheckId c : {CheckId::kFormat, CheckId::kSeal, CheckId::kValidity}) {
      EXPECT_EQ(full.check(c).outcome, Outcome::kPass) << i;
      EXPECT_EQ(codes.check(c).outcome, Outcome::kPass) << i;
      EXPECT_EQ(codes.check(c).code, full.check(c).code) << i;
      EXPECT_NE(full.check(c).message, "") << i;
      EXPECT_EQ(codes.check(c).message, "") << i;
    }
    const CheckResult a = full.check(CheckId::kRevocation);
    const CheckResult b = codes.check(CheckId::kRevocation);
    EXPECT_EQ(a.outcome, b.outcome) << i;
    EXPECT_EQ(a.code, b.code) << i;
    if (a.outcome == Outcome::kPass) {
      ++passes;
      EXPECT_NE(a.message, "") << i;
      EXPECT_EQ(b.message, "") << i;
    } else {
      EXPECT_EQ(a.message, b.message) << i;
      EXPECT_NE(b.message, "") << i;
    }
  }
  EXPECT_EQ(passes, 2);  // 8 (list and index) and 10 (list)
}

// An index record registered for another issuer speaks for another credential
// that happens to share the id: never "active", never "revoked" for this one.
TEST_F(SignedLists, AnIndexRecordOfAnotherIssuerIsNotThisCredentialsStatus) {
  auto index = std::make_shared<MapIndex>();
  index->records["urn:uuid:c7"] = {CredentialState::kActive, "", 1767225600, "", 0, 1, "https://other.example"};
  index->records["urn:uuid:c8"] = {CredentialState::kRevoked, "appeal", 1767225600, "", 0, 2, "https://other.example"};
  index->records["urn:uuid:c9"] = {CredentialState::kRevoked, "appeal", 1767225600, "", 0, 3, "https://issuer.example"};
  auto v = V(nullptr, index);
  auto active = testing::VerifyText(*v, Credential(7));
  EXPECT_EQ(active.check(CheckId::kRevocation).code, "no_status_information") << Describe(active);
  EXPECT_NE(active.check(CheckId::kRevocation).message.find("registered for issuer 'https://other.example'"),
            std::string::npos);
  EXPECT_FALSE(active.verified(1u << static_cast<int>(CheckId::kRevocation)));
  EXPECT_EQ(testing::VerifyText(*v, Credential(8)).check(CheckId::kRevocation).code, "no_status_information");
  EXPECT_EQ(testing::VerifyText(*v, Credential(9)).check(CheckId::kRevocation).code, "revoked");
}

TEST_F(SignedLists, EachListIsFetchedOncePerBatch) {
  StatusBitstring bits(kMinStatusListEntries, 1);
  auto lists = std::make_shared<MapListSource>();
  lists->docs["https://status.example/1"] = List("https://issuer.example", bits, *key_);
  auto v = V(lists);
  std::vector<std::string> creds;
  for (int i = 0; i < 200; ++i) creds.push_back(Credential(static_cast<uint64_t>(i)));
  size_t next = 0, ok = 0;
  PipelineOptions po;
  po.threads = 2;
  po.batch_records = 4;
  RunPipeline(
      *v,
      [&](Record* r) {
        if (next == creds.size()) return false;
        r->source = std::to_string(next);
        r->data = creds[next++];
        return true;
      },
      [&](const Record&, VerificationResult&& res) { ok += res.check(CheckId::kRevocation).code == "ok"; }, po);
  EXPECT_EQ(ok, creds.size());
  EXPECT_EQ(lists->fetches.load(), 1);
}

// Attacker-chosen indexes near 2^64 used to wrap the bounds check and read out of
// the list (a crash of verify and serve from one record).
TEST_F(SignedLists, HugeIndexesAreOutOfRangeNotACrash) {
  StatusBitstring bits(kMinStatusListEntries, 8);  // large enough for every statusSize
  auto lists = std::make_shared<MapListSource>();
  lists->docs["https://status.example/1"] = List("https://issuer.example", bits, *key_);
  auto v = V(lists);
  for (const std::string& fields :
       {std::string(R"("statusPurpose":"revocation","statusListIndex":18446744073709551615)"),
        std::string(R"("statusPurpose":"revocation","statusSize":2,"statusListIndex":"9223372036854775807")"),
        std::string(R"("statusPurpose":"suspension","statusSize":8,"statusListIndex":"2305843009213693951")")}) {
    auto r = testing::VerifyText(*v, CredentialWithEntry(fields));
    EXPECT_EQ(r.check(CheckId::kRevocation).code, "status_index_out_of_range") << fields << Describe(r);
  }
  EXPECT_FALSE(bits.Get(UINT64_MAX, 1).has_value());
  EXPECT_FALSE(bits.Get(UINT64_MAX / 2, 2).has_value());
  EXPECT_FALSE(bits.Get(kMinStatusListEntries, 8).has_value());
  EXPECT_TRUE(bits.Get(kMinStatusListEntries - 1, 8).has_value());
  bits.Set(UINT64_MAX, 1, 1);  // ignored, not a write out of bounds
}

// A forged or unsigned record never makes the verifier fetch or evaluate a list.
TEST_F(SignedLists, NoListIsFetchedForARecordWhoseSealFailed) {
  auto lists = std::make_shared<MapListSource>();
  lists->docs["https://status.example/1"] = List("https://issuer.example", StatusBitstring(kMinStatusListEntries, 1), *key_);
  auto v = V(lists);
  std::string forged = Credential(7);
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
  auto r = testing::VerifyText(*v, forged);
  EXPECT_EQ(r.check(CheckId::kSeal).code, "signature_invalid") << Describe(r);
  EXPECT_EQ(r.check(CheckId::kRevocation).outcome, Outcome::kSkipped);
  EXPECT_EQ(r.check(CheckId::kRevocation).code, "not_checked") << Describe(r);
  auto unsigned_record = testing::VerifyText(*v, ReadTestData("status-list-w3c/derived/credential-index-201-revocation.json"));
  EXPECT_EQ(unsigned_record.check(CheckId::kRevocation).code, "not_checked") << Describe(unsigned_record);
  EXPECT_EQ(lists->fetches.load(), 0);
}

TEST_F(SignedLists, ListsWithAFutureStartAnotherIdOrTheWrongTypeAreRefused) {
  StatusBitstring bits(kMinStatusListEntries, 1);
  ListShape future, other_id, wrong_type;
  future.valid_from = "2027-01-01T00:00:00Z";
  other_id.id = "https://status.example/2";
  wrong_type.type = "VerifiableAttestation";
  for (const ListShape* shape : {&future, &other_id, &wrong_type}) {
    auto lists = std::make_shared<MapListSource>();
    lists->docs["https://status.example/1"] = List("https://issuer.example", bits, *key_, *shape);
    auto r = testing::VerifyText(*V(lists), Credential(7));
    EXPECT_EQ(r.check(CheckId::kRevocation).code, "status_list_invalid") << Describe(r);
    EXPECT_TRUE(lists->validated.empty());
  }
}

TEST_F(SignedLists, OnlyAListThatPassedEveryCheckIsReportedValidated) {
  StatusBitstring bits(kMinStatusListEntries, 1);
  auto lists = std::make_shared<MapListSource>();
  lists->docs["https://status.example/1"] = List("https://issuer.example", bits, *key_);
  std::string broken = List("https://issuer.example", bits, *key_);
  broken[broken.size() - 5] = broken[broken.size() - 5] == 'A' ? 'B' : 'A';
  lists->docs["https://status.example/broken"] = broken;
  auto v = V(lists);
  EXPECT_EQ(testing::VerifyText(*v, Credential(7)).check(CheckId::kRevocation).code, "ok");
  auto r = testing::VerifyText(*v, CredentialWithEntry(R"("statusPurpose":"revocation","statusListIndex":"1")", 9,
                                                       "https://status.example/broken"));
  EXPECT_EQ(r.check(CheckId::kRevocation).code, "status_list_invalid") << Describe(r);
  ASSERT_EQ(lists->validated.size(), 1u);
  EXPECT_EQ(lists->validated[0], "https://status.example/1");
}

// Decoded lists are kept up to a byte budget, least recently used out first.
TEST_F(SignedLists, ListCacheIsBoundedByBytes) {
  auto lists = std::make_shared<MapListSource>();
  StatusBitstring bits(kMinStatusListEntries, 1);
  for (const char* n : {"1", "2", "3"}) {
    ListShape shape;
    shape.id = std::string("https://status.example/") + n;
    lists->docs[shape.id] = List("https://issuer.example", bits, *key_, shape);
  }
  auto record = [&](const char* n) {
    return CredentialWithEntry(R"("statusPurpose":"revocation","statusListIndex":"1")", 1,
                               std::string("https://status.example/") + n);
  };
  auto keys = std::make_shared<KeySet>();
  ASSERT_TRUE(keys->AddJwks("{\"keys\":[" + key_->ToPublicJwkJson() + "]}", "t").ok());
  for (size_t budget : {size_t{256} << 20, size_t{20000}}) {  // all three lists fit / one list fits
    lists->fetches = 0;
    VerifierOptions o = Options(lists, false);
    o.keys = keys;
    o.max_status_list_cache_bytes = budget;
    Verifier v(o);
    for (const char* n : {"1", "2", "3", "1", "2", "3"}) {
      EXPECT_EQ(testing::VerifyText(v, record(n)).check(CheckId::kRevocation).code, "ok");
    }
    EXPECT_EQ(lists->fetches.load(), budget > 20000 ? 3 : 6) << budget;
  }
}

}  // namespace
}  // namespace credsweep
