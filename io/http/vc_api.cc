#include "io/http/vc_api.h"

#include <simdjson.h>

#include <boost/url/decode_view.hpp>
#include <boost/url/pct_string_view.hpp>

#include "engine/encoding.h"
#include "engine/json_writer.h"
#include "io/report/result_json.h"

namespace credsweep::io::http {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// The payload of a `data:` URL holding a credential (RFC 2397), or an error.
VcApiRequest FromDataUrl(std::string_view url) {
  VcApiRequest out;
  if (!url.starts_with("data:")) {
    out.error = "an EnvelopedVerifiableCredential's id must be a data: URL";
    return out;
  }
  const size_t comma = url.find(',');
  if (comma == std::string_view::npos) {
    out.error = "the data: URL has no ','";
    return out;
  }
  std::string_view meta = url.substr(5, comma - 5), data = url.substr(comma + 1);
  const bool base64 = meta.ends_with(";base64");
  if (base64) meta.remove_suffix(7);
  const std::string_view type = meta.substr(0, meta.find(';'));
  if (type != "application/vc+jwt" && type != "application/vc+sd-jwt" && type != "application/dc+sd-jwt" &&
      type != "application/jwt" && type != "application/vc-ld+jwt" && type != "application/vc+ld+jwt") {
    out.error = "the data: URL's media type '" + std::string(type) +
                "' is not one credsweep verifies (application/vc+jwt, vc+sd-jwt, dc+sd-jwt)";
    return out;
  }
  std::string decoded;
  auto pct = boost::urls::make_pct_string_view(data);
  if (!pct) {
    out.error = "the data: URL has a malformed percent-escape";
    return out;
  }
  boost::urls::decode_view view = **pct;
  decoded.assign(view.begin(), view.end());
  if (base64) {
    auto raw = Base64Decode(decoded);
    if (!raw) {
      out.error = "the data: URL is marked base64 but is not";
      return out;
    }
    decoded = std::move(*raw);
  }
  out.record = std::move(decoded);
  return out;
}

bool HasType(object o, std::string_view want) {
  element t;
  if (o["type"].get(t) != simdjson::SUCCESS) return false;
  std::string_view s;
  if (t.get_string().get(s) == simdjson::SUCCESS) return s == want;
  simdjson::dom::array a;
  if (t.get_array().get(a) != simdjson::SUCCESS) return false;
  for (element e : a) {
    if (e.get_string().get(s) == simdjson::SUCCESS && s == want) return true;
  }
  return false;
}

// VC Data Model 2.0 §7.1 problem types for the checks they name; credsweep's own
// URNs for the rest.
struct ProblemType {
  std::string type, title;
  int code = 0;  // 0: none
};

ProblemType TypeFor(CheckId check, const std::string& code) {
  constexpr const char* kVcdm = "https://www.w3.org/TR/vc-data-model#";
  switch (check) {
    case CheckId::kFormat:
      if (code == "malformed_json" || code == "malformed_jws" || code == "bad_base64url" || code == "too_deep" ||
          code == "empty_record" || code == "unsupported_encoding") {
        return {std::string(kVcdm) + "PARSING_ERROR", "PARSING_ERROR", -64};
      }
      return {std::string(kVcdm) + "MALFORMED_VALUE_ERROR", "MALFORMED_VALUE_ERROR", -66};
    case CheckId::kSeal:
      return {std::string(kVcdm) + "CRYPTOGRAPHIC_SECURITY_ERROR", "CRYPTOGRAPHIC_SECURITY_ERROR", -65};
    default:
      return {"urn:credsweep:problem:" + std::string(CheckName(check)) + ":" + code, code, 0};
  }
}

}  // namespace

VcApiRequest ParseVerifyCredentialRequest(std::string_view body, size_t max_depth) {
  VcApiRequest out;
  simdjson::dom::parser parser;
  if (parser.allocate(std::max<size_t>(body.size(), 64), max_depth) != simdjson::SUCCESS) {
    out.error = "the request cannot be parsed";
    return out;
  }
  object req;
  auto err = parser.parse(body.data(), body.size()).get_object().get(req);
  if (err != simdjson::SUCCESS) {
    out.error = err == simdjson::INCORRECT_TYPE ? "the request must be a JSON object"
                                                : std::string("the request is not JSON: ") + simdjson::error_message(err);
    return out;
  }
  element options;
  if (req["options"].get(options) == simdjson::SUCCESS && !options.is_object()) {
    out.error = "options must be an object";
    return out;
  }
  element vc;
  if (req["verifiableCredential"].get(vc) != simdjson::SUCCESS) {
    out.error = "the request has no verifiableCredential";
    return out;
  }
  std::string_view text;
  object obj;
  if (vc.get_string().get(text) == simdjson::SUCCESS) {
    out.record = std::string(text);
  } else if (vc.get_object().get(obj) == simdjson::SUCCESS) {
    if (HasType(obj, "EnvelopedVerifiableCredential")) {
      std::string_view id;
      if (obj["id"].get_string().get(id) != simdjson::SUCCESS) {
        out.error = "an EnvelopedVerifiableCredential needs an id (a data: URL)";
        return out;
      }
      return FromDataUrl(id);
    }
    out.record = simdjson::minify(vc);
  } else {
    out.error = "verifiableCredential must be an object or a string";
  }
  return out;
}

std::string VerifyCredentialResponse(const VerificationResult& r, bool verified) {
  std::string result_line;
  io::AppendResultJson(r, verified, &result_line);
  while (!result_line.empty() && result_line.back() == '\n') result_line.pop_back();
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Member("verified", verified).Key("problemDetails").BeginArray();
  for (int i = 0; i < kCheckCount; ++i) {
    const auto id = static_cast<CheckId>(i);
    const CheckResult& c = r.check(id);
    if (c.outcome != Outcome::kFail) continue;
    ProblemType t = TypeFor(id, c.code);
    w.BeginObject().Member("type", t.type);
    if (t.code) w.Member("code", t.code);
    w.Member("title", t.title).Member("detail", std::string(CheckName(id)) + ": " + c.code + ": " + c.message);
    w.Member("check", CheckName(id)).EndObject();
  }
  if (!verified) {
    // Not verified without a failure: a required check was skipped (--require).
    bool any = false;
    for (int i = 0; i < kCheckCount; ++i) any = any || r.check(static_cast<CheckId>(i)).outcome == Outcome::kFail;
    if (!any) {
      w.BeginObject().Member("type", "urn:credsweep:problem:required_check_skipped");
      w.Member("title", "required_check_skipped");
      w.Member("detail", "a check this server requires (--require) could not be made").EndObject();
    }
  }
  w.EndArray().Key("results").Raw(result_line).EndObject();
  return out;
}

}  // namespace credsweep::io::http
