// `verify --online` asking a seal certificate's CRL distribution point over real
// HTTPS on loopback (tests/io/http/loopback_https.h), and the index keeping what it
// fetched (`--db`).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/encoding.h"
#include "engine/json_escape.h"
#include "tests/io/cli/cli_fixture.h"
#include "tests/io/http/loopback_https.h"
#include "tools/certificate_authority.h"

namespace credsweep::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAt = "2026-06-01T00:00:00Z";
constexpr int64_t kDay = 86400;
constexpr long kSerial = 7;

class CertificateStatusOnline : public CliTest {
 protected:
  static void SetUpTestSuite() {
    dir_ = (fs::path(::testing::TempDir()) / ("certificate-status-online-" + std::to_string(getpid()))).string();
    server_ = new LoopbackHttpsServer;
    ASSERT_TRUE(server_->Start(dir_));
    fs::create_directories(server_->root() + "/crl");
    now_ = *ParseDateTimeStamp(kAt);
    ca_ = CertificateAuthority::Create({"Online CA", "Test", "", "BE", now_ - 900 * kDay, now_ + 900 * kDay, true})
              .value()
              .release();
    key_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
    CertificateSpec leaf{"Seal", "Issuing Body", "VATBE-0000000097", "BE", now_ - 400 * kDay, now_ + 400 * kDay, false};
    leaf.crl_url = server_->Origin() + "/crl/ca.crl";
    cert_ = new std::string(ca_->Issue(*key_, leaf, kSerial).value());
  }
  static void TearDownTestSuite() {
    delete server_;
    fs::remove_all(dir_);
  }
  static void PublishCrl(const std::vector<CertificateAuthority::Revoked>& revoked, UnixSeconds next_update = 0) {
    std::ofstream(server_->root() + "/crl/ca.crl", std::ios::binary)
        << ca_->IssueCrl(revoked, now_ - kDay, next_update ? next_update : now_ + 30 * kDay).value();
  }

  void SetUp() override {
    CliTest::SetUp();
    Write("ca.pem", ca_->pem());
    const UnixSeconds made = now_ - 10 * kDay;
    std::string payload;
    AppendJsonString(
        R"({"@context":["https://www.w3.org/2018/credentials/v1"],"id":"urn:uuid:5","type":["VerifiableCredential"],"issuer":{"id":"https://uni.example","eIDASIdentifier":{"notation":"VATBE-0000000097"}},"issuanceDate":"2025-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s"}})",
        &payload);
    const std::string payload64 = Base64UrlEncode(payload.substr(1, payload.size() - 2));
    const std::string protected64 = Base64UrlEncode(R"({"alg":"ES256","crit":["sigT"],"sigT":")" + FormatUtc(made) +
                                                    R"(","typ":"jose+json","x5c":[")" + Base64Encode(*cert_) + "\"]}");
    const std::string signature = Base64UrlEncode(key_->Sign(protected64 + "." + payload64).value());
    Write("in.json", R"({"payload":")" + payload64 + R"(","protected":")" + protected64 + R"(","signature":")" +
                         signature + "\"}");
  }
  // The seal check object of `verify` with these flags.
  std::string Seal(const std::string& flags) {
    CliRun r = Credsweep("verify in.json --ca ca.pem --at " + std::string(kAt) +
                             " -q --certificate-status require --fetch-timeout 5 -o out.jsonl " + flags,
                         "/dev/null", "SSL_CERT_FILE=" + server_->cert());
    EXPECT_NE(r.code, 2) << r.err;
    std::string out = ReadFile(Path("out.jsonl"));
    size_t at = out.find(R"("seal":{)");
    return at == std::string::npos ? "none in: " + out : out.substr(at, out.find('}', at) - at + 1);
  }

  static inline std::string dir_;
  static inline LoopbackHttpsServer* server_ = nullptr;
  static inline UnixSeconds now_ = 0;
  static inline CertificateAuthority* ca_ = nullptr;
  static inline PrivateKey* key_ = nullptr;
  static inline std::string* cert_ = nullptr;
};

TEST_F(CertificateStatusOnline, TheCrlDistributionPointIsFetched) {
  PublishCrl({});
  const std::string url = server_->Origin() + "/crl/ca.crl";
  std::string good = Seal("--online --allow-private-addresses");
  EXPECT_TRUE(Contains(good, R"("result":"pass","code":"ok")")) << good;
  EXPECT_TRUE(Contains(good, "CRL of 'CN=Online CA,O=Test,C=BE' of " + FormatUtc(now_ - kDay) + " (fetched from " + url + ")"))
      << good;
  EXPECT_TRUE(Contains(good, R"("certificate_status":"good","certificate_status_source":"crl","certificate_status_origin":"online")")) << good;
  // Loopback is a private address: refused, and the reason named.
  std::string refused = Seal("--online");
  EXPECT_TRUE(Contains(refused, R"("code":"certificate_status_unavailable")")) << refused;
  EXPECT_TRUE(Contains(refused, "private")) << refused;
  // Revoked before the signing time: the fetched CRL says so.
  PublishCrl({{kSerial, now_ - 20 * kDay, 1}});
  std::string revoked = Seal("--online --allow-private-addresses");
  EXPECT_TRUE(Contains(revoked, R"("code":"certificate_revoked")")) << revoked;
  EXPECT_TRUE(Contains(revoked, "(keyCompromise)")) << revoked;
}

// The index keeps a fetched CRL until --max-status-age or its nextUpdate (both
// against the wall clock: when to fetch again is not a question of --at).
TEST_F(CertificateStatusOnline, TheIndexKeepsWhatWasFetched) {
  PublishCrl({}, NowUtc() + 30 * kDay);
  ASSERT_EQ(Credsweep("init --db idx").code, 0);
  std::string first = Seal("--online --allow-private-addresses --db idx");
  EXPECT_TRUE(Contains(first, R"("certificate_status":"good")")) << first;
  fs::remove(server_->root() + "/crl/ca.crl");
  std::string cached = Seal("--online --allow-private-addresses --db idx");
  EXPECT_TRUE(Contains(cached, R"("certificate_status":"good")")) << cached;
  std::string uncached = Seal("--online --allow-private-addresses");
  EXPECT_TRUE(Contains(uncached, R"("code":"certificate_status_unavailable")")) << uncached;
}

TEST_F(CertificateStatusOnline, ACrlPastItsNextUpdateIsFetchedAgain) {
  PublishCrl({}, NowUtc() - kDay);  // newer status was promised yesterday
  ASSERT_EQ(Credsweep("init --db idx").code, 0);
  std::string first = Seal("--online --allow-private-addresses --db idx");
  EXPECT_TRUE(Contains(first, R"("certificate_status":"good")")) << first;
  fs::remove(server_->root() + "/crl/ca.crl");
  std::string again = Seal("--online --allow-private-addresses --db idx");
  EXPECT_TRUE(Contains(again, R"("code":"certificate_status_unavailable")")) << again;
}

}  // namespace
}  // namespace credsweep::testing
