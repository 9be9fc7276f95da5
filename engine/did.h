// Offline DID resolution for the two self-describing methods: did:key (Ed25519,
// P-256, P-384, secp256k1 multikeys) and did:jwk.
#ifndef CREDSWEEP_ENGINE_DID_H_
#define CREDSWEEP_ENGINE_DID_H_

#include <string>
#include <string_view>

#include "engine/keys.h"
#include "engine/result.h"

namespace credsweep {

// The DID part of a DID URL: everything before '#', '?' or '/' after the method id.
std::string_view DidOf(std::string_view did_url);

bool IsResolvableDid(std::string_view did_url);

// Resolves the key of a did:key or did:jwk DID URL. Unsupported for other methods,
// InvalidArgument for a malformed identifier.
Result<PublicKeyPtr> ResolveDidKey(std::string_view did_url);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_DID_H_
