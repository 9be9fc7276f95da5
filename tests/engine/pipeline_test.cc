// The pipeline's exception fence: an exception escaping one record's verification
// becomes that record's internal_error; every other record is verified as usual
// and results stay in input order. Verifier::VerifyAll, which the pipeline's
// batches go through (records read a group at a time, then checked), gives what
// Verify gives record by record.
#include "engine/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "engine/signer.h"
#include "engine/timestamp.h"
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

}  // namespace
}  // namespace credsweep
