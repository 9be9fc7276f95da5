#include "io/http/batch_status.h"

#include <simdjson.h>

#include "engine/json_writer.h"
#include "io/status_json.h"

namespace credsweep::io::http {

namespace {

BatchStatusAnswer Refuse(unsigned status, std::string_view message) {
  BatchStatusAnswer a{status, {}};
  JsonWriter(&a.body).BeginObject().Member("error", message).EndObject();
  return a;
}

}  // namespace

BatchStatusAnswer AnswerBatchStatus(const StatusLookup& index, std::string_view body, bool with_reasons) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(body);
  simdjson::dom::array ids;
  if (parser.parse(text)["ids"].get_array().get(ids) != simdjson::SUCCESS) {
    return Refuse(400, R"(expected a JSON object {"ids": ["id", ...]})");
  }
  if (ids.size() == 0) return Refuse(400, "\"ids\" is empty");
  if (ids.size() > kMaxBatchIds) {
    return Refuse(400, "at most " + std::to_string(kMaxBatchIds) + " ids per request, got " +
                           std::to_string(ids.size()));
  }
  std::string out = R"({"results":[)";
  size_t n = 0;
  for (auto element : ids) {
    std::string_view id;
    if (element.get_string().get(id) != simdjson::SUCCESS || id.empty() || id.size() > kMaxBatchIdBytes) {
      return Refuse(400, "ids[" + std::to_string(n) + "] is not a string of 1 to " +
                             std::to_string(kMaxBatchIdBytes) + " bytes");
    }
    auto r = index.Lookup(id);
    if (!r.ok()) return Refuse(503, "index unavailable");
    if (n++) out += ',';
    out += io::StatusJson(id, *r, with_reasons);
  }
  out += "]}";
  return {200, std::move(out)};
}

}  // namespace credsweep::io::http
