// JCS serialisation of a parsed simdjson element (engine-internal entry point for
// Data Integrity, which canonicalises parts of a document).
#ifndef CREDSWEEP_ENGINE_INTERNAL_JCS_WRITER_H_
#define CREDSWEEP_ENGINE_INTERNAL_JCS_WRITER_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/internal/json.h"

namespace credsweep::internal {

// Appends the canonical form of `e` to *out; members named in `skip` are left out
// of the top-level object only.
void AppendJcs(element e, std::string* out, const std::vector<std::string_view>& skip = {});

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_JCS_WRITER_H_
