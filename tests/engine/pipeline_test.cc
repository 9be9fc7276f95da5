// The pipeline's exception fence: an exception escaping one record's verification
// becomes that record's internal_error; every other record is verified as usual
// and results stay in input order. Verifier::VerifyAll, which the pipeline's
// batches go through (records read a group at a time, then checked), gives what
// Verify gives record by record.
#include "engine/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "engine/internal/cached_reading.h"
#include "engine/sha256.h"
#include "engine/signer.h"
#include "engine/timestamp.h"
#include "tests/fakes.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

// A status index that throws for one credential id (a bug in a port), knows ids
// ending in 3 as revoked and every other id as active.
class ThrowingIndex : public StatusLookup {
 public:
  explicit ThrowingIndex(std::string bad_id) : bad_id_(std::move(bad_id)) {}
  Result<std::optional<StatusRecord>> Lookup(std::string_view id) const override {
    if (id == bad_id_) throw std::runtime_error("index exploded on " + bad_id_);
    StatusRecord r;
    r.state = id.back() == '3' ? CredentialState::kRevoked : CredentialState::kActive;
    return std::optional<StatusRecord>(r);
  }
  void Prefetch(std::string_view) const override { ++prefetched; }

  mutable std::atomic<int> prefetched{0};  // lookups announced

 private:
  std::string bad_id_;
};

// A reading cache that keeps nothing and throws when asked about one source (a
// bug in a port): the throw comes while a group is read, before any of it is checked.
class ThrowingCache : public ReadingCache {
 public:
  explicit ThrowingCache(std::string bad_source) : bad_source_(std::move(bad_source)) {}
  std::optional<std::string_view> Find(std::string_view source, std::string_view) const override {
    if (source == bad_source_) throw std::runtime_error("cache exploded on " + bad_source_);
    return std::nullopt;
  }
  void Add(std::string_view, std::string_view, std::string) const override {}
  void Stale(std::string_view) const override {}

 private:
  std::string bad_source_;
};

std::string Credential(const PrivateKey& key, int n) {
  std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                        R"("id":"urn:test:)" + std::to_string(n) +
                        R"(","issuer":"https://i.example","credentialSubject":{}})";
  return SignCompact(key, R"({"alg":"ES256","kid":")" + key.kid() + "\"}", payload).value();
}

// Options that trust `key` for any issuer (these tests are about exceptions and
// order, not binding), at a fixed time.
VerifierOptions TrustingKeyOf(const PrivateKey& key) {
  auto keys = std::make_shared<KeySet>();
  EXPECT_TRUE(keys->AddJwks(key.ToPublicJwkJson(), "test").ok());
  VerifierOptions o;
  o.keys = keys;
  o.trust_any_configured_key = true;
  o.at = *ParseDateTimeStamp("2026-11-29T00:00:00Z");
  return o;
}

TEST(Pipeline, AnExceptionInOneRecordIsThatRecordsInternalErrorOnly) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  VerifierOptions o = TrustingKeyOf(*key);
  o.status_index = std::make_shared<ThrowingIndex>("urn:test:7");
  Verifier verifier(o);

  constexpr int kRecords = 20;
  int next = 0;
  std::vector<VerificationResult> results;
  PipelineOptions po;
  po.threads = 2;
  po.batch_records = 3;  // the bad record shares a batch with good ones
  RunPipeline(
      verifier,
      [&](Record* r) {
        if (next == kRecords) return false;
        r->source = "rec:" + std::to_string(next);
        r->data = Credential(*key, next);
        ++next;
        return true;
      },
      [&](const Record&, VerificationResult&& r) { results.push_back(std::move(r)); }, po);

  ASSERT_EQ(results.size(), static_cast<size_t>(kRecords));
  for (int i = 0; i < kRecords; ++i) {
    const VerificationResult& r = results[i];
    EXPECT_EQ(r.source(), "rec:" + std::to_string(i));
    if (i == 7) {
      EXPECT_FALSE(r.verified());
      EXPECT_EQ(r.check(CheckId::kFormat).outcome, Outcome::kFail);
      EXPECT_EQ(r.check(CheckId::kFormat).code, "internal_error");
      EXPECT_NE(r.check(CheckId::kFormat).message.find("index exploded on urn:test:7"), std::string::npos)
          << Describe(r);
    } else if (i % 10 == 3) {
      EXPECT_FALSE(r.verified()) << i << ": " << Describe(r);
      EXPECT_EQ(r.check(CheckId::kRevocation).code, "revoked") << i << ": " << Describe(r);
    } else {
      EXPECT_TRUE(r.verified()) << i << ": " << Describe(r);
      EXPECT_EQ(r.check(CheckId::kRevocation).code, "ok") << i << ": " << Describe(r);
    }
  }
}

