// Helpers shared by the test suite: test data paths, file reading, a Verifier with
// given keys and anchors at a fixed time.
#ifndef CREDSWEEP_TESTS_TESTUTIL_H_
#define CREDSWEEP_TESTS_TESTUTIL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/key_set.h"
#include "engine/signer.h"
#include "engine/verifier.h"

namespace credsweep::testing {

std::string TestData(const std::string& relative);  // absolute path under tests/testdata
std::string ReadFile(const std::string& path);
std::string ReadTestData(const std::string& relative);

struct VerifierSpec {
  std::vector<std::string> jwks_json;   // JWK or JWK Set documents
  std::vector<std::string> anchor_pem_files;
  std::string at = "2026-11-29T00:00:00Z";
  // Test vectors come with JWK Sets and anchors of their own that no registry
  // binds to the vectors' issuers: the tests about signatures, formats and lists
  // run with --trust-any-configured-key. Issuer binding has its own tests
  // (tests/engine/issuer_binding_test.cc), which set this to false.
  bool trust_any_configured_key = true;
  // What wallet presentations must answer, and whose credentials they may carry.
  std::string audience, nonce;
  HolderBinding holder_binding = HolderBinding::kRequire;
};
std::unique_ptr<Verifier> MakeVerifier(const VerifierSpec& spec);

VerificationResult VerifyText(const Verifier& v, const std::string& data,
                              const std::string& source = "test");

// The did:key (multibase base58btc of the multicodec public key) of an Ed25519 key.
std::string Ed25519DidKey(const PrivateKey& key);

// A connected TCP socket to 127.0.0.1:port with a 5 s receive timeout, or -1.
int ConnectLoopback(int port);

// Writes all of `data` to a socket (no SIGPIPE); false when the peer is gone.
bool SendAll(int fd, std::string_view data);

// A TCP port on 127.0.0.1 that was free a moment ago (for servers under test).
int FreeLoopbackPort();

// A GoogleTest-safe name from a test data path: the path without its extension,
// every character other than a letter or digit as '_'.
std::string TestName(const std::string& path);

// "format=pass seal=fail:signature_invalid ..." for readable failure messages.
std::string Describe(const VerificationResult& r);

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_TESTUTIL_H_
