// EU trusted lists and the List of Trusted Lists (ETSI TS 119 612 v2.x, TL
// version 5): reading with libxml2 and verifying their enveloped XAdES signature
// with xmlsec1. See docs/trusted-lists.md for the rules and what is read.
//
// A refused list is a verdict (ListVerdict with a message), not an error: the
// caller reports it by name and keeps the other lists. Thread-safe: all functions
// are free functions over their arguments (libxml2/xmlsec1 are initialised once).
#ifndef CREDSWEEP_IO_TRUST_TRUSTED_LIST_H_
#define CREDSWEEP_IO_TRUST_TRUSTED_LIST_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "engine/timestamp.h"
#include "engine/trusted_services.h"

namespace credsweep::io {

enum class ListVerdict {
  kAccepted,
  kTooLarge,                    // over TrustedListOptions::max_bytes
  kNotParseable,                // not well-formed XML, or a DTD
  kNotATrustedList,             // no TrustServiceStatusList, or a required field missing
  kUnsigned,                    // no ds:Signature
  kBadSignature,                // not exactly one enveloped signature, or it does not verify
  kSignerNotAnnounced,          // signed by a certificate not announced for the list
  kSigningCertificateMismatch,  // XAdES SigningCertificate does not name the signer
  kAlgorithmNotAccepted,        // a signature or digest algorithm outside the accepted set
                                // (SHA-1, MD5, RSA-SHA1, ...); the message names it
  kExpired,                     // past NextUpdate at the time of use (or no NextUpdate)
  kUnavailable,                 // could not be fetched or read
};
// Stable codes: "accepted", "too_large", "not_parseable", "not_a_trusted_list",
// "unsigned", "bad_signature", "signer_not_announced",
// "signing_certificate_mismatch", "algorithm_not_accepted", "expired", "unavailable".
std::string_view ListVerdictCode(ListVerdict v);

inline constexpr char kLotlType[] = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists";
inline constexpr char kTlMimeType[] = "application/vnd.etsi.tsl+xml";

// An OtherTSLPointer of a LOTL: where a list is and who may sign it.
struct ListPointer {
  std::string territory;   // SchemeTerritory, e.g. "ES"; "EU" for the LOTL itself
  std::string location;    // TSLLocation (URL)
  std::string mime_type;   // "application/vnd.etsi.tsl+xml" for the XML lists
  std::string tsl_type;
  std::vector<std::string> certificates;  // announced signing certificates, DER
};

struct TrustedListContent {
  std::string territory;  // SchemeTerritory
  std::string tsl_type;
  int64_t sequence = 0;
  UnixSeconds issued = 0;       // ListIssueDateTime
  std::optional<UnixSeconds> next_update;  // absent: a closed list
  std::vector<std::string> scheme_information_uris;
  std::vector<ListPointer> pointers;       // LOTL: PointersToOtherTSL
  std::vector<TrustedService> services;    // TL: every TSPService, territory filled in

  bool is_lotl() const { return tsl_type == kLotlType; }
  // The XML pointers (not the PDF ones) for `territory` (e.g. "EU": the LOTL's own).
  std::vector<const ListPointer*> XmlPointers(std::string_view territory) const;
  // Pivot LOTL URLs from SchemeInformationURI, oldest first: the ".xml" URIs
  // listed before the Official Journal announcement (a eur-lex.europa.eu URI).
  std::vector<std::string> PivotUrls() const;
};

struct TrustedListOptions {
  size_t max_bytes = 32u << 20;  // the largest EU TL (DE) is about 10 MB
};

struct TrustedListCheck {
  ListVerdict verdict = ListVerdict::kNotParseable;
  std::string message;
  std::optional<TrustedListContent> list;  // set only when accepted
  std::string signer_der;                  // set only when accepted

  bool accepted() const { return verdict == ListVerdict::kAccepted; }
};

// Parses and verifies `xml` against the certificates `announced` (DER) for it.
// With `at`, a list whose NextUpdate is absent or not after `at` is kExpired;
// without it (pivot LOTLs, which matter only for the keys they announce) freshness
// is not checked. The only way to obtain accepted content.
TrustedListCheck VerifyTrustedList(std::string_view xml, const std::vector<std::string>& announced,
                                   std::optional<UnixSeconds> at, const TrustedListOptions& options = {});

// Reads a list WITHOUT verifying its signature: for tests and for showing what a
// refused list holds. Never build trust on this. Errors: Corruption.
Result<TrustedListContent> ParseTrustedListUnverified(std::string_view xml, const TrustedListOptions& options = {});

// Every certificate of a PEM text, as DER. Errors: InvalidArgument if none.
Result<std::vector<std::string>> CertificatesFromPem(std::string_view pem);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_TRUST_TRUSTED_LIST_H_