TEST(Pipeline, VerifyAllGivesWhatVerifyGivesForEachRecordAcrossGroups) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  VerifierOptions o = TrustingKeyOf(*key);
  o.status_index = std::make_shared<ThrowingIndex>("urn:test:21");
  Verifier verifier(o);

  // More records than one group holds, of every kind: sealed (active, revoked),
  // unreadable, tampered, empty, and one whose lookup throws in the second group.
  std::vector<Record> records(45);
  for (size_t i = 0; i < records.size(); ++i) {
    Record& r = records[i];
    r.source = "rec:" + std::to_string(i);
    r.data = Credential(*key, static_cast<int>(i));
    if (i % 7 == 1) r.data = "not a credential";
    if (i % 7 == 2) r.data[r.data.size() - 5] ^= 1;  // the signature changed
    if (i == 30) r.data.clear();
  }
  std::vector<VerificationResult> all;
  verifier.VerifyAll(records, &all);
  ASSERT_EQ(all.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    if (i == 21) {
      EXPECT_EQ(all[i].check(CheckId::kFormat).code, "internal_error") << Describe(all[i]);
      continue;
    }
    EXPECT_EQ(Describe(all[i]), Describe(verifier.Verify(records[i]))) << i;
  }
  EXPECT_EQ(all[13].check(CheckId::kRevocation).code, "revoked") << Describe(all[13]);
  EXPECT_EQ(all[2].check(CheckId::kSeal).outcome, Outcome::kFail) << Describe(all[2]);
  // Appended after what the vector held.
  std::vector<VerificationResult> more;
  verifier.VerifyAll({records[0]}, &more);
  verifier.VerifyAll({records[3], records[4]}, &more);
  ASSERT_EQ(more.size(), 3u);
  EXPECT_EQ(Describe(more[2]), Describe(all[4]));
}

TEST(Pipeline, AThrowWhileAGroupIsReadIsThatRecordsOnly) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  VerifierOptions o = TrustingKeyOf(*key);
  auto index = std::make_shared<ThrowingIndex>("none");
  o.status_index = index;
  VerifierOptions plain = o;
  o.reading_cache = std::make_shared<ThrowingCache>("rec:5");
  Verifier verifier(o), without_cache(plain);

  std::vector<Record> records(20);
  for (size_t i = 0; i < records.size(); ++i) {
    records[i].source = "rec:" + std::to_string(i);
    records[i].data = Credential(*key, static_cast<int>(i));
  }
  std::vector<VerificationResult> all;
  verifier.VerifyAll(records, &all);
  // Each record read announced its status lookup (the one whose reading threw did not).
  EXPECT_EQ(index->prefetched.load(), 19);
  ASSERT_EQ(all.size(), records.size());
  EXPECT_EQ(all[5].check(CheckId::kFormat).code, "internal_error") << Describe(all[5]);
  EXPECT_NE(all[5].check(CheckId::kFormat).message.find("cache exploded on rec:5"), std::string::npos)
      << Describe(all[5]);
  EXPECT_EQ(all[5].source(), "rec:5");
  for (size_t i = 0; i < records.size(); ++i) {
    if (i == 5) continue;
    EXPECT_EQ(Describe(all[i]), Describe(without_cache.Verify(records[i]))) << i;
    EXPECT_EQ(all[i].check(CheckId::kRevocation).code, i % 10 == 3 ? "revoked" : "ok") << Describe(all[i]);
  }
}

