// The one table of what credsweep knows about key types and JWS algorithms: curve
// names as JOSE, OpenSSL and multicodec spell them, coordinate widths, hashes and
// padding. Keys, signers, DIDs and Data Integrity all read it. Private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_ALGORITHMS_H_
#define CREDSWEEP_ENGINE_INTERNAL_ALGORITHMS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/internal/openssl.h"
#include "engine/jws_alg.h"
#include "engine/keys.h"

namespace credsweep::internal {

struct KeyTypeInfo {
  KeyKind kind;
  std::string_view name;       // for messages: "P-256", "Ed25519", "RSA"
  std::string_view jwk_kty;    // "EC", "OKP", "RSA"
  std::string_view jwk_crv;    // "P-256", "Ed25519"; empty for RSA
  const char* openssl_group;   // "prime256v1"; nullptr when not an EC curve
  const char* openssl_type;    // EVP key type: "EC", "ED25519", "RSA"
  size_t coordinate_bytes;     // ECDSA r, s and point coordinates; 0 when not EC
  JwsAlg default_alg;          // what a key of this kind signs with by default
  uint16_t multicodec;         // did:key multicodec (unsigned varint value); 0: none
};

struct AlgInfo {
  JwsAlg alg;
  std::optional<KeyKind> kind;  // the only key kind it fits; nullopt: any RSA key
  Hash hash;
  bool pss;
};

const KeyTypeInfo& KeyTypeOf(KeyKind kind);
const KeyTypeInfo* KeyTypeByCrv(std::string_view jwk_crv);
const KeyTypeInfo* KeyTypeByGroup(std::string_view openssl_group);
const KeyTypeInfo* KeyTypeByMulticodec(uint16_t code);
const AlgInfo& AlgInfoOf(JwsAlg alg);
// Whether a key of `kind` may verify `alg` (type and curve decide).
bool AlgFitsKind(JwsAlg alg, KeyKind kind);

// RFC 7638 JWK thumbprint (SHA-256 of the required members in lexicographic
// order, base64url) of a public key. Ed25519 keys held as raw bytes pass them in
// `ed25519_raw` and may leave `pkey` null.
std::string JwkThumbprint(KeyKind kind, EVP_PKEY* pkey, std::string_view ed25519_raw = {});

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_ALGORITHMS_H_
