// The VC API's POST /credentials/verify on `serve --http`, with curl over loopback:
// credentials as objects (the W3C test suites' request shape), as strings and
// enveloped in data: URLs; 200 verified, 422 not verified with problemDetails, 400
// for a malformed request, never 500 for bad input; POST /presentations/verify
// with presentations as objects, strings and enveloped, their challenge in options.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>

#include "engine/encoding.h"
#include "engine/signer.h"
#include "engine/timestamp.h"
#include "tests/io/cli/cli_fixture.h"
#include "tests/io/serve_process.h"
#include "tests/published_documents.h"
#include "tools/data_integrity_signer.h"

namespace credsweep::testing {
namespace {

class VcApi : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Credsweep("sample --count 12 --seed 6 --algs ES256 --expired 0 --not-yet-valid 0 --tampered 0 "
                        "--revoked 0 --suspended 0 --forged 0 --unbound 0 --no-status --out corpus")
                  .code,
              0);
    ASSERT_EQ(Credsweep("init --db db").code, 0);
    port_ = FreeLoopbackPort();
    std::vector<std::string> args{CREDSWEEP_BINARY, "serve", "--db", Path("db"), "--resp",
                                  "127.0.0.1:" + std::to_string(FreeLoopbackPort()), "--http",
                                  "127.0.0.1:" + std::to_string(port_), "--trust", Path("corpus/trust-registry.json"),
                                  "--jwks", Path("corpus/keys/jwks.json")};
    for (const auto& a : ExtraServeArgs()) args.push_back(a);
    server_ = std::make_unique<ServeProcess>(args, port_, Path("serve.log"));
    ASSERT_TRUE(server_->Ready()) << ReadFile(Path("serve.log"));
  }
  virtual std::vector<std::string> ExtraServeArgs() const { return {}; }
  // The n-th sample credential (from 1) that is a JWS JSON object (`json`) or a compact JWS.
  std::string Line(bool json, int n) {
    std::ifstream in(Path("corpus/credentials/part-00001.jsonl"));
    std::string line;
    while (std::getline(in, line)) {
      if ((line[0] == '{') == json && --n == 0) return line;
    }
    ADD_FAILURE() << "the sample has too few such credentials";
    return line;
  }
  // curl's status code and body, "CODE BODY".
  std::string Post(const std::string& path, const std::string& body) {
    Write("req.json", body);
    std::filesystem::remove(Path("resp.json"));
    const std::string code = Shell("curl -s -o " + Path("resp.json") + " -w '%{http_code}' -H 'Content-Type: "
                                   "application/json' --data-binary @" + Path("req.json") + " http://127.0.0.1:" +
                                   std::to_string(port_) + path);
    return code + " " + (std::filesystem::exists(Path("resp.json")) ? ReadFile(Path("resp.json")) : "");
  }
  int port_ = 0;
  std::unique_ptr<ServeProcess> server_;
};

TEST_F(VcApi, ACredentialObjectAsTheW3cSuitesSendIt) {
  // A JAdES-sealed credential (JWS JSON serialization), with options as the suites send them.
  std::string r = Post("/credentials/verify", "{\"verifiableCredential\":" + Line(true, 1) +
                                                  ",\"options\":{\"checks\":[\"proof\"]}}");
  EXPECT_EQ(r.substr(0, 4), "200 ") << r;
  EXPECT_TRUE(Contains(r, "{\"verified\":true,\"problemDetails\":[],\"results\":{\"source\":\"request\"")) << r;
}

TEST_F(VcApi, EnvelopedAndStringCredentials) {
  const std::string jws = Line(false, 1);
  ASSERT_EQ(jws.find('{'), std::string::npos) << "a compact JWS line";
  std::string plain = Post("/credentials/verify",
                           R"({"verifiableCredential":{"@context":["https://www.w3.org/ns/credentials/v2"],)"
                           R"("type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,)" + jws + "\"}}");
  EXPECT_EQ(plain.substr(0, 4), "200 ") << plain;
  std::string b64 = Post("/credentials/verify",
                         R"({"verifiableCredential":{"type":["EnvelopedVerifiableCredential"],"id":"data:application/vc+jwt;base64,)" +
                             Base64Encode(jws) + "\"}}");
  EXPECT_EQ(b64.substr(0, 4), "200 ") << b64;
  EXPECT_EQ(Post("/credentials/verify", "{\"verifiableCredential\":" + JsonString(jws) + "}").substr(0, 4), "200 ");
}

