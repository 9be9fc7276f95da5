// How long a fetched status list credential may be used (docs/status-lists.md,
// "Freshness"): until the earliest of
//   fetched_at + max_age            (--max-status-age)
//   fetched_at + ttl / 1000         (the list's credentialSubject.ttl, milliseconds)
//   validUntil                      (the list credential's own, or VC 1.1 expirationDate)
// The document is read without verifying it (engine/credential_reader.h): the
// verifier checks it on every use; this only decides when to ask upstream again.
// A ttl or validUntil that cannot be read does not shorten the bound.
#ifndef CREDSWEEP_IO_STATUS_LISTS_FRESHNESS_H_
#define CREDSWEEP_IO_STATUS_LISTS_FRESHNESS_H_

#include <string_view>

#include "engine/timestamp.h"

namespace credsweep::io {

UnixSeconds ListFreshUntil(std::string_view document, UnixSeconds fetched_at, int64_t max_age_seconds);

// How long a fetched OCSP response or CRL may be used: until the earlier of
// fetched_at + max_age and its nextUpdate (the earliest of an OCSP response's
// single responses), when it states one.
UnixSeconds CertificateStatusFreshUntil(std::string_view document, UnixSeconds fetched_at, int64_t max_age_seconds);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_STATUS_LISTS_FRESHNESS_H_
