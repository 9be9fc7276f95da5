// The qcStatements (RFC 3739, ETSI EN 319 412-5) and certificate policies of an
// X.509 certificate, read with OpenSSL's generic ASN.1 decoder. Private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_QC_STATEMENTS_H_
#define CREDSWEEP_ENGINE_INTERNAL_QC_STATEMENTS_H_

#include <openssl/x509.h>

#include <string>
#include <vector>

namespace credsweep::internal {

inline constexpr char kQcCompliance[] = "0.4.0.1862.1.1";
inline constexpr char kQcSscd[] = "0.4.0.1862.1.4";
inline constexpr char kQcType[] = "0.4.0.1862.1.6";
inline constexpr char kQcTypeEsign[] = "0.4.0.1862.1.6.1";
inline constexpr char kQcTypeEseal[] = "0.4.0.1862.1.6.2";
inline constexpr char kQcTypeWeb[] = "0.4.0.1862.1.6.3";

struct QcStatements {
  bool compliance = false;          // QcCompliance: an EU qualified certificate
  bool sscd = false;                // QcSSCD: the key lives in a qualified device
  std::vector<std::string> types;   // QcType OIDs (esign, eseal, web)
};

// An absent or undecodable extension reads as no statements.
QcStatements ReadQcStatements(X509* cert);

// The certificatePolicies OIDs, dotted; empty when absent.
std::vector<std::string> CertificatePolicies(X509* cert);

// Dotted OID text of an ASN.1 object ("" if it does not fit).
std::string OidText(const ASN1_OBJECT* obj);

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_QC_STATEMENTS_H_
