// `register` records the status list slot a credential already carries, and
// `lists publish` sets that very bit: the revoke -> publish -> third-party verify
// cycle with the real binary, and the refusals (a taken slot, another issuer's list).
#include <gtest/gtest.h>

#include "engine/signer.h"
#include "tests/io/cli/issuer_fixture.h"
#include "tests/published_documents.h"

namespace credsweep::testing {
namespace {

constexpr const char* kIssuer = "https://u.example";
constexpr const char* kOther = "https://other.example";
constexpr const char* kLists = "https://status.u.example/lists";

class RegisterSlots : public IssuerCliTest {
 protected:
  // A credential of `issuer` whose entries point at index `index` of `list`.
  std::string Issue(const std::string& id, const std::string& issuer, const std::string& list, uint64_t index) {
    auto entry = [&](const std::string& url, const char* purpose) {
      return R"({"id":)" + JsonString(url + "#" + std::to_string(index)) +
             R"(,"type":"BitstringStatusListEntry","statusPurpose":")" + purpose + R"(","statusListIndex":")" +
             std::to_string(index) + R"(","statusListCredential":)" + JsonString(url) + "}";
    };
    const std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                                R"("id":")" + id + R"(","issuer":")" + issuer +
                                R"(","validFrom":"2026-01-01T00:00:00Z","credentialSubject":{},"credentialStatus":[)" +
                                entry(list, "revocation") + "," + entry(list + "-suspension", "suspension") + "]}";
    return SignCompact(*key_, R"({"alg":"ES256","kid":")" + key_->kid() + "\"}", payload).value() + "\n";
  }
  // The revocation code of each result line of `verify FILE` against the published lists.
  std::string RevocationCodes(const std::string& file) {
    CliRun r = Credsweep("verify " + file + " --jwks " + std::string(kIssuer) +
                         "=issuer.jwks.json --status-lists public -q -o out.jsonl");
    EXPECT_NE(r.code, 2) << r.err;
    std::string codes, out = ReadFile(Path("out.jsonl"));
    for (size_t at = out.find(R"("revocation":{)"); at != std::string::npos; at = out.find(R"("revocation":{)", at + 1)) {
      size_t code = out.find(R"("code":")", at) + 8;
      codes += out.substr(code, out.find('"', code) - code) + " ";
    }
    return codes;
  }

};

TEST_F(RegisterSlots, ARevocationReachesTheSlotTheCredentialCarries) {
  const std::string list = std::string(kLists) + "/7";
  Write("issued.jsonl", Issue("urn:uuid:00000000-0000-4000-8000-000000000001", kIssuer, list, 106244) +
                            Issue("urn:uuid:00000000-0000-4000-8000-000000000002", kIssuer, list, 5));
  CliRun reg = Credsweep("register issued.jsonl --db db");
  ASSERT_EQ(reg.code, 0) << reg.err;
  EXPECT_TRUE(Contains(reg.err, "2 credentials newly registered as active (2 at the status list slot they carry)"))
      << reg.err;
  ASSERT_EQ(Credsweep("revoke urn:uuid:00000000-0000-4000-8000-000000000001 --db db --reason fraud").code, 0);
  CliRun pub = Credsweep("lists publish --db db --key issuer.jwk --issuer " + std::string(kIssuer) + " --base-url " +
                         kLists + " --out public");
  ASSERT_EQ(pub.code, 0) << pub.err;
  // A third party, with nothing but the published folder, sees the revocation.
  EXPECT_EQ(RevocationCodes("issued.jsonl"), "revoked ok ") << ReadFile(Path("out.jsonl"));
}

TEST_F(RegisterSlots, ATakenSlotOrAnotherIssuersListIsRefusedAndTheRestGoesOn) {
  const std::string list = std::string(kLists) + "/7";
  Write("first.jsonl", Issue("urn:a", kIssuer, list, 9));
  ASSERT_EQ(Credsweep("register first.jsonl --db db").code, 0);
  Write("second.jsonl", Issue("urn:b", kIssuer, list, 9) + Issue("urn:c", kOther, list, 10) +
                            Issue("urn:d", kIssuer, list, 11));
  CliRun r = Credsweep("register second.jsonl --db db");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(Contains(r.err, "refused: urn:b (second.jsonl:1): its status entry " + list + "#9 is the slot of urn:a"))
      << r.err;
  EXPECT_TRUE(Contains(r.err, "refused: urn:c (second.jsonl:2): its status list " + list + " is a list of " +
                                  kIssuer + ", not of its issuer " + kOther))
      << r.err;
  EXPECT_TRUE(Contains(Credsweep("status urn:d --db db").out, "active")) << "the rest is registered";
  EXPECT_FALSE(Contains(Credsweep("status urn:b --db db").out, "active"));
}

}  // namespace
}  // namespace credsweep::testing