TEST_F(VcApi, ACredentialThatFailsACheckIs422WithProblemDetails) {
  std::string jws = Line(false, 2);
  jws[jws.rfind('.') + 5] = jws[jws.rfind('.') + 5] == 'A' ? 'B' : 'A';  // another signature
  std::string r = Post("/credentials/verify", "{\"verifiableCredential\":" + JsonString(jws) + "}");
  EXPECT_EQ(r.substr(0, 4), "422 ") << r;
  EXPECT_TRUE(Contains(r, "\"verified\":false")) << r;
  EXPECT_TRUE(Contains(r, "\"type\":\"https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR\",\"code\":-65"))
      << r;
  EXPECT_TRUE(Contains(r, "\"detail\":\"seal: signature_invalid: ")) << r;
  // A credential the proof of which verifies but whose key is not its issuer's.
  std::string di = ReadFile(TestData("di-eddsa-jcs-2022/upstream/signedJCS.json"));
  std::string d = Post("/credentials/verify", "{\"verifiableCredential\":" + di + "}");
  EXPECT_EQ(d.substr(0, 4), "422 ") << d;
  EXPECT_TRUE(Contains(d, "key_not_authorized_for_issuer")) << d;
  // Not JSON inside: a format problem, reported, not a 500.
  std::string f = Post("/credentials/verify", R"({"verifiableCredential":"not a credential"})");
  EXPECT_EQ(f.substr(0, 4), "422 ") << f;
  EXPECT_TRUE(Contains(f, "#PARSING_ERROR\",\"code\":-64")) << f;
}

TEST_F(VcApi, MalformedRequestsAre400AndPresentations501) {
  for (const std::string& body : {std::string("not json"), std::string("[1]"), std::string("{}"),
                                  std::string(R"({"verifiableCredential":7})"),
                                  std::string(R"({"verifiableCredential":"x","options":3})"),
                                  std::string(R"({"verifiableCredential":{"type":"EnvelopedVerifiableCredential","id":"data:text/html,<b>"}})"),
                                  std::string(R"({"verifiableCredential":{"type":"EnvelopedVerifiableCredential","id":"https://x"}})")}) {
    std::string r = Post("/credentials/verify", body);
    EXPECT_EQ(r.substr(0, 4), "400 ") << body << " -> " << r;
    EXPECT_TRUE(Contains(r, "{\"error\":\"")) << r;
  }
  for (const std::string& body : {std::string(R"({"verifiablePresentation":7})"), std::string("{}"),
                                  std::string(R"({"verifiablePresentation":"x","options":{"challenge":5}})"),
                                  std::string(R"({"verifiablePresentation":"x","options":{"returnPresentation":"yes"}})"),
                                  std::string(R"({"verifiablePresentation":{"type":"EnvelopedVerifiablePresentation","id":"data:application/vc+jwt,x"}})")}) {
    std::string r = Post("/presentations/verify", body);
    EXPECT_EQ(r.substr(0, 4), "400 ") << body << " -> " << r;
  }
  // A credential where a presentation belongs, and the other way round.
  EXPECT_TRUE(Contains(Post("/presentations/verify", R"({"verifiablePresentation":")" + Line(false, 1) + "\"}"),
                       "POST it to /credentials/verify"));
  // A browser's cross-site POST (another site's page) is refused, unread.
  for (const char* path : {"/credentials/verify", "/v1/verify", "/v1/status"}) {
    EXPECT_EQ(Shell("curl -s -o /dev/null -w '%{http_code}' -H 'Sec-Fetch-Site: cross-site' -H 'Content-Type: "
                    "text/plain' --data-binary x http://127.0.0.1:" + std::to_string(port_) + path),
              "403")
        << path;
  }
  EXPECT_EQ(Shell("curl -s -o /dev/null -w '%{http_code}' -H 'Sec-Fetch-Site: same-origin' -H 'Content-Type: "
                  "application/json' --data-binary '{}' http://127.0.0.1:" + std::to_string(port_) +
                  "/credentials/verify"),
            "400")
      << "the page's own requests pass";
  EXPECT_EQ(Shell("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + std::to_string(port_) +
                  "/credentials/verify"),
            "405");
  EXPECT_EQ(Shell("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + std::to_string(port_) + "/healthz"),
            "200")
      << "still serving";
}

class VcApiPresentations : public VcApi {
 protected:
  void SetUp() override {
    VcApi::SetUp();
    if (HasFatalFailure()) return;
    for (const auto& e : std::filesystem::directory_iterator(Path("corpus/keys/private"))) {
      if (e.path().filename().string().starts_with("ugent-")) issuer_ = PrivateKey::FromJwk(ReadFile(e.path())).value();
    }
    ASSERT_TRUE(issuer_);
    holder_ = PrivateKey::Generate(JwsAlg::kEdDSA).value();
    holder_did_ = Ed25519DidKey(*holder_);
  }
  // A credential of the sample's UGent issued to the holder, enveloped.
  std::string Credential() {
    std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:test:vp-1",)"
                          R"("type":["VerifiableCredential"],"issuer":"https://credentials.alliance.example/issuers/ugent",)"
                          R"("validFrom":"2025-01-01T00:00:00Z","credentialSubject":{"id":")" + holder_did_ + "\"}}";
    std::string jwt = SignCompact(*issuer_, R"({"alg":"ES256","typ":"vc+jwt","kid":")" + issuer_->kid() + "\"}", payload).value();
    return R"({"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,)" +
           jwt + "\"}";
  }
  std::string VpJwt(const std::string& extra) {
    std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":")" +
                          holder_did_ + R"(","verifiableCredential":[)" + Credential() + "]" + extra +
                          ",\"iat\":" + std::to_string(std::time(nullptr)) + "}";
    return SignCompact(*holder_, R"({"alg":"EdDSA","typ":"vp+jwt","kid":")" + holder_did_ + "#" + holder_did_.substr(8) + "\"}",
                       payload).value();
  }
  std::unique_ptr<PrivateKey> issuer_, holder_;
  std::string holder_did_;
};

