// Matching a seal certificate's organizationIdentifier (X.520 2.5.4.97, written
// as ETSI EN 319 412-1 §5.1.4 says: three letters of scheme, two of country, a
// hyphen, the reference: "VATBE-0248015142", "NTREE-17207834") against the legal
// identifiers an ELM credential gives for its issuer. Private to engine/.
//
// The rule, derived from real sealed Europass credentials (docs/trust-registry.md):
//   1. exact: the notation equals the organizationIdentifier ("VATES-A00000000");
//   2. registration: the notation is a bare reference (no scheme prefix) equal to
//      the certificate's reference, and the identifier's `spatial` country is the
//      certificate's country ("17207834" in Estonia against "NTREE-17207834").
// A notation with a different scheme prefix ("VATEE-17207834" against
// "NTREE-17207834") does not match: a VAT number and a trade-register number
// come from different registers even when their digits agree.
#ifndef CREDSWEEP_ENGINE_INTERNAL_ORGANIZATION_IDENTIFIER_H_
#define CREDSWEEP_ENGINE_INTERNAL_ORGANIZATION_IDENTIFIER_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/credential.h"

namespace credsweep::internal {

// ISO 3166-1 alpha-2 for an alpha-3 code of the EU country authority table
// ("EST" -> "EE"); empty for codes outside the EU, the EEA, CH and GB.
std::string_view Alpha2FromAlpha3(std::string_view alpha3);

struct OrganizationIdentifierParts {
  std::string_view scheme;     // "VAT", "NTR", "PSD", "LEI", or two letters + ':' for national schemes
  std::string_view country;    // "BE"
  std::string_view reference;  // after the hyphen
};
// Splits an EN 319 412-1 semantic identifier; false when `id` is not one.
bool SplitOrganizationIdentifier(std::string_view id, OrganizationIdentifierParts* out);

// How `organization_identifier` matches one of `ids` ("exact match of
// eIDAS identifier VATES-A00000000", "registration number 17207834 in EE"), or
// empty when none does.
std::string MatchOrganizationIdentifier(std::string_view organization_identifier,
                                        const std::vector<LegalIdentifier>& ids);

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_ORGANIZATION_IDENTIFIER_H_
