#include "io/report/escaping.h"

#include <simdjson.h>

namespace credsweep::io {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::string CleanText(std::string_view s, bool single_line) {
  // Invalid UTF-8 (a file name in another encoding) is rare: checked once, then
  // every non-ASCII byte of such a string is replaced.
  const bool valid = simdjson::validate_utf8(s.data(), s.size());
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c >= 0x80) {
      if (valid) out.push_back(static_cast<char>(c));
      else if (!IsContinuation(c) || out.size() < 3 || out.compare(out.size() - 3, 3, kReplacement) != 0) out += kReplacement;
    } else if (c == '\t' || c == '\n' || c == '\r') {
      out.push_back(single_line ? ' ' : static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7F) {
      out += kReplacement;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

void AppendCsvField(std::string_view s, bool guard_formula, std::string* out) {
  std::string text = CleanText(s, false);
  // "-:12" is the source of stdin's line 12, not a formula.
  const bool stdin_source = text.size() > 1 && text[0] == '-' && text[1] == ':';
  if (guard_formula && !text.empty() && !stdin_source && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos) {
    text.insert(text.begin(), '\'');
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    *out += text;
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendHtmlEscaped(std::string_view s, std::string* out) {
  for (char c : CleanText(s, false)) {
    switch (c) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '"': *out += "&quot;"; break;
      case '\'': *out += "&#39;"; break;
      default: out->push_back(c);
    }
  }
}

size_t CharCount(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += !IsContinuation(c);
  return n;
}

std::string FitCell(std::string_view s, size_t max_chars, bool keep_end) {
  constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026
  std::string text = CleanText(s, true);
  const size_t chars = CharCount(text);
  if (chars <= max_chars || max_chars == 0) return text;
  // The byte where character number `n` starts.
  auto start_of = [&text](size_t n) {
    size_t seen = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (!IsContinuation(static_cast<unsigned char>(text[i])) && seen++ == n) return i;
    }
    return text.size();
  };
  if (keep_end) return std::string(kEllipsis) + text.substr(start_of(chars - (max_chars - 1)));
  text.resize(start_of(max_chars - 1));
  return text + std::string(kEllipsis);
}

}  // namespace credsweep::io
