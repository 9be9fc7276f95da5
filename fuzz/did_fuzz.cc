// libFuzzer target for offline DID resolution (engine/did.h): did:key multibase
// multikeys (Ed25519, P-256, P-384, secp256k1) and did:jwk's base64url JWK.
// Invariants: a DID that resolves is one IsResolvableDid accepts, and DidOf returns
// a prefix of its input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/did.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view did = credsweep::DidOf(in);
  if (!in.starts_with(did)) std::abort();
  bool resolvable = credsweep::IsResolvableDid(in);
  auto key = credsweep::ResolveDidKey(in);
  if (key.ok() && (!resolvable || *key == nullptr)) std::abort();
  return 0;
}
