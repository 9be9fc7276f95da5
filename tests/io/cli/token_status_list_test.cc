// IETF Token Status Lists (draft-ietf-oauth-status-list, statuslist+jwt) read by the
// revocation check of SD-JWT VCs: the draft's own token and lists (1- and 2-bit
// vectors, tests/testdata/status-list-ietf/upstream/) behind `--status-lists DIR`,
// each status value's outcome, and the tokens that must not count.
#include <gtest/gtest.h>

#include "engine/signer.h"
#include "tests/io/cli/cli_fixture.h"
#include "tests/published_documents.h"

namespace credsweep::testing {
namespace {

constexpr const char* kIssuer = "https://example.com";
constexpr const char* kList = "https://example.com/statuslists/1";

class TokenStatusList : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    // The draft's token key (kid 12), which signed its example token.
    key_ = PrivateKey::FromJwk(ReadFile(TestData("status-list-ietf/upstream/status-list-token-key.jwk.json"))).value();
    Write("issuer.jwks.json", "{\"keys\":[" + key_->ToPublicJwkJson() + "]}");
    Write("lists/index.json", std::string("{\"") + kList + "\":\"statuslists/1\"}");
  }
  // An SD-JWT VC of the draft's issuer pointing at entry `idx` of the list.
  std::string Credential(int idx, const std::string& issuer = kIssuer) {
    const std::string payload = R"({"iss":)" + JsonString(issuer) + R"(,"vct":"urn:example:diploma","iat":1700000000,)"
                                R"("status":{"status_list":{"idx":)" + std::to_string(idx) + R"(,"uri":")" + kList +
                                "\"}}}";
    return SignCompact(*key_, R"({"alg":"ES256","kid":"12","typ":"dc+sd-jwt"})", payload).value() + "~";
  }
  std::string Token(const std::string& lst, int bits, const std::string& sub = kList,
                    const std::string& iss = kIssuer) {
    const std::string payload = R"({"sub":)" + JsonString(sub) + R"(,"iss":)" + JsonString(iss) +
                                R"(,"iat":1700000000,"exp":2291720170,"ttl":43200,"status_list":{"bits":)" +
                                std::to_string(bits) + R"(,"lst":)" + JsonString(lst) + "}}";
    return SignCompact(*key_, R"({"alg":"ES256","kid":"12","typ":"statuslist+jwt"})", payload).value();
  }
  // The revocation check of each credential, "code: message".
  std::vector<std::string> Revocation(const std::vector<int>& idxs, const std::string& extra = "") {
    std::string in;
    for (int i : idxs) in += Credential(i) + "\n";
    Write("in.jwt", in);
    CliRun r = Credsweep("verify in.jwt --jwks " + std::string(kIssuer) + "=issuer.jwks.json --status-lists lists -q " +
                         extra);
    std::vector<std::string> out;
    for (size_t at = r.out.find(R"("revocation":{)"); at != std::string::npos;
         at = r.out.find(R"("revocation":{)", at + 1)) {
      size_t code = r.out.find(R"("code":")", at) + 8;
      size_t msg = r.out.find(R"("message":")", at) + 11;
      out.push_back(r.out.substr(code, r.out.find('"', code) - code) + ": " +
                    r.out.substr(msg, r.out.find('"', msg) - msg));
    }
    EXPECT_EQ(out.size(), idxs.size()) << r.out << r.err;
    return out;
  }
  std::unique_ptr<PrivateKey> key_;
};

TEST_F(TokenStatusList, TheDraftsTokenSaysWhichCredentialIsRevoked) {
  // The draft's example token, unchanged: 16 one-bit entries, entry 0 set.
  Write("lists/statuslists/1", ReadFile(TestData("status-list-ietf/upstream/status-list-token.jwt")));
  auto r = Revocation({0, 1, 3});
  EXPECT_EQ(r[0], "revoked: token status list " + std::string(kList) + " [0]: invalid (revoked)");
  EXPECT_EQ(r[1], "ok: token status list " + std::string(kList) + " [1]: valid");
  EXPECT_EQ(r[2].substr(0, 8), "revoked:");
}

TEST_F(TokenStatusList, TwoBitEntriesSaySuspendedAndApplicationSpecificValues) {
  // The draft's 2-bit vector: statuses 1, 2, 0, 3 for entries 0..3.
  Write("lists/statuslists/1", Token("eNo76fITAAPfAgc", 2));
  auto r = Revocation({0, 1, 2, 3, 12});
  EXPECT_EQ(r[0].substr(0, 8), "revoked:");
  EXPECT_EQ(r[1], "suspended: token status list " + std::string(kList) + " [1]: suspended");
  EXPECT_EQ(r[2].substr(0, 3), "ok:");
  EXPECT_EQ(r[3], "ok: token status list " + std::string(kList) + " [3]: status 3 (application-specific)");
  EXPECT_EQ(r[4].substr(0, 26), "status_index_out_of_range:") << r[4];
}

TEST_F(TokenStatusList, ATokenThatIsNotTheIssuersOrNotForThisUriDoesNotCount) {
  Write("lists/statuslists/1", Token("eNrbuRgAAhcBXQ", 1, "https://example.com/statuslists/2"));
  EXPECT_EQ(Revocation({1})[0].substr(0, 20), "status_list_invalid:");
  // Sealed with the issuer's key but naming another issuer: that key is not bound to it.
  Write("lists/statuslists/1", Token("eNrbuRgAAhcBXQ", 1, kList, "https://other.example"));
  auto other = Revocation({1});
  EXPECT_TRUE(Contains(other[0], "status_list_invalid: ")) << other[0];
  EXPECT_TRUE(Contains(other[0], "seal does not verify")) << other[0];
  // A token whose signature was altered.
  std::string forged = Token("eNrbuRgAAhcBXQ", 1);
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
  Write("lists/statuslists/1", forged);
  EXPECT_EQ(Revocation({1})[0].substr(0, 20), "status_list_invalid:");
}

TEST_F(TokenStatusList, DecompressionIsCapped) {
  // The draft's 2^20-entry 8-bit list inflates to 1 MiB; the cap here is 64 KiB.
  std::string vector = ReadFile(TestData("status-list-ietf/upstream/status-list-bits8-2pow20.json"));
  size_t at = vector.find("\"lst\"");
  size_t q1 = vector.find('"', vector.find(':', at) + 1), q2 = vector.find('"', q1 + 1);
  Write("lists/statuslists/1", Token(vector.substr(q1 + 1, q2 - q1 - 1), 8));
  auto r = Revocation({1}, "--max-status-list-bytes 65536");
  EXPECT_EQ(r[0].substr(0, 20), "status_list_invalid:") << r[0];
  EXPECT_EQ(Revocation({1})[0].substr(0, 3), "ok:") << "under the default 16 MiB cap it is read";
}

}  // namespace
}  // namespace credsweep::testing