TEST_F(VcApiPresentations, AVpJwtWithItsChallengeVerifies) {
  const std::string vp = VpJwt(R"(,"aud":"employer.example","nonce":"c-1")");
  std::string r = Post("/presentations/verify", R"({"verifiablePresentation":")" + vp +
                                                    R"(","options":{"challenge":"c-1","domain":"employer.example","returnPresentation":true}})");
  ASSERT_EQ(r.substr(0, 4), "200 ") << r;
  EXPECT_TRUE(Contains(r, R"({"verified":true,"verifiablePresentation":")" + vp + R"(","problemDetails":[],"results":{"holder":{"valid":true,"input":")" + holder_did_)) << r;
  EXPECT_TRUE(Contains(r, R"("challenge":{"valid":true,"input":"c-1"},"domain":{"valid":true,"input":"employer.example"})")) << r;
  EXPECT_TRUE(Contains(r, R"("presentation":{"source":"request","kind":"presentation")")) << r;
  EXPECT_TRUE(Contains(r, R"("credentials":[{"source":"request#1","kind":"credential","id":"urn:test:vp-1")")) << r;
  // Enveloped, as a data: URL.
  r = Post("/presentations/verify", R"({"verifiablePresentation":{"@context":"https://www.w3.org/ns/credentials/v2",)"
                                    R"("type":"EnvelopedVerifiablePresentation","id":"data:application/vp+jwt,)" + vp +
                                        R"("},"options":{"challenge":"c-1"}})");
  EXPECT_EQ(r.substr(0, 4), "200 ") << r;
}

