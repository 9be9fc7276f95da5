#include "io/status_import.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace credsweep::io {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

ParsedRow Malformed(std::string code, std::string message) {
  ParsedRow p;
  p.code = std::move(code);
  p.message = std::move(message);
  return p;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// At most 64 bytes of a value for a message, control bytes as '?'.
std::string Quote(std::string_view s) {
  std::string out = "'";
  for (unsigned char c : s.substr(0, 64)) out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  return out + (s.size() > 64 ? "...'" : "'");
}

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

ParsedRow Build(std::string_view id, std::string_view state, std::string_view reason, std::string_view time,
                UnixSeconds now) {
  id = Trim(id);
  state = Trim(state);
  time = Trim(time);
  reason = Trim(reason);
  if (id.empty()) return Malformed("missing_id", "empty id");
  if (id.size() > kMaxImportIdBytes) {
    return Malformed("id_too_long", "id of " + std::to_string(id.size()) + " bytes (at most " +
                                        std::to_string(kMaxImportIdBytes) + ")");
  }
  if (std::any_of(id.begin(), id.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; })) {
    return Malformed("bad_id", "id " + Quote(id) + " holds a space or a control character");
  }
  if (reason.size() > kMaxImportReasonBytes) {
    return Malformed("reason_too_long", "reason of " + std::to_string(reason.size()) + " bytes (at most " +
                                            std::to_string(kMaxImportReasonBytes) + ")");
  }
  ParsedRow p;
  auto s = StateFromName(Lower(state));
  if (!s) return Malformed("bad_state", "state " + Quote(state) + " is not active, revoked or suspended");
  if (!time.empty()) {
    auto t = ParseDateTimeStamp(time);
    if (!t) return Malformed("bad_time", "time " + Quote(time) + " is not an RFC 3339 date-time with a time zone");
    if (*t > now) {
      return Malformed("future_time", "time " + Quote(time) + " is in the future (now " + FormatUtc(now) +
                                          "): a change is recorded when it happened, not ahead of time");
    }
    p.row.time = *t;
  }
  p.kind = ParsedRow::Kind::kRow;
  p.row.id = std::string(id);
  p.row.state = *s;
  p.row.reason = std::string(reason);
  return p;
}

// A string member, or empty when absent; false when present but not a string.
bool OptionalString(simdjson::dom::object& o, const char* key, std::string_view* out) {
  simdjson::dom::element e;
  *out = {};
  if (o[key].get(e) != simdjson::SUCCESS) return true;
  return e.get_string().get(*out) == simdjson::SUCCESS;
}

ParsedRow ParseJson(std::string_view line, UnixSeconds now) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(line.data(), line.size(), true).get_object().get(o) != simdjson::SUCCESS) {
    return Malformed("bad_json", "not a JSON object");
  }
  std::string_view id, state, reason, time, changed_at;
  if (o["id"].get_string().get(id) != simdjson::SUCCESS) return Malformed("missing_id", "no string id");
  if (o["state"].get_string().get(state) != simdjson::SUCCESS) return Malformed("bad_state", "no string state");
  if (!OptionalString(o, "reason", &reason)) return Malformed("bad_reason", "reason is not a string");
  if (!OptionalString(o, "time", &time) || !OptionalString(o, "changed_at", &changed_at)) {
    return Malformed("bad_time", "time and changed_at must be RFC 3339 strings");
  }
  if (!time.empty() && !changed_at.empty() && ParseDateTimeStamp(time) != ParseDateTimeStamp(changed_at)) {
    return Malformed("bad_time", "time " + Quote(time) + " and changed_at " + Quote(changed_at) +
                                     " disagree (give one)");
  }
  return Build(id, state, reason, time.empty() ? changed_at : time, now);
}

// A header row: its first field is `id`. Its columns must be the ones rows have.
ParsedRow Header(const std::vector<std::string>& f) {
  std::vector<std::string> names;
  for (const auto& field : f) names.push_back(Lower(Trim(field)));
  const bool fits = (names.size() == 3 || names.size() == 4) && names[1] == "state" && names[2] == "reason" &&
                    (names.size() == 3 || names[3] == "time" || names[3] == "changed_at");
  if (fits) {
    ParsedRow p;
    p.kind = ParsedRow::Kind::kHeader;
    return p;
  }
  std::string given;
  for (const auto& n : names) given += (given.empty() ? "" : ",") + n;
  return Malformed("bad_header", "header " + Quote(given) + " does not name the columns rows have: "
                                 "id,state,reason[,time] in that order");
}

}  // namespace

std::string_view StripUtf8Bom(std::string_view text) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  return text;
}

ParsedRow ParseStatusRow(std::string_view line, UnixSeconds now) {
  if (line.size() > kMaxImportLineBytes) {
    return Malformed("line_too_long", "line longer than " + std::to_string(kMaxImportLineBytes) + " bytes");
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!simdjson::validate_utf8(line.data(), line.size())) return Malformed("bad_utf8", "not UTF-8 text");
  if (std::string_view t = Trim(line); !t.empty() && t.front() == '{') return ParseJson(t, now);
  std::vector<std::string> f;
  if (!SplitCsv(line, &f)) return Malformed("bad_quotes", "unbalanced quotes");
  if (Lower(Trim(f[0])) == "id") return Header(f);
  if (f.size() < 3 || f.size() > 4) {
    return Malformed("field_count", "expected id,state,reason[,time], got " + std::to_string(f.size()) + " fields");
  }
  return Build(f[0], f[1], f[2], f.size() == 4 ? f[3] : "", now);
}

}  // namespace credsweep::io
