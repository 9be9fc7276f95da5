#include "io/status_import.h"

#include <simdjson.h>

#include <vector>

namespace credsweep::io {
namespace {

// RFC 4180 fields of one line (no embedded newlines).
bool SplitCsv(std::string_view line, std::vector<std::string>* out) {
  out->clear();
  std::string field;
  size_t i = 0;
  while (true) {
    field.clear();
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) return false;  // unterminated quote
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(line[i++]);
      }
      if (i < line.size() && line[i] != ',') return false;
    } else {
      while (i < line.size() && line[i] != ',') field.push_back(line[i++]);
    }
    out->push_back(field);
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

Result<StatusRow> Build(std::string_view id, std::string_view state, std::string_view reason,
                        std::string_view time) {
  StatusRow row;
  if (id.empty()) return InvalidArgument("empty id");
  row.id = std::string(id);
  auto s = StateFromName(state);
  if (!s) return InvalidArgument("state '" + std::string(state) + "' is not active, revoked or suspended");
  row.state = *s;
  row.reason = std::string(reason);
  if (!time.empty()) {
    auto t = ParseDateTimeStamp(time);
    if (!t) return InvalidArgument("time '" + std::string(time) + "' is not an RFC 3339 date-time");
    row.time = *t;
  }
  return row;
}

}  // namespace

Result<StatusRow> ParseStatusRow(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (!line.empty() && line.front() == '{') {
    simdjson::dom::parser parser;
    simdjson::dom::object o;
    if (parser.parse(line.data(), line.size(), true).get_object().get(o) != simdjson::SUCCESS) {
      return InvalidArgument("not a JSON object");
    }
    std::string_view id, state, reason, time;
    if (o["id"].get_string().get(id) != simdjson::SUCCESS) return InvalidArgument("no string id");
    if (o["state"].get_string().get(state) != simdjson::SUCCESS) return InvalidArgument("no string state");
    if (o["reason"].get_string().get(reason) != simdjson::SUCCESS) reason = {};
    if (o["time"].get_string().get(time) != simdjson::SUCCESS) time = {};
    return Build(id, state, reason, time);
  }
  std::vector<std::string> f;
  if (!SplitCsv(line, &f)) return InvalidArgument("unbalanced quotes");
  if (f.size() >= 2 && f[0] == "id" && f[1] == "state") return NotFound("header");
  if (f.size() < 3 || f.size() > 4) {
    return InvalidArgument("expected id,state,reason[,time], got " + std::to_string(f.size()) + " fields");
  }
  return Build(f[0], f[1], f[2], f.size() == 4 ? f[3] : "");
}

}  // namespace credsweep::io