// VerifyAll reuses each group slot's credential from one record to the next: a
// record read afresh after one whose reading was kept carries nothing of it (the
// kept one had an expiry, types, a subject and labels the fresh one lacks), nor
// does one whose format fails early, and a kept reading decoded over a fresh
// record's credential is the kept one whole.
TEST(Pipeline, VerifyAllCarriesNothingFromOneRecordOfASlotToTheNext) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  VerifierOptions o = TrustingKeyOf(*key);
  o.status_index = std::make_shared<ThrowingIndex>("none");
  VerifierOptions plain_options = o;
  auto cache = std::make_shared<testing::InMemoryReadingCache>();
  o.reading_cache = cache;
  Verifier verifier(o), without_cache(plain_options);

  auto rich = [&](int n) {
    Record r;
    r.source = "rich:" + std::to_string(n);
    const std::string payload =
        R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","Extra"],)"
        R"("id":"urn:test:)" + std::to_string(n) +
        R"(","issuer":"https://i.example","validFrom":"2020-01-01T00:00:00Z","validUntil":"2026-01-01T00:00:00Z",)"
        R"("name":"A course","credentialSubject":{"id":"did:example:learner","name":"Ana"}})";
    r.data = SignCompact(*key, R"({"alg":"ES256","kid":")" + key->kid() + "\"}", payload).value();
    return r;
  };
  auto plain = [&](int n) {
    Record r;
    r.source = "plain:" + std::to_string(n);
    r.data = Credential(*key, 100 + n);
    return r;
  };
  // The rich ones' readings kept first (an ES256 signature differs each time: made once).
  std::vector<Record> riches;
  for (int i = 0; i < 16; ++i) riches.push_back(rich(i));
  std::vector<VerificationResult> ignored;
  verifier.VerifyAll(riches, &ignored);
  ASSERT_EQ(cache->found(), 0);
  // Then groups of kept and fresh records in turn, so that each slot holds one
  // of each kind after the other; then a group mixing both.
  std::vector<Record> records = riches;
  for (int i = 0; i < 16; ++i) records.push_back(plain(i));
  records.insert(records.end(), riches.begin(), riches.end());
  for (int i = 0; i < 16; ++i) records.push_back(i % 2 ? riches[i] : plain(16 + i));
  // Then records whose format fails early, in the slots the kept ones held last.
  for (int i = 0; i < 16; ++i) {
    if (i % 2 == 0) {
      records.push_back(riches[i]);
      continue;
    }
    Record bad;
    bad.source = "bad:" + std::to_string(i);
    bad.data = i % 4 == 1 ? std::string(R"({"not":"a credential"})") : std::string("not a credential");
    records.push_back(bad);
  }
  std::vector<VerificationResult> all;
  verifier.VerifyAll(records, &all);
  EXPECT_EQ(cache->found(), 16 + 16 + 8 + 8);
  ASSERT_EQ(all.size(), records.size());
  // The checks and every fact the result line shows of the credential.
  auto whole = [](const VerificationResult& r) {
    auto time = [](const std::optional<UnixSeconds>& t) { return t ? std::to_string(*t) : std::string("-"); };
    return Describe(r) + "id=" + r.id() + " issuer=" + r.issuer() + " subject=" + r.subject() + " title=" + r.title() +
           " body=" + r.awarding_body() + " issued=" + time(r.issued()) + " until=" + time(r.valid_until());
  };
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(whole(all[i]), whole(without_cache.Verify(records[i]))) << i << " " << records[i].source;
  }
  EXPECT_EQ(all[0].check(CheckId::kValidity).code, "expired") << Describe(all[0]);
  EXPECT_EQ(all[0].subject(), "Ana");
  EXPECT_TRUE(all[16].verified()) << Describe(all[16]);
  EXPECT_EQ(all[16].subject(), "");
  EXPECT_EQ(all[16].valid_until(), std::nullopt);
  EXPECT_EQ(all[65].check(CheckId::kFormat).outcome, Outcome::kFail) << Describe(all[65]);
  EXPECT_EQ(all[65].subject(), "");
}

// A sweep's verifier (passes unexplained) keeps a reading without the format's and
// the seal's pass messages, and one read back gives the result a fresh read gives.
TEST(Pipeline, AReadingKeptWithPassesUnexplainedCarriesNoPassMessages) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  VerifierOptions o = TrustingKeyOf(*key);
  o.explain_passes = false;
  auto cache = std::make_shared<testing::InMemoryReadingCache>();
  o.reading_cache = cache;
  Verifier verifier(o);
  Record record;
  record.source = "c.jsonl:1";
  record.data = Credential(*key, 1);
  const VerificationResult fresh = verifier.Verify(record);
  ASSERT_TRUE(fresh.verified()) << Describe(fresh);
  ASSERT_EQ(cache->added(), 1);
  auto entry = cache->Find(record.source, Sha256(record.data));
  ASSERT_TRUE(entry.has_value());
  internal::CachedReading kept;
  ASSERT_TRUE(internal::DecodeCachedReading(*entry, &kept));
  EXPECT_EQ(kept.format.code, "ok");
  EXPECT_EQ(kept.format.message, "");
  EXPECT_EQ(kept.seal.code, "ok");
  EXPECT_EQ(kept.seal.message, "");
  const VerificationResult again = verifier.Verify(record);
  EXPECT_EQ(cache->found(), 2);  // the look above, then this verification's
  for (int c = 0; c < kCheckCount; ++c) {
    const CheckResult& a = fresh.check(static_cast<CheckId>(c));
    const CheckResult& b = again.check(static_cast<CheckId>(c));
    EXPECT_EQ(a.outcome, b.outcome) << c;
    EXPECT_EQ(a.code, b.code) << c;
    EXPECT_EQ(a.message, b.message) << c;
    if (a.outcome == Outcome::kPass) {
      EXPECT_EQ(b.message, "") << c;
    }
  }
}

}  // namespace
}  // namespace credsweep
