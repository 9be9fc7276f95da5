// Whether the certificates of a seal's chain were revoked at the signing time.
//
// The evidence is OCSP responses and CRLs: those a JAdES seal carries in its
// unsigned `rVals`, and a folder of CRLs given offline (`--crls DIR`). Each piece
// is verified before it counts: a CRL must be signed by the certificate's issuer;
// an OCSP response by the issuer or by a responder the issuer delegated (its
// certificate issued by the issuer, with the OCSPSigning extended key usage,
// valid when it answered). Parsing and signature checks are OpenSSL's.
#ifndef CREDSWEEP_ENGINE_CERTIFICATE_STATUS_H_
#define CREDSWEEP_ENGINE_CERTIFICATE_STATUS_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ports.h"
#include "engine/result.h"
#include "engine/timestamp.h"

namespace credsweep {

namespace internal {
struct CertificatePath;  // engine/internal/certificate_path.h
}  // namespace internal

// What a seal needs to pass (`--certificate-status`).
enum class CertificateStatusPolicy {
  kOff,      // not asked
  kPrefer,   // asked; a seal whose status cannot be established passes and says so
  kRequire,  // asked; such a seal fails certificate_status_unavailable
};

// CRLs read from files (`--crls DIR`). Not thread-safe while adding; read-only
// and thread-safe afterwards.
class CrlSet {
 public:
  CrlSet();
  ~CrlSet();
  CrlSet(const CrlSet&) = delete;
  CrlSet& operator=(const CrlSet&) = delete;

  // Largest CRL file read.
  static constexpr size_t kMaxFileBytes = 64u << 20;

  // Every regular file of `dir` (not recursive) whose name ends in .crl, .der or
  // .pem: DER, or PEM holding one or more X509 CRL blocks. A file that holds no
  // CRL, or is larger than kMaxFileBytes, is an error naming it.
  Status AddFolder(const std::string& dir);
  // One CRL, DER or PEM.
  Status Add(std::string_view data, std::string_view origin);
  size_t size() const;

 private:
  friend struct CertificateStatusAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// OCSP responses and CRLs fetched where certificates say they are published: the
// OCSP responder of the Authority Information Access extension (RFC 6960 Appendix
// A.1 GET: the responder URL, "/", the URL-encoded base64 of the DER request) and
// the http(s) CRL distribution points. Each URL is fetched once per fetcher (at
// most kMaxEntries kept); what verified is passed on to the source's Validated(),
// so a caching source keeps it. Thread-safe.
class OnlineRevocation {
 public:
  static constexpr size_t kMaxEntries = 4096;
  explicit OnlineRevocation(const DocumentSource& source);
  ~OnlineRevocation();
  OnlineRevocation(const OnlineRevocation&) = delete;
  OnlineRevocation& operator=(const OnlineRevocation&) = delete;

  // The document at `url`; an error's message says why it could not be had.
  Result<std::shared_ptr<const std::string>> Get(const std::string& url) const;
  // `document`, fetched from `url`, verified: passed on to the source, once per URL.
  void Validated(const std::string& url, const std::string& document) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The nextUpdate of an OCSP response (OCSPResponse or BasicOCSPResponse, DER: the
// earliest among its single responses) or a CRL (DER or PEM): when the responder or
// CA promises newer status, which a cache of fetched documents should not outlive.
// nullopt for a document that is neither, or states no nextUpdate.
std::optional<UnixSeconds> CertificateStatusNextUpdate(std::string_view document);

// The evidence at hand for one seal.
struct RevocationEvidence {
  const std::vector<std::string>* ocsp_der = nullptr;  // OCSPResponse or BasicOCSPResponse
  const std::vector<std::string>* crl_der = nullptr;   // CertificateList
  const CrlSet* crls = nullptr;                        // offline CRLs; may be null
  std::string_view origin = "embedded";                // how ocsp_der/crl_der came
  // Asked for a certificate the evidence above leaves unsettled; may be null.
  const OnlineRevocation* online = nullptr;
};

struct CertificateStatus {
  enum class State {
    kGood,     // every certificate below the anchor is shown not revoked at the time
    kRevoked,  // one is revoked (see revoked_at: before or after the time)
    kUnknown,  // some certificate has no evidence that covers the time
  };
  State state = State::kUnknown;
  // "ocsp" or "crl": the kind of evidence that settled the leaf's status (for
  // kRevoked, the revoked certificate's), "none" for kUnknown.
  std::string source = "none";
  // Where that evidence came from: "embedded" (the seal's rVals), "crls" (--crls)
  // or "online" (fetched); empty for kUnknown.
  std::string origin;
  // kRevoked: which certificate, when and why (RFC 5280 reason name, or empty).
  std::string revoked_subject;
  UnixSeconds revoked_at = 0;
  std::string reason;
  // For people: what showed the status, or why none could be established.
  std::string message;
};

// `path` is a validated chain, leaf first and anchor last (ChainVerdict::path);
// every certificate but the anchor is checked, each against the next as its
// issuer. The anchor is trusted as configured and not asked about.
// Fetched evidence (`online`) is asked only for a certificate the rest leaves
// without status. Evidence covers `at` when it was issued at or after it (less `skew_seconds`), or
// was current then (thisUpdate <= at <= nextUpdate). A revocation is reported
// whatever its time; the caller compares revoked_at with the signing time.
// Thread-safe.
CertificateStatus CheckCertificateStatus(const internal::CertificatePath& path, const RevocationEvidence& evidence,
                                         UnixSeconds at, int64_t skew_seconds);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_CERTIFICATE_STATUS_H_
