// Private keys and JWS signing, for `credsweep keygen`, `credsweep sample` and tests.
// Verification never needs this file.
#ifndef CREDSWEEP_ENGINE_SIGNER_H_
#define CREDSWEEP_ENGINE_SIGNER_H_

#include <memory>
#include <string>
#include <string_view>

#include "engine/jws_alg.h"
#include "engine/keys.h"
#include "engine/result.h"

namespace credsweep {

class PrivateKey {
 public:
  // A fresh key fit for `alg` (RSA: 2048 bits, or `rsa_bits`).
  static Result<std::unique_ptr<PrivateKey>> Generate(JwsAlg alg, int rsa_bits = 2048);
  // A private JWK (EC/OKP with d; RSA with d, p, q, dp, dq, qi).
  static Result<std::unique_ptr<PrivateKey>> FromJwk(std::string_view jwk_json);
  // PKCS#8 / traditional PEM private key.
  static Result<std::unique_ptr<PrivateKey>> FromPem(std::string_view pem);

  ~PrivateKey();

  JwsAlg alg() const { return alg_; }
  const std::string& kid() const { return kid_; }
  void set_kid(std::string kid) { kid_ = std::move(kid); }

  // JOSE signature over `signing_input` (ECDSA as r||s). Thread-safe.
  Result<std::string> Sign(std::string_view signing_input) const;

  std::string ToPrivateJwkJson() const;  // includes "alg", "kid", "use":"sig"
  std::string ToPublicJwkJson() const;
  // RFC 7638 thumbprint (SHA-256, base64url) of the public key.
  std::string Thumbprint() const;
  // The OpenSSL EVP_PKEY, for the X.509 helpers inside credsweep.
  evp_pkey_st* evp_pkey() const;

 private:
  enum class JwkForm { kPublic, kPrivate };
  // The one JWK writer: kPublic writes alg, kid, use and the public members;
  // kPrivate adds the private members too. (The RFC 7638 thumbprint form is
  // internal::JwkThumbprint, shared with PublicKey.)
  std::string WriteJwk(JwkForm form) const;
  struct Impl;
  PrivateKey(std::unique_ptr<Impl> impl, JwsAlg alg);
  std::unique_ptr<Impl> impl_;
  JwsAlg alg_;
  std::string kid_;
};

// Builds a compact JWS: base64url(header) "." base64url(payload) "." signature.
Result<std::string> SignCompact(const PrivateKey& key, std::string_view header_json,
                                std::string_view payload);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_SIGNER_H_
