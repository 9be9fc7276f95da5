// The JSON form of a status record, shared by `credsweep status --json` and the
// HTTP API: {"id","state","reason","changed_at","status_list":{"id","index"}}.
#ifndef CREDSWEEP_IO_STATUS_JSON_H_
#define CREDSWEEP_IO_STATUS_JSON_H_

#include <optional>
#include <string>
#include <string_view>

#include "engine/json_escape.h"
#include "engine/status.h"

namespace credsweep::io {

inline std::string StatusJson(std::string_view id, const std::optional<StatusRecord>& r) {
  std::string out = "{\"id\":";
  AppendJsonString(id, &out);
  if (!r) return out + ",\"state\":\"unknown\"}";
  out += ",\"state\":\"" + std::string(StateName(r->state)) + "\",\"reason\":";
  AppendJsonString(r->reason, &out);
  out += ",\"changed_at\":\"" + FormatUtc(r->changed_at) + "\"";
  if (!r->list_id.empty()) {
    out += ",\"status_list\":{\"id\":";
    AppendJsonString(r->list_id, &out);
    out += ",\"index\":" + std::to_string(r->list_index) + "}";
  }
  return out + "}";
}

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_STATUS_JSON_H_
