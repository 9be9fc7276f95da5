#include "engine/json_escape.h"

#include <simdjson.h>

#include <array>

namespace credsweep {
namespace {

// 1 for bytes that need attention: controls, '"', '\\', and non-ASCII (which only
// needs escaping when the string is not valid UTF-8).
constexpr std::array<uint8_t, 256> kSpecial = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
  return t;
}();

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  // Invalid UTF-8 (binary garbage in a source name or message) is written byte by
  // byte as \u00XX so the output line stays valid JSON. Checked only when a
  // non-ASCII byte shows up.
  int utf8 = -1;  // unknown
  size_t run = 0;  // start of the pending run of plain bytes
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!kSpecial[c]) continue;
    if (c >= 0x80) {
      if (utf8 < 0) utf8 = simdjson::validate_utf8(s.data(), s.size()) ? 1 : 0;
      if (utf8) continue;
    }
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

}  // namespace credsweep
