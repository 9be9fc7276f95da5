// libFuzzer target for the five checks on one record: every envelope the Verifier
// opens (compact JWS, JWS JSON general/flattened with b64:false and JAdES headers,
// JSON documents with Data Integrity proofs and their JCS), the format check and
// whatever the seal check parses (JOSE headers, x5c chains, did:key/did:jwk).
//
// Verifier as `credsweep verify` builds it: a generated ES256 key (kid "fuzz") in a
// KeySet, a ChainValidator (no anchors: chains are parsed and refused), a fixed
// verification time. The contract under test: Verify() never crashes or throws for
// any bytes, and the result names a reason for every failed check.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "engine/key_set.h"
#include "engine/signer.h"
#include "engine/verifier.h"
#include "engine/x509_chain.h"

namespace {

const credsweep::Verifier& TheVerifier() {
  static const credsweep::Verifier* verifier = [] {
    using namespace credsweep;
    auto key = PrivateKey::Generate(JwsAlg::kES256);
    if (!key.ok()) std::abort();
    (*key)->set_kid("fuzz");
    auto keys = std::make_shared<KeySet>();
    if (!keys->AddJwks((*key)->ToPublicJwkJson(), "fuzz").ok()) std::abort();
    VerifierOptions options;
    options.keys = keys;
    options.anchors = std::make_shared<ChainValidator>();
    options.at = 1767225600;  // 2026-01-01T00:00:00Z
    options.max_record_bytes = 1u << 20;
    return new Verifier(std::move(options));
  }();
  return *verifier;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  credsweep::Record record;
  record.source = "fuzz";
  // Half the inputs with the spare capacity a reader's line has (a JSON record is
  // then parsed where it lies, engine/internal/envelope.h), half without (copied).
  if (size % 2 == 0) record.data.reserve(size + 64);
  record.data.assign(reinterpret_cast<const char*>(data), size);
  credsweep::VerificationResult result = TheVerifier().Verify(record);
  using credsweep::CheckId;
  using credsweep::Outcome;
  for (int i = 0; i < credsweep::kCheckCount; ++i) {
    if (result.check(static_cast<CheckId>(i)).code.empty()) std::abort();  // every check answered
  }
  if (result.verified() && result.check(CheckId::kSeal).outcome != Outcome::kPass) std::abort();
  return 0;
}