// The shape the W3C test suites send: a Data Integrity presentation object, its proof
// for authentication with the verifier's challenge and domain.
TEST_F(VcApiPresentations, ADataIntegrityPresentationObject) {
  const std::string doc = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],)"
                          R"("holder":")" + holder_did_ + R"(","verifiableCredential":[)" + Credential() + "]}";
  tools::ProofOptions o;
  o.verification_method = holder_did_ + "#" + holder_did_.substr(8);
  o.purpose = "authentication";
  o.challenge = "c-7";
  o.created = FormatUtc(std::time(nullptr));
  o.domain = "employer.example";
  const std::string vp = tools::AddDataIntegrityProof(doc, *holder_, o).value();
  std::string r = Post("/presentations/verify", R"({"verifiablePresentation":)" + vp +
                                                    R"(,"options":{"challenge":"c-7","domain":"employer.example"}})");
  ASSERT_EQ(r.substr(0, 4), "200 ") << r;
  EXPECT_TRUE(Contains(r, "VC 2.0 presentation (Data Integrity), 1 credential")) << r;
  EXPECT_TRUE(Contains(r, R"("proof":[{"valid":true,"code":"ok"}])")) << r;
  r = Post("/presentations/verify", R"({"verifiablePresentation":)" + vp + R"(,"options":{"domain":"other.example"}})");
  ASSERT_EQ(r.substr(0, 4), "422 ") << r;
  EXPECT_TRUE(Contains(r, "presentation: seal: audience_mismatch: ")) << r;
}

// A server with --audience is that audience: a request naming another domain is 400.
class VcApiWithAudience : public VcApiPresentations {
 protected:
  std::vector<std::string> ExtraServeArgs() const override { return {"--audience", "employer.example"}; }
};

TEST_F(VcApiWithAudience, ARequestMayNotNameAnotherDomain) {
  const std::string vp = VpJwt(R"(,"aud":"employer.example","nonce":"c-1")");
  std::string r = Post("/presentations/verify",
                       R"({"verifiablePresentation":")" + vp + R"(","options":{"challenge":"c-1","domain":"other.example"}})");
  EXPECT_EQ(r.substr(0, 4), "400 ") << r;
  EXPECT_TRUE(Contains(r, "is not this server's audience")) << r;
  r = Post("/presentations/verify", R"({"verifiablePresentation":")" + vp + R"(","options":{"challenge":"c-1"}})");
  EXPECT_EQ(r.substr(0, 4), "200 ") << r;
  // Something that is no presentation at all is said to be unreadable, not a credential.
  r = Post("/presentations/verify", R"({"verifiablePresentation":"not a presentation"})");
  EXPECT_EQ(r.substr(0, 4), "400 ") << r;
  EXPECT_TRUE(Contains(r, "cannot be read: malformed_jws")) << r;
}

TEST_F(VcApiPresentations, AnotherChallengeOrAnotherSubjectIs422WithProblemDetails) {
  std::string r = Post("/presentations/verify", R"({"verifiablePresentation":")" + VpJwt(R"(,"nonce":"c-1")") +
                                                    R"(","options":{"challenge":"c-2"}})");
  ASSERT_EQ(r.substr(0, 4), "422 ") << r;
  EXPECT_TRUE(Contains(r, R"("detail":"presentation: seal: nonce_mismatch: )")) << r;
  EXPECT_TRUE(Contains(r, R"("challenge":{"valid":false,"input":"c-2"})")) << r;
  // The credential's subject is not the holder: its own problem, numbered.
  const std::string subject = holder_did_;
  holder_did_ = Ed25519DidKey(*PrivateKey::Generate(JwsAlg::kEdDSA).value());
  std::string credential = Credential();  // issued to someone else
  holder_did_ = subject;
  std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":")" +
                        holder_did_ + R"(","verifiableCredential":[)" + credential + "],\"iat\":" +
                        std::to_string(std::time(nullptr)) + "}";
  std::string vp = SignCompact(*holder_, R"({"alg":"EdDSA","typ":"vp+jwt","kid":")" + holder_did_ + "#" +
                                             holder_did_.substr(8) + "\"}", payload).value();
  r = Post("/presentations/verify", R"({"verifiablePresentation":")" + vp + "\"}");
  ASSERT_EQ(r.substr(0, 4), "422 ") << r;
  EXPECT_TRUE(Contains(r, R"("detail":"credential 1: seal: holder_mismatch: )")) << r;
  EXPECT_TRUE(Contains(r, R"("credentials":{"count":1,"verified":0})")) << r;
}

}  // namespace
}  // namespace credsweep::testing
