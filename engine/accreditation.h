// Accreditation records (European Learning Model `Accreditation`): which
// organisation is accredited, by whom, for what (credential types,
// qualifications, ISCED-F fields, EQF levels, jurisdictions), from when until
// when, and whether the accreditation stands. They come from the trusted-issuer
// registry (`accreditations`) or are fetched by URI (`--accreditations DIR`,
// `--online`); docs/accreditation.md. Immutable once parsed.
#ifndef CREDSWEEP_ENGINE_ACCREDITATION_H_
#define CREDSWEEP_ENGINE_ACCREDITATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "engine/timestamp.h"

namespace credsweep {

enum class AccreditationStatus { kActive, kSuspended, kRevoked };
std::string_view AccreditationStatusName(AccreditationStatus s);

struct AccreditationRecord {
  std::string id;                          // the record's URI
  std::vector<std::string> organisations;  // ids of the accredited organisations
  std::string accrediting_agent;           // id of the quality assurance body, if given
  // Limits; an empty list does not limit. Concept URIs are kept as written and
  // compared by their last path segment where the segment is the code (EQF
  // levels, ISCED-F fields, countries).
  std::vector<std::string> limit_credential_types;  // ELM credential profile or VC type
  std::vector<std::string> limit_qualifications;    // qualification ids
  std::vector<std::string> limit_fields;            // ISCED-F codes, e.g. "06" covers "0613"
  std::vector<int> limit_eqf_levels;
  std::vector<std::string> limit_jurisdictions;     // country codes (alpha-2 or alpha-3)
  std::optional<UnixSeconds> date_issued, expiry_date;
  AccreditationStatus status = AccreditationStatus::kActive;
};

// Parses one record in its ELM JSON form. Each limit takes a string, an object
// with `id` (or `notation`), or an array of those. `where` prefixes errors
// ("accreditations[2]"). Unknown members are refused as in the registry.
Result<AccreditationRecord> ParseAccreditation(std::string_view json, std::string_view where);

namespace internal {
// The code a concept names: "http://data.europa.eu/snb/eqf/6" -> "6",
// "http://data.europa.eu/snb/isced-f/0613" -> "0613"; a bare code stays as it is.
std::string_view ConceptCode(std::string_view concept_id);
// An EQF level from a number, a code or a concept URI; nullopt unless 1..8.
std::optional<int> EqfLevel(std::string_view text);
}  // namespace internal

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_ACCREDITATION_H_
