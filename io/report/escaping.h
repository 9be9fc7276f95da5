// Text that came from a credential (or a file name) made safe for each report
// format. Credential contents are attacker-chosen: an HTML report must not run
// them, a spreadsheet must not evaluate them, a table must not be broken by them.
#ifndef CREDSWEEP_IO_REPORT_ESCAPING_H_
#define CREDSWEEP_IO_REPORT_ESCAPING_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace credsweep::io {

// `s` as valid UTF-8 without control characters: invalid UTF-8 bytes and C0/DEL
// controls other than TAB, LF and CR become U+FFFD; with `single_line`, TAB, LF
// and CR become spaces too.
std::string CleanText(std::string_view s, bool single_line);

// One RFC 4180 field: quoted (quotes doubled) when it holds a comma, a quote, CR
// or LF. With `guard_formula`, a field starting with = + - @ TAB or CR gets a
// leading ' so that a spreadsheet shows it rather than evaluating it (OWASP "CSV
// injection"), except a source of stdin ("-:12"). Used for every field that
// holds text from a credential or a file name.
void AppendCsvField(std::string_view s, bool guard_formula, std::string* out);

// `s` as HTML text or attribute value: & < > " ' as character references, after
// CleanText(s, false).
void AppendHtmlEscaped(std::string_view s, std::string* out);

// `s` (single line) cut to at most `max_chars` characters (code points; 0: no
// limit), an ellipsis standing for what was cut: the end, or with `keep_end` the
// start (a path's file name is its telling part); and the number of characters.
std::string FitCell(std::string_view s, size_t max_chars, bool keep_end = false);
size_t CharCount(std::string_view utf8);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_REPORT_ESCAPING_H_
