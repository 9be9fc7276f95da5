// The parsed model of a credential: what the five checks need, extracted once.
#ifndef CREDSWEEP_ENGINE_CREDENTIAL_H_
#define CREDSWEEP_ENGINE_CREDENTIAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/timestamp.h"

namespace credsweep {

enum class VcVersion { kV1_1, kV2_0 };

// One credentialStatus entry (or an entry of the top-level `status` member some
// Europass issuers use).
struct StatusEntry {
  std::string type;          // BitstringStatusListEntry, StatusList2021Entry, ...
  std::string purpose;       // revocation, suspension, message, ...
  std::string list_url;      // statusListCredential
  std::string index_text;    // statusListIndex as written
  std::optional<uint64_t> index;  // parsed; nullopt when not a non-negative integer
  unsigned size = 1;         // statusSize (bits per entry)
};

// An identifier of the issuing organisation as ELM writes it (a LegalIdentifier:
// eIDASIdentifier, legalIdentifier, registration): the notation, and the country
// its `spatial` names, as ISO 3166-1 alpha-2 ("EE"), when it names one.
struct LegalIdentifier {
  std::string notation;
  std::string country;
};

// What a report shows a person (engine/internal/credential_labels.h): each empty
// when the credential does not give it, each at most 200 bytes of UTF-8.
struct CredentialLabels {
  std::string subject_name;   // the learner's name (fullName, givenName familyName, name)
  std::string title;          // the claim's or achievement's title, else the credential's name
  std::string awarding_body;  // the awarding body's name or id, else the issuer's name or id
};

// What an EBSI Verifiable Accreditation permits its subject to issue or accredit
// (one `credentialSubject.accreditedFor` or `permissionFor` entry): credentials
// of all of `types`, under `schema_id` (both always set: an entry without them is
// not read), in `jurisdictions` (empty: anywhere).
struct AccreditationPermission {
  std::string schema_id;
  std::vector<std::string> types;
  std::vector<std::string> jurisdictions;  // country or territorial codes ("FIN")
};

struct Credential {
  VcVersion version = VcVersion::kV2_0;
  std::string id;                   // may be empty (id is optional)
  std::string issuer;               // issuer URL (string form or issuer.id)
  std::vector<std::string> types;
  std::optional<UnixSeconds> valid_from;   // validFrom, or VC 1.1 issuanceDate
  std::optional<UnixSeconds> valid_until;  // validUntil, or VC 1.1 expirationDate
  std::string subject_id;           // first credentialSubject.id, if any
  std::vector<std::string> subject_ids;  // every credentialSubject's id, in order
  // EDC: issuer.eIDASIdentifier.notation (or the eidasLegalIdentifier spelling).
  std::string eidas_identifier;
  // Every legal identifier of the issuer (eIDASIdentifier, eidasLegalIdentifier,
  // legalIdentifier, registration), for matching a seal certificate's
  // organizationIdentifier (engine/organization_identifier.h).
  std::vector<LegalIdentifier> issuer_identifiers;
  // ELM: the ids of every awardedBy.awardingBody under credentialSubject, each
  // once, in document order. A seal binds the issuer; these must be the issuer
  // itself or bodies it is mandated to seal for.
  std::vector<std::string> awarding_bodies;
  // What the accreditation check compares (ELM and Open Badges fields; each
  // collected anywhere under credentialSubject unless said otherwise, each once).
  std::vector<std::string> accreditation_ids;    // evidence[].accreditation, accreditation, hasAccreditation
  std::vector<std::string> qualification_ids;    // specifiedBy ids
  std::vector<std::string> fields;               // ISCED-F codes of thematicArea ("0613")
  std::vector<int> eqf_levels;                   // eqfLevel (a number, code or EQF concept)
  std::vector<std::string> jurisdictions;        // countryCode codes under awardedBy ("BEL")
  std::vector<std::string> credential_profiles;  // ELM credentialProfiles ids (top level)
  std::optional<UnixSeconds> issued;             // issuanceDate, else validFrom
  // EBSI accreditation chains (docs/accreditation.md): credentialSchema ids; the
  // accreditation the issuer holds, as `termsOfUse` names it (IssuanceCertificate
  // `id`, AccreditationPolicy `parentAccreditation`); and, in a Verifiable
  // Accreditation, what it permits its subject.
  std::vector<std::string> schema_ids;
  std::vector<std::string> accreditation_parents;
  std::vector<AccreditationPermission> permissions;
  // Awarding bodies named without a readable id (an object without a string id or
  // @id, a number, an awardedBy given only as a reference), minified JSON. No
  // mandate can admit them.
  std::vector<std::string> unidentified_awarding_bodies;
  CredentialLabels labels;
  bool is_edc = false;              // type includes EuropeanDigitalCredential
  std::vector<StatusEntry> status_entries;
  std::vector<std::string> warnings;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_CREDENTIAL_H_
