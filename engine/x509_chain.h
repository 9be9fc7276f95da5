// X.509 certificate chains (JOSE x5c, JAdES xVals) validated against configured
// trust anchors. Anchors may be intermediate (issuing) CAs, as EU trusted lists
// list them: partial chains ending at any anchor are accepted.
//
// Validation runs at OpenSSL security level 2 (RSA >= 2048 bits, no MD5 or SHA-1
// signatures in the chain) and requires a leaf fit for sealing.
//
// Thread-safe. Results are cached per (leaf, intermediates); the signing-time check
// runs per call against the cached validity window of the chain.
#ifndef CREDSWEEP_ENGINE_X509_CHAIN_H_
#define CREDSWEEP_ENGINE_X509_CHAIN_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/keys.h"
#include "engine/result.h"
#include "engine/timestamp.h"

namespace credsweep {

namespace internal {
struct CertificatePath;  // engine/internal/certificate_path.h
}  // namespace internal

struct ChainVerdict {
  enum class Kind {
    kTrusted,
    kUntrusted,        // no path to an anchor, or a bad signature in the chain
    kExpired,          // some certificate of the chain expired before the time
    kNotYetValid,      // some certificate was not yet valid at the time
    kNotForSealing,    // the leaf is not a sealing certificate: no digitalSignature or
                       // nonRepudiation key usage, or an extended key usage without
                       // document signing (and no QcType e-seal/e-sig statement)
    kWeak,             // a certificate below security level 2: RSA/DSA/DH < 2048 bits,
                       // ECC < 224 bits, or signed with MD5 or SHA-1
    kBadCertificate,   // undecodable DER
    kKeyRejected,      // the leaf's key is refused (unsupported type, RSA < 2048 bits)
  };
  Kind kind = Kind::kUntrusted;
  std::string message;
  PublicKeyPtr key;          // the leaf's key, set when the leaf decoded
  std::string subject;       // leaf subject, RFC 2253
  std::string organization;  // leaf organizationIdentifier (2.5.4.97), if any
  // The end of the chain's validity (the earliest notAfter along it) and the
  // subject of the certificate that sets it; set when the chain is trusted.
  UnixSeconds valid_until = INT64_MAX;
  std::string valid_until_owner;
  // SHA-256 (lowercase hex) of each certificate on the validated path, leaf
  // first, anchor last; set when the chain reached an anchor. A trust registry
  // names certificates and their CAs by these.
  std::vector<std::string> path_sha256;
  // The validated path itself, leaf first, anchor last; set with path_sha256.
  // Shared: verdicts are copied per call, the path is not.
  std::shared_ptr<const internal::CertificatePath> path;
};

class ChainValidator {
 public:
  ChainValidator();
  ~ChainValidator();
  ChainValidator(const ChainValidator&) = delete;
  ChainValidator& operator=(const ChainValidator&) = delete;

  // Adds every certificate of a PEM file as a trust anchor. Not thread-safe: call
  // before the first Validate().
  Status AddAnchorsPemFile(const std::string& path);
  Status AddAnchorsPem(std::string_view pem, std::string_view origin);
  // Adds one DER certificate as a trust anchor (a trusted-list service's
  // certificate). Not thread-safe: call before the first Validate().
  Status AddAnchorDer(std::string_view der);
  size_t anchor_count() const;

  // `chain` is leaf first (DER), as in x5c; `extra` are further untrusted
  // intermediates (JAdES xVals). `at` is the signing time.
  ChainVerdict Validate(const std::vector<std::string>& chain,
                        const std::vector<std::string>& extra, UnixSeconds at) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_X509_CHAIN_H_
