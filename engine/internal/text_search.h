// Substring search for the short fixed needles the engine looks for in whole
// payloads before parsing them.
#ifndef CREDSWEEP_ENGINE_INTERNAL_TEXT_SEARCH_H_
#define CREDSWEEP_ENGINE_INTERNAL_TEXT_SEARCH_H_

#include <string_view>

namespace credsweep::internal {

// True when `needle` occurs in `text` (an empty needle occurs everywhere).
// Compares 16 positions at a time on their first and last byte, and only the
// positions where both match in full: for a JSON text and a needle such as
// "VerifiablePresentation" several times faster than std::string_view::find
// (which stops at every occurrence of the first byte) or glibc's memmem.
bool Contains(std::string_view text, std::string_view needle);

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_TEXT_SEARCH_H_
