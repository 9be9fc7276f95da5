// JSON string literal escaping, shared by every writer of JSON text.
#ifndef CREDSWEEP_ENGINE_JSON_ESCAPE_H_
#define CREDSWEEP_ENGINE_JSON_ESCAPE_H_

#include <string>
#include <string_view>

namespace credsweep {

// Appends `s` as a JSON string literal (quotes included) to *out. Control
// characters are escaped; invalid UTF-8 is written byte by byte as \u00XX so the
// result is always valid JSON.
void AppendJsonString(std::string_view s, std::string* out);

// Whether `s` is written as it is between the quotes: no control character, '"',
// '\\' or byte of 0x80 and above (valid UTF-8 would also be written as it is, but
// is not looked into here).
bool IsPlainJsonText(std::string_view s);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_JSON_ESCAPE_H_
