// Small helpers over simdjson's DOM, private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_JSON_H_
#define CREDSWEEP_ENGINE_INTERNAL_JSON_H_

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/json_escape.h"

namespace credsweep::internal {

using simdjson::dom::element;
using simdjson::dom::object;

// The member `key` of `obj` if it is a string.
inline std::optional<std::string_view> StringMember(object obj, std::string_view key) {
  std::string_view v;
  if (obj[key].get_string().get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

// Calls fn(element) for a value that may be one item or an array of items; false
// as soon as fn refuses one.
template <typename Fn>
bool ForEachItem(element e, Fn fn) {
  simdjson::dom::array arr;
  if (e.get_array().get(arr) != simdjson::SUCCESS) return fn(e);
  for (element item : arr) {
    if (!fn(item)) return false;
  }
  return true;
}

inline bool HasMember(object obj, std::string_view key) {
  element e;
  return obj[key].get(e) == simdjson::SUCCESS;
}

// A JWT NumericDate (RFC 7519 §2): a JSON number of seconds since the epoch,
// fractions truncated. nullopt for anything else, and for values outside
// 1970-01-01 .. 9999-12-31 (no cast of an attacker's 1e300 to an integer).
inline std::optional<int64_t> NumericDate(element e) {
  constexpr int64_t kMax = 253402300799;  // 9999-12-31T23:59:59Z
  int64_t i;
  if (e.get_int64().get(i) == simdjson::SUCCESS) {
    return i >= 0 && i <= kMax ? std::optional<int64_t>(i) : std::nullopt;
  }
  uint64_t u;
  if (e.get_uint64().get(u) == simdjson::SUCCESS) return std::nullopt;  // above INT64_MAX
  double d;
  if (e.get_double().get(d) != simdjson::SUCCESS || !(d >= 0) || d > static_cast<double>(kMax)) {
    return std::nullopt;
  }
  return static_cast<int64_t>(d);
}

// Describes the first object (depth first) in which a member name appears twice,
// e.g. "member 'validUntil' appears more than once in /credentialSubject"; nullopt
// when every object's names are unique. JSON parsers disagree on which duplicate
// wins (simdjson's lookup takes the first, JavaScript and Python the last), so a
// signed document with duplicates is refused rather than read one way.
std::optional<std::string> DuplicateMember(element root);
std::optional<std::string> DuplicateMember(object root);
// The same for a whole parsed document, its root and everything below: one pass
// over the parser's tape (the layout simdjson documents in doc/tape.md), a
// fraction of the walk above, which then runs only to name a duplicate found.
// For the format check, which runs it on every record.
std::optional<std::string> DuplicateMember(const simdjson::dom::document& doc);

using credsweep::AppendJsonString;

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_JSON_H_
