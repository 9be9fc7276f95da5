// Public keys that verify JOSE signatures: built from JWKs, raw key bytes (DIDs) or
// X.509 certificates, once, then shared read-only across threads.
//
// The algorithm belongs to the key: Permits() says which JwsAlg a key may verify
// (its type and curve decide; a JWK "alg" member narrows it further). Callers compare
// the token's alg with Permits() and never let the token pick how to verify.
#ifndef CREDSWEEP_ENGINE_KEYS_H_
#define CREDSWEEP_ENGINE_KEYS_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/jws_alg.h"
#include "engine/result.h"

// OpenSSL's key type, declared as <openssl/types.h> does, so that this header
// stays free of OpenSSL includes.
struct evp_pkey_st;

namespace credsweep {

enum class KeyKind { kP256, kP384, kP521, kSecp256k1, kEd25519, kRsa };

std::string_view KeyKindName(KeyKind kind);

// Minimum RSA modulus accepted anywhere (bits).
inline constexpr int kMinRsaBits = 2048;

enum class SignatureCheck {
  kValid,
  kInvalid,    // well-formed, does not verify
  kMalformed,  // wrong length or encoding for this algorithm (e.g. DER ECDSA in JOSE)
};

class PublicKey {
 public:
  // Parses one public JWK (RFC 7517/7518/8037): EC P-256/384/521/secp256k1, OKP
  // Ed25519, RSA >= 2048 bits. Private members, if present, are ignored.
  static Result<std::shared_ptr<const PublicKey>> FromJwk(std::string_view jwk_json);
  static Result<std::shared_ptr<const PublicKey>> FromEd25519(std::string_view raw32);
  // `point` is an SEC1 point (compressed or not) on the curve of `kind`.
  static Result<std::shared_ptr<const PublicKey>> FromEcPoint(KeyKind kind, std::string_view point);
  // Takes a reference on an OpenSSL EVP_PKEY; used by the X.509 code inside engine/.
  static Result<std::shared_ptr<const PublicKey>> FromEvpPkey(evp_pkey_st* evp_pkey);

  ~PublicKey();
  PublicKey(const PublicKey&) = delete;
  PublicKey& operator=(const PublicKey&) = delete;

  KeyKind kind() const;
  int bits() const;
  const std::string& kid() const;                 // JWK "kid", may be empty
  // RFC 7638 JWK thumbprint (SHA-256, base64url): the key's identity in a
  // trust registry, whatever kid it was published under.
  const std::string& thumbprint() const;
  std::optional<JwsAlg> jwk_alg() const;          // JWK "alg", if it named one
  bool Permits(JwsAlg alg) const;

  // Verifies a JOSE-encoded signature (ECDSA as fixed-width r||s) over `signing_input`.
  // Thread-safe. The caller must have checked Permits(alg).
  SignatureCheck Verify(JwsAlg alg, std::string_view signing_input,
                        std::string_view signature) const;


  struct Impl;

 private:
  explicit PublicKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

using PublicKeyPtr = std::shared_ptr<const PublicKey>;

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_KEYS_H_
