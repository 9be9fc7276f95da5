// Presentations through `credsweep verify`: a line per presentation and per
// credential in it, the challenge per applicant (--nonces), and the options' usage
// errors.
#include <gtest/gtest.h>

#include <ctime>

#include "engine/signer.h"
#include "tests/io/cli/cli_fixture.h"
#include "tests/testutil.h"

namespace credsweep::testing {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class PresentationCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    issuer_ = PrivateKey::Generate(JwsAlg::kES256).value();
    Write("issuer.jwks.json", "{\"keys\":[" + issuer_->ToPublicJwkJson() + "]}");
  }
  // A vp+jwt by a fresh holder answering `nonce`, holding one credential issued to it.
  std::string Presentation(const std::string& nonce) {
    auto holder = PrivateKey::Generate(JwsAlg::kEdDSA).value();
    const std::string did = Ed25519DidKey(*holder);
    std::string vc = SignCompact(*issuer_, R"({"alg":"ES256","typ":"vc+jwt","kid":")" + issuer_->kid() + "\"}",
                                 R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                                 R"("issuer":"https://issuer.example","validFrom":"2025-01-01T00:00:00Z",)"
                                 R"("credentialSubject":{"id":")" + did + "\"}}")
                         .value();
    std::string vp = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":")" +
                     did + R"(","nonce":")" + nonce + R"(","iat":)" + std::to_string(std::time(nullptr)) +
                     R"(,"verifiableCredential":[{"type":"EnvelopedVerifiableCredential",)"
                     R"("id":"data:application/vc+jwt,)" + vc + "\"}]}";
    return SignCompact(*holder, R"({"alg":"EdDSA","typ":"vp+jwt","kid":")" + did + "#" + did.substr(8) + "\"}", vp).value();
  }
  CliRun Verify(const std::string& extra) {
    return Credsweep("verify applicants --jwks https://issuer.example=issuer.jwks.json -q -o out.jsonl " + extra);
  }
  std::unique_ptr<PrivateKey> issuer_;
};

TEST_F(PresentationCli, EachApplicantsPresentationAnswersTheirOwnNonce) {
  Write("applicants/ana/vp.jwt", Presentation("n-ana") + "\n");
  Write("applicants/bob/vp.jwt", Presentation("n-bob") + "\n");
  Write("applicants/carol/vp.jwt", Presentation("n-all") + "\n");
  Write("nonces.json", R"({"applicants/ana/": "n-ana", "applicants/bob/vp.jwt": "n-bob"})");
  CliRun r = Verify("--nonces nonces.json --nonce n-all");
  EXPECT_EQ(r.code, 0) << r.err << ReadFile(Path("out.jsonl"));
  const std::string out = ReadFile(Path("out.jsonl"));
  for (const char* who : {"ana", "bob", "carol"}) {
    const std::string source = std::string("applicants/") + who + "/vp.jwt:1";
    EXPECT_TRUE(Contains(out, "{\"source\":\"" + source + "\",\"kind\":\"presentation\"")) << out;
    EXPECT_TRUE(Contains(out, "{\"source\":\"" + source + "#1\",\"kind\":\"credential\"")) << out;
  }
  EXPECT_TRUE(Contains(out, "\"credentials\":{\"count\":1,\"verified\":1}")) << out;
  EXPECT_FALSE(Contains(out, "\"verified\":false")) << out;

  // The same inputs named another way (./applicants, an absolute path) match the same entries.
  for (const std::string& input : {std::string("./applicants"), Path("applicants")}) {
    r = Credsweep("verify " + input + " --jwks https://issuer.example=issuer.jwks.json -q -o out.jsonl "
                  "--nonces nonces.json --nonce n-all");
    EXPECT_EQ(r.code, 0) << input << ReadFile(Path("out.jsonl"));
  }
  // Without --nonce, a folder the file forgot is not left unchallenged.
  r = Verify("--nonces nonces.json --summary s.json");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(Contains(ReadFile(Path("out.jsonl")), "\"code\":\"nonce_mismatch\"")) << ReadFile(Path("out.jsonl"));
  EXPECT_EQ(Count(ReadFile(Path("out.jsonl")), "\"code\":\"nonce_mismatch\""), 1u);
  EXPECT_TRUE(Contains(ReadFile(Path("s.json")), "--nonces gives no nonce for 1 record(s)")) << ReadFile(Path("s.json"));

  // Ana's nonce given to Bob: his presentation answers another challenge.
  Write("swapped.json", R"({"applicants/ana/": "n-bob", "applicants/bob/": "n-ana"})");
  r = Verify("--nonces swapped.json");
  EXPECT_EQ(r.code, 1);
  // (and Carol's, whom the file forgets)
  EXPECT_EQ(Count(ReadFile(Path("out.jsonl")), "\"code\":\"nonce_mismatch\""), 3u) << ReadFile(Path("out.jsonl"));
}

// A presentation's own id names no credential: it neither marks a later credential
// of that id as a duplicate nor is marked.
TEST_F(PresentationCli, APresentationsIdIsLeftOutOfDuplicates) {
  const std::string credential_id = "urn:uuid:0e0e0e0e-1111-4222-8333-444455556666";
  // The same credential id as the presentation's own, in a record after it.
  auto issuer_vc = SignCompact(*issuer_, R"({"alg":"ES256","typ":"vc+jwt","kid":")" + issuer_->kid() + "\"}",
                               R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":")" + credential_id +
                                   R"(","type":["VerifiableCredential"],"issuer":"https://issuer.example",)"
                                   R"("credentialSubject":{"name":"x"}})")
                       .value();
  Write("applicants/a/vp.json", std::string(R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":")") +
                                    credential_id + R"(","type":["VerifiablePresentation"],"verifiableCredential":[")" +
                                    issuer_vc + "\"]}\n");
  Write("applicants/b/vc.jwt", issuer_vc + "\n");
  CliRun r = Verify("--holder-binding off");
  const std::string out = ReadFile(Path("out.jsonl"));
  EXPECT_EQ(r.code, 0) << out << r.err;
  EXPECT_TRUE(Contains(out, R"("source":"applicants/a/vp.json#1","kind":"credential","id":")" + credential_id)) << out;
  // The enclosed credential is the first with that id; the later record duplicates it, not the presentation.
  EXPECT_TRUE(Contains(out, R"("duplicate_of":"applicants/a/vp.json#1")")) << out;
  EXPECT_FALSE(Contains(out, R"("duplicate_of":"applicants/a/vp.json")")) << out;
}

TEST_F(PresentationCli, BadOptionsAreUsageErrors) {
  Write("applicants/ana/vp.jwt", Presentation("n") + "\n");
  for (const std::string& bad : {std::string("[]"), std::string(R"({"a/": 3})"), std::string(R"({"": "n"})"),
                                 std::string(R"({"a/": ""})"), std::string("not json")}) {
    Write("bad.json", bad);
    CliRun r = Verify("--nonces bad.json");
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_TRUE(Contains(r.err, "--nonces")) << r.err;
  }
  EXPECT_EQ(Verify("--nonces missing.json").code, 2);
  EXPECT_EQ(Verify("--holder-binding sometimes").code, 2);
}

}  // namespace
}  // namespace credsweep::testing
