// DIDs: offline resolution for the two self-describing methods, did:key (Ed25519,
// P-256, P-384, secp256k1 multikeys) and did:jwk; and where a did:web DID's
// document is published (its keys are read by engine/issuer_documents.h).
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

bool IsDidWeb(std::string_view did_url);

// The https URL of a did:web DID's document, per the did:web method's Read step:
// the method-specific id's ':' separate path segments, a port is percent-encoded
// in the host ("%3A"); without a path the document is /.well-known/did.json, else
// /<path>/did.json:
//   did:web:example.com                -> https://example.com/.well-known/did.json
//   did:web:example.com%3A8443:u:alice -> https://example.com:8443/u/alice/did.json
// InvalidArgument for anything else: an empty host, characters outside a DID's
// (letters, digits, '.', '-', '_', percent-encoding), a bad port, an IPv6
// literal, empty, "." or ".." segments.
Result<std::string> DidWebDocumentUrl(std::string_view did);

// A multibase (base58btc, 'z') multicodec public key, as did:key and the
// publicKeyMultibase of Multikey verification methods carry it: Ed25519, P-256,
// P-384, secp256k1.
Result<PublicKeyPtr> KeyFromMultikey(std::string_view multibase);

// Resolves the key of a did:key or did:jwk DID URL. Unsupported for other methods,
// InvalidArgument for a malformed identifier.
Result<PublicKeyPtr> ResolveDidKey(std::string_view did_url);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_DID_H_
