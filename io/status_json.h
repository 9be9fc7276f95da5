// The JSON form of a status record, shared by `credsweep status --json` and the
// HTTP API: {"id","state","reason","changed_at","status_list":{"id","index"}}.
// Without `with_reason` the "reason" member is left out (`serve --public-reasons no`).
#ifndef CREDSWEEP_IO_STATUS_JSON_H_
#define CREDSWEEP_IO_STATUS_JSON_H_

#include <optional>
#include <string>
#include <string_view>

#include "engine/json_writer.h"
#include "engine/ports.h"

namespace credsweep::io {

inline std::string StatusJson(std::string_view id, const std::optional<StatusRecord>& r, bool with_reason = true) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Member("id", id);
  if (!r) {
    w.Member("state", "unknown").EndObject();
    return out;
  }
  w.Member("state", StateName(r->state));
  if (with_reason) w.Member("reason", r->reason);
  w.Member("changed_at", FormatUtc(r->changed_at));
  if (!r->list_id.empty()) {
    w.Key("status_list").BeginObject().Member("id", r->list_id).Member("index", r->list_index).EndObject();
  }
  w.EndObject();
  return out;
}

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_STATUS_JSON_H_
