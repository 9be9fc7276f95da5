#include "engine/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "engine/internal/jcs_writer.h"
#include "engine/internal/json.h"

namespace credsweep {

std::string Es6NumberToString(double d) {
  if (d == 0) return "0";  // also -0
  std::string sign = d < 0 ? "-" : "";
  d = std::fabs(d);
  // Shortest round-trip digits, from the scientific form "d.ddde±x".
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exp10 = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+'), sci.data() + sci.size(), exp10);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // the value is 0.digits x 10^n
  std::string out;
  if (k <= n && n <= 21) {
    out = digits + std::string(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out = digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(static_cast<size_t>(-n), '0') + digits;
  } else {
    int e = n - 1;
    out = digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += e < 0 ? "e-" : "e+";
    out += std::to_string(std::abs(e));
  }
  return sign + out;
}

namespace internal {
namespace {

// Keys compare by UTF-16 code units (RFC 8785 §3.2.3).
std::u16string Utf16(std::string_view s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    int len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0F;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (int j = 1; j < len && i + j < s.size(); ++j) cp = (cp << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3F);
    i += static_cast<size_t>(len);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

void AppendString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

}  // namespace

void AppendJcs(element e, std::string* out, const std::vector<std::string_view>& skip) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      std::vector<std::pair<std::u16string, std::pair<std::string_view, element>>> members;
      internal::object obj = e.get_object().value_unsafe();
      for (auto [key, value] : obj) {
        if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
        members.push_back({Utf16(key), {key, value}});
      }
      std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out->push_back('{');
      for (size_t i = 0; i < members.size(); ++i) {
        if (i) out->push_back(',');
        AppendString(members[i].second.first, out);
        out->push_back(':');
        AppendJcs(members[i].second.second, out);
      }
      out->push_back('}');
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      out->push_back('[');
      bool first = true;
      simdjson::dom::array arr = e.get_array().value_unsafe();
      for (element item : arr) {
        if (!first) out->push_back(',');
        first = false;
        AppendJcs(item, out);
      }
      out->push_back(']');
      return;
    }
    case simdjson::dom::element_type::STRING:
      AppendString(e.get_string().value_unsafe(), out);
      return;
    case simdjson::dom::element_type::INT64:
      out->append(Es6NumberToString(static_cast<double>(e.get_int64().value_unsafe())));
      return;
    case simdjson::dom::element_type::UINT64:
      out->append(Es6NumberToString(static_cast<double>(e.get_uint64().value_unsafe())));
      return;
    case simdjson::dom::element_type::DOUBLE:
      out->append(Es6NumberToString(e.get_double().value_unsafe()));
      return;
    case simdjson::dom::element_type::BOOL:
      out->append(e.get_bool().value_unsafe() ? "true" : "false");
      return;
    case simdjson::dom::element_type::NULL_VALUE:
      out->append("null");
      return;
  }
}

// simdjson's DOM refuses an integer literal outside [-2^63, 2^64) although JSON
// allows it and RFC 8785 reads every number as a double (and JcsCanonicalize
// itself writes 1e20 as "100000000000000000000"). Such literals get ".0" appended,
// outside strings, so that they parse as doubles; nothing else changes.
std::string IntegersAsDoubles(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 16);
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    out.push_back(c);
    if (in_string) {
      if (c == '\\' && i + 1 < json.size()) out.push_back(json[++i]);
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    const bool starts_number = (c == '-' || (c >= '0' && c <= '9'));
    if (!starts_number) continue;
    size_t j = i + 1;
    while (j < json.size() && json[j] >= '0' && json[j] <= '9') ++j;
    out.append(json.substr(i + 1, j - i - 1));
    const bool has_digits = j - i > (c == '-' ? 1u : 0u);
    const bool more = j < json.size() && (json[j] == '.' || json[j] == 'e' || json[j] == 'E');
    if (has_digits && !more && j - i >= 19) out += ".0";
    // Skip the rest of a number (fraction, exponent) so its digits are not
    // taken for the start of another literal.
    while (j < json.size() && std::string_view("0123456789.eE+-").find(json[j]) != std::string_view::npos) {
      out.push_back(json[j++]);
    }
    i = j - 1;
  }
  return out;
}

}  // namespace internal

Result<std::string> JcsCanonicalize(std::string_view json) {
  simdjson::dom::parser parser;
  internal::element root;
  if (parser.parse(json.data(), json.size(), true).get(root) != simdjson::SUCCESS) {
    // Retry only for what simdjson refuses: integers beyond 64 bits.
    std::string retry = internal::IntegersAsDoubles(json);
    if (retry.size() == json.size() ||
        parser.parse(retry.data(), retry.size(), true).get(root) != simdjson::SUCCESS) {
      return InvalidArgument("not valid JSON");
    }
  }
  // RFC 8785 §3.1: input is I-JSON, whose names are unique. With duplicates there is
  // no canonical form (which member comes first was the input's choice).
  if (auto dup = internal::DuplicateMember(root)) {
    return InvalidArgument(*dup);
  }
  std::string out;
  internal::AppendJcs(root, &out);
  return out;
}

}  // namespace credsweep
