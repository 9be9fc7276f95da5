// Certificates that travel unsigned beside signed data: the `certs` of an OCSP
// response (RFC 6960 §4.2.1) and the `certificates` of a CMS SignedData, such as
// an RFC 3161 timestamp token (RFC 5652 §5.1).
//
// OpenSSL 3.0 decodes the public key of every certificate it parses through its
// provider decoders, which costs several times more than checking a signature. A
// long-term seal carries the same TSA and OCSP responder certificates in every
// token and response, so the certificates are split from the bytes first and each
// is decoded once (CarriedCertificate); the rest is decoded without them. Only the
// unsigned certificate field is removed: every signed byte reaches OpenSSL as it
// came. The bytes are walked with ASN1_get_object and re-framed with
// ASN1_put_object; anything unexpected (an indefinite length, a certificate
// choice other than a plain certificate, trailing bytes) gives nullopt, and the
// caller decodes the original bytes as before.
#ifndef CREDSWEEP_ENGINE_INTERNAL_CARRIED_CERTIFICATES_H_
#define CREDSWEEP_ENGINE_INTERNAL_CARRIED_CERTIFICATES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/internal/openssl.h"

namespace credsweep::internal {

struct SplitCertificates {
  std::string without;                         // the structure, its certificates left out
  std::vector<std::string_view> certificates;  // each certificate's DER, in order (views into the input)
};

// A BasicOCSPResponse, or an OCSPResponse whose status is successful and whose
// response is a BasicOCSPResponse (then `without` is the BasicOCSPResponse).
std::optional<SplitCertificates> SplitOcspCertificates(std::string_view der);

// A ContentInfo holding a SignedData; `without` is the ContentInfo.
std::optional<SplitCertificates> SplitSignedDataCertificates(std::string_view der);

// The certificate, decoded once per process and shared (a new reference each
// call); null when it does not decode. Kept by the SHA-256 of its DER, at most
// kMaxCarriedCertificates of them or kMaxCarriedBytes of DER (the cache is emptied
// when either is reached); one larger than kMaxCarriedCertificateBytes (real TSA
// and responder certificates are 1-3 KiB) is decoded each time and not kept.
inline constexpr size_t kMaxCarriedCertificates = 1024;
inline constexpr size_t kMaxCarriedBytes = 4u << 20;
inline constexpr size_t kMaxCarriedCertificateBytes = 16 * 1024;
X509Ptr CarriedCertificate(std::string_view der);

// The certificates, decoded (CarriedCertificate); nullopt if one does not decode.
std::optional<std::vector<X509Ptr>> CarriedCertificates(const std::vector<std::string_view>& der);

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_CARRIED_CERTIFICATES_H_
