// The pipeline's exception fence: an exception escaping one record's verification
// becomes that record's internal_error; every other record is verified as usual
// and results stay in input order.
#include "engine/pipeline.h"

#include <gtest/gtest.h>

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

 private:
  std::string bad_id_;
};

std::string Credential(const PrivateKey& key, int n) {
  std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                        R"("id":"urn:test:)" + std::to_string(n) +
                        R"(","issuer":"https://i.example","credentialSubject":{}})";
  return SignCompact(key, R"({"alg":"ES256","kid":")" + key.kid() + "\"}", payload).value();
}

TEST(Pipeline, AnExceptionInOneRecordIsThatRecordsInternalErrorOnly) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  auto keys = std::make_shared<KeySet>();
  ASSERT_TRUE(keys->AddJwks(key->ToPublicJwkJson(), "test").ok());
  VerifierOptions o;
  o.keys = keys;
  o.trust_any_configured_key = true;  // the test is about exceptions, not binding
  o.at = *ParseDateTimeStamp("2026-11-29T00:00:00Z");
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

}  // namespace
}  // namespace credsweep
