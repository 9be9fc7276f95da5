// What a person reading a report looks for in a credential: the learner's name,
// the title, the awarding body. Read once, during the format check, from the
// parse it already made. Private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_CREDENTIAL_LABELS_H_
#define CREDSWEEP_ENGINE_INTERNAL_CREDENTIAL_LABELS_H_

#include <cstddef>
#include <string>

#include "engine/credential.h"
#include "engine/internal/json.h"

namespace credsweep::internal {

// A label is cut to at most this many bytes (between UTF-8 characters).
inline constexpr size_t kMaxLabelBytes = 200;

// Fills out->labels from `credential` (the credential object itself: the document,
// a VC-JOSE payload or a VC 1.1 JWT's vc claim); out->issuer must already be read.
// Never fails: a label the credential does not give stays empty. The paths, in
// order of preference, are in docs/output-format.md.
void ReadLabels(object credential, Credential* out);

// The text of a value as a person reads it: a string; a language map
// ({"en": "...", "de": "..."}: English, else the first); a JSON-LD value object
// ({"@value": ...}); an array of these (the English one, else the first).
// Empty for anything else. Not cut.
std::string TextOf(element value);

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_CREDENTIAL_LABELS_H_
