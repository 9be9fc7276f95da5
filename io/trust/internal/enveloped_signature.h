// The XML signature rules of a trusted list (ETSI TS 119 612 §5.7, XAdES
// baseline): exactly one ds:Signature, a child of the root element, with one
// Reference URI="" and the enveloped-signature transform; the other references
// same-document only; no transform but enveloped-signature and canonicalization;
// a signature algorithm from a fixed list and SHA-256/384/512 digests (References
// and XAdES CertDigest; SHA-1 and MD5 are refused); signed by one of
// the certificates announced for the list (the key comes from that certificate,
// never from ds:KeyInfo); the ds:KeyInfo certificate, when present, is that
// signer; and the signed XAdES SigningCertificate(V2) digest names it.
// Core validity is xmlsec1's (OpenSSL back end). Private to io/trust/.
#ifndef CREDSWEEP_IO_TRUST_INTERNAL_ENVELOPED_SIGNATURE_H_
#define CREDSWEEP_IO_TRUST_INTERNAL_ENVELOPED_SIGNATURE_H_

#include <libxml/tree.h>

#include <string>
#include <vector>

#include "io/trust/trusted_list.h"

namespace credsweep::io::trust::internal {

struct SignatureCheck {
  ListVerdict verdict = ListVerdict::kAccepted;  // or kUnsigned, kBadSignature, kSignerNotAnnounced,
                                                 // kSigningCertificateMismatch, kAlgorithmNotAccepted
  std::string message;
  std::string signer_der;  // set when accepted
};

// `announced` are DER certificates. `doc` gains ID attributes (xmlsec) but is
// otherwise unchanged.
SignatureCheck VerifyEnvelopedSignature(xmlDoc* doc, const std::vector<std::string>& announced);

}  // namespace credsweep::io::trust::internal

#endif  // CREDSWEEP_IO_TRUST_INTERNAL_ENVELOPED_SIGNATURE_H_
