// Small helpers over simdjson's DOM, private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_JSON_H_
#define CREDSWEEP_ENGINE_INTERNAL_JSON_H_

#include <simdjson.h>

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

inline bool HasMember(object obj, std::string_view key) {
  element e;
  return obj[key].get(e) == simdjson::SUCCESS;
}

using credsweep::AppendJsonString;

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_JSON_H_
