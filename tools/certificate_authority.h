// A small X.509 certificate authority for sample corpora and tests: a self-signed
// root and seal certificates in the shape of eIDAS e-seal certificates (subject with
// organizationIdentifier, keyUsage nonRepudiation + digitalSignature). Not for
// production issuance.
#ifndef CREDSWEEP_TOOLS_CERTIFICATE_AUTHORITY_H_
#define CREDSWEEP_TOOLS_CERTIFICATE_AUTHORITY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "engine/signer.h"
#include "engine/timestamp.h"

namespace credsweep {

struct CertificateSpec {
  std::string common_name;
  std::string organization;
  std::string organization_identifier;  // e.g. "VATBE-0123456789"
  std::string country = "BE";
  UnixSeconds not_before = 0;
  UnixSeconds not_after = 0;
  bool is_ca = false;
  // Leaf shapes for tests of the sealing rules. key_usage: OpenSSL config text,
  // empty for the default (digitalSignature, nonRepudiation), "none" to omit it.
  std::string key_usage;
  std::string extended_key_usage;  // OpenSSL config text, e.g. "serverAuth"; empty: none
  bool qc_type_eseal = false;      // a qcStatements extension with QcType eseal
  bool qc_compliance = false;      // ... with QcCompliance (EU qualified certificate)
  bool qc_sscd = false;            // ... with QcSSCD (key on a qualified device)
  std::string certificate_policies;  // comma-separated policy OIDs; empty: none
  std::string signature_digest = "SHA256";  // the issuer's digest (tests of weak chains)
  std::string ocsp_url;  // Authority Information Access: the OCSP responder; empty: none
  std::string crl_url;   // CRL distribution point; empty: none
};

class CertificateAuthority {
 public:
  // A new root CA with a fresh P-256 key.
  static Result<std::unique_ptr<CertificateAuthority>> Create(const CertificateSpec& spec);
  ~CertificateAuthority();

  // An intermediate CA from its key and certificate (as issued by another CA).
  static std::unique_ptr<CertificateAuthority> FromKeyAndCertificate(std::unique_ptr<PrivateKey> key,
                                                                     std::string der);
  // Issues a certificate for `subject_key`, signed by this CA. Returns DER.
  Result<std::string> Issue(const PrivateKey& subject_key, const CertificateSpec& spec,
                            long serial) const;
  // A CRL (DER) signed by this CA listing `revoked`.
  struct Revoked {
    long serial;
    UnixSeconds at;
    int reason = -1;  // RFC 5280 CRLReason, -1: no reason code
  };
  Result<std::string> IssueCrl(const std::vector<Revoked>& revoked, UnixSeconds this_update,
                               UnixSeconds next_update) const;

  // An OCSP response (DER OCSPResponse, RFC 6960) about `cert_der`, a certificate
  // this CA issued: good, or revoked at `revoked->at`. Signed by this CA, or by
  // `responder_key` with its certificate `responder_der` when given (a delegated
  // responder, which the response then carries). nextUpdate 0: none.
  Result<std::string> OcspResponse(const std::string& cert_der, const Revoked* revoked, UnixSeconds this_update,
                                   UnixSeconds next_update, const PrivateKey* responder_key = nullptr,
                                   const std::string& responder_der = "") const;

  const std::string& der() const { return der_; }
  std::string pem() const;

 private:
  CertificateAuthority() = default;
  std::unique_ptr<PrivateKey> key_;
  std::string der_;
};

// An RFC 3161 TimeStampToken (DER) over SHA-256(`data`) made at `gen_time` by a
// timestamp authority with `tsa_key` and certificate `tsa_der` (which should carry
// the timeStamping extended key usage), as OpenSSL's TS responder makes them.
Result<std::string> MakeTimestampToken(const PrivateKey& tsa_key, const std::string& tsa_der, std::string_view data,
                                       UnixSeconds gen_time);

// PEM armour for a DER certificate.
std::string CertificatePem(const std::string& der);

// SHA-256 of a DER certificate (the value x5t#S256 carries, before base64url).
std::string CertificateSha256(const std::string& der);

}  // namespace credsweep

#endif  // CREDSWEEP_TOOLS_CERTIFICATE_AUTHORITY_H_
