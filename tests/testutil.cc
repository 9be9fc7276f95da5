#include "tests/testutil.h"

#include "engine/encoding.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <sstream>

namespace credsweep::testing {

std::string TestData(const std::string& relative) {
  return std::string(CREDSWEEP_TESTDATA) + "/" + relative;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ReadTestData(const std::string& relative) { return ReadFile(TestData(relative)); }

std::unique_ptr<Verifier> MakeVerifier(const VerifierSpec& spec) {
  auto keys = std::make_shared<KeySet>();
  for (const auto& j : spec.jwks_json) {
    Status s = keys->AddJwks(j, "test");
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  auto anchors = std::make_shared<ChainValidator>();
  for (const auto& f : spec.anchor_pem_files) {
    Status s = anchors->AddAnchorsPemFile(f);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  VerifierOptions o;
  o.keys = keys;
  o.anchors = anchors;
  o.at = *ParseDateTimeStamp(spec.at);
  o.trust_any_configured_key = spec.trust_any_configured_key;
  o.audience = spec.audience;
  o.nonce = spec.nonce;
  o.holder_binding = spec.holder_binding;
  return std::make_unique<Verifier>(o);
}

VerificationResult VerifyText(const Verifier& v, const std::string& data, const std::string& source) {
  Record r;
  r.source = source;
  r.data = data;
  return v.Verify(r);
}

std::string Ed25519DidKey(const PrivateKey& key) {
  std::string jwk = key.ToPublicJwkJson();
  std::string x = jwk.substr(jwk.find("\"x\":\"") + 5);
  x = x.substr(0, x.find('"'));
  return "did:key:z" + Base58BtcEncode("\xed\x01" + Base64UrlDecode(x).value());
}

int ConnectLoopback(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(s);
    return -1;
  }
  timeval tv{5, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return s;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

int FreeLoopbackPort() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

std::string TestName(const std::string& path) {
  std::string n = path.substr(0, path.rfind('.'));
  for (auto& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

std::string Describe(const VerificationResult& r) {
  std::string out;
  for (int i = 0; i < kCheckCount; ++i) {
    const auto& c = r.check(static_cast<CheckId>(i));
    out += std::string(CheckName(static_cast<CheckId>(i))) + "=" +
           std::string(OutcomeName(c.outcome)) + ":" + c.code + " (" + c.message + ")\n";
  }
  return out;
}

}  // namespace credsweep::testing
