#include "io/http/vc_api.h"

#include <simdjson.h>

#include "engine/data_url.h"
#include "engine/json_writer.h"
#include "io/report/result_json.h"

namespace credsweep::io::http {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// The payload of a `data:` URL (RFC 2397) holding a credential, or a presentation
// when `presentation`, or an error.
VcApiRequest FromDataUrl(std::string_view url, bool presentation) {
  VcApiRequest out;
  const std::string_view what = presentation ? "EnvelopedVerifiablePresentation" : "EnvelopedVerifiableCredential";
  auto parsed = ParseDataUrl(url);
  if (!parsed.ok()) {
    out.error = "an " + std::string(what) + "'s id: " + parsed.status().message();
    return out;
  }
  const std::string& type = parsed->media_type;
  const bool known = presentation ? (type == "application/vp+jwt" || type == "application/vp+ld+jwt" ||
                                     type == "application/jwt")
                                  : (type == "application/vc+jwt" || type == "application/vc+sd-jwt" ||
                                     type == "application/dc+sd-jwt" || type == "application/jwt" ||
                                     type == "application/vc-ld+jwt" || type == "application/vc+ld+jwt");
  if (!known) {
    out.error = "the data: URL's media type '" + type + "' is not one credsweep verifies (" +
                (presentation ? "application/vp+jwt" : "application/vc+jwt, vc+sd-jwt, dc+sd-jwt") + ")";
    return out;
  }
  out.record = std::move(parsed->data);
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

namespace {

// The request's `member` (verifiableCredential or verifiablePresentation) as the
// record to verify, with the options read into *out.
VcApiRequest ParseRequest(std::string_view body, size_t max_depth, bool presentation) {
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
  object opts;
  bool return_presentation = false;
  if (req["options"].get(options) == simdjson::SUCCESS) {
    if (options.get_object().get(opts) != simdjson::SUCCESS) {
      out.error = "options must be an object";
      return out;
    }
    if (presentation) {
      for (auto [name, slot] : {std::pair{"challenge", &out.challenge}, std::pair{"domain", &out.domain}}) {
        element e;
        if (opts[name].get(e) != simdjson::SUCCESS) continue;
        std::string_view v;
        if (e.get_string().get(v) != simdjson::SUCCESS || v.empty()) {
          out.error = std::string("options.") + name + " must be a non-empty string";
          return out;
        }
        *slot = std::string(v);
      }
      element r;
      if (opts["returnPresentation"].get(r) == simdjson::SUCCESS && r.get_bool().get(return_presentation) != simdjson::SUCCESS) {
        out.error = "options.returnPresentation must be true or false";
        return out;
      }
    }
  }
  const char* member = presentation ? "verifiablePresentation" : "verifiableCredential";
  element vc;
  if (req[member].get(vc) != simdjson::SUCCESS) {
    out.error = std::string("the request has no ") + member;
    return out;
  }
  if (return_presentation) out.returned = simdjson::minify(vc);
  std::string_view text;
  object obj;
  if (vc.get_string().get(text) == simdjson::SUCCESS) {
    out.record = std::string(text);
  } else if (vc.get_object().get(obj) == simdjson::SUCCESS) {
    const char* enveloped = presentation ? "EnvelopedVerifiablePresentation" : "EnvelopedVerifiableCredential";
    if (HasType(obj, enveloped)) {
      std::string_view id;
      if (obj["id"].get_string().get(id) != simdjson::SUCCESS) {
        out.error = std::string("an ") + enveloped + " needs an id (a data: URL)";
        return out;
      }
      VcApiRequest unwrapped = FromDataUrl(id, presentation);
      out.record = std::move(unwrapped.record);
      out.error = std::move(unwrapped.error);
      return out;
    }
    out.record = simdjson::minify(vc);
  } else {
    out.error = std::string(member) + " must be an object or a string";
  }
  return out;
}

// The problem details of one result's failed checks, each detail prefixed.
void AppendProblems(JsonWriter& w, const VerificationResult& r, const std::string& prefix) {
  for (int i = 0; i < kCheckCount; ++i) {
    const auto id = static_cast<CheckId>(i);
    const CheckResult& c = r.check(id);
    if (c.outcome != Outcome::kFail) continue;
    ProblemType t = TypeFor(id, c.code);
    w.BeginObject().Member("type", t.type);
    if (t.code) w.Member("code", t.code);
    w.Member("title", t.title).Member("detail", prefix + std::string(CheckName(id)) + ": " + c.code + ": " + c.message);
    w.Member("check", CheckName(id)).EndObject();
  }
}

bool AnyFailed(const VerificationResult& r) {
  for (int i = 0; i < kCheckCount; ++i) {
    if (r.check(static_cast<CheckId>(i)).outcome == Outcome::kFail) return true;
  }
  return false;
}

void AppendRequiredSkipped(JsonWriter& w, const std::string& prefix) {
  w.BeginObject().Member("type", "urn:credsweep:problem:required_check_skipped");
  w.Member("title", "required_check_skipped");
  w.Member("detail", prefix + "a check this server requires (--require) could not be made").EndObject();
}

std::string ResultLine(const VerificationResult& r, bool verified) {
  std::string line;
  io::AppendResultJson(r, verified, &line);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

}  // namespace

VcApiRequest ParseVerifyCredentialRequest(std::string_view body, size_t max_depth) {
  return ParseRequest(body, max_depth, /*presentation=*/false);
}

VcApiRequest ParseVerifyPresentationRequest(std::string_view body, size_t max_depth) {
  return ParseRequest(body, max_depth, /*presentation=*/true);
}

std::string VerifyCredentialResponse(const VerificationResult& r, bool verified) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Member("verified", verified).Key("problemDetails").BeginArray();
  AppendProblems(w, r, "");
  // Not verified without a failure: a required check was skipped (--require).
  if (!verified && !AnyFailed(r)) AppendRequiredSkipped(w, "");
  w.EndArray().Key("results").Raw(ResultLine(r, verified)).EndObject();
  return out;
}

std::string VerifyPresentationResponse(VerificationResult r, unsigned required, const VcApiRequest& request,
                                       bool* verified) {
  std::vector<std::pair<VerificationResult, bool>> lines;
  VerificationResult::Flatten(std::move(r), required,
                              [&](VerificationResult&& line, bool ok) { lines.emplace_back(std::move(line), ok); });
  const VerificationResult& p = lines.front().first;
  *verified = lines.front().second;
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Member("verified", *verified);
  if (!request.returned.empty()) w.Key("verifiablePresentation").Raw(request.returned);
  w.Key("problemDetails").BeginArray();
  AppendProblems(w, p, "presentation: ");
  for (size_t k = 1; k < lines.size(); ++k) {
    const std::string prefix = "credential " + std::to_string(k) + ": ";
    AppendProblems(w, lines[k].first, prefix);
    if (!lines[k].second && !AnyFailed(lines[k].first)) AppendRequiredSkipped(w, prefix);
  }
  w.EndArray().Key("results").BeginObject();
  const CheckResult& seal = p.check(CheckId::kSeal);
  const bool proof_ok = seal.outcome == Outcome::kPass;
  w.Key("holder").BeginObject().Member("valid", proof_ok && !p.holder().empty()).Member("input", p.holder()).EndObject();
  w.Key("proof").BeginArray().BeginObject().Member("valid", proof_ok).Member("code", seal.code).EndObject().EndArray();
  if (!request.challenge.empty()) {
    w.Key("challenge").BeginObject().Member("valid", proof_ok).Member("input", request.challenge).EndObject();
  }
  if (!request.domain.empty()) {
    w.Key("domain").BeginObject().Member("valid", proof_ok).Member("input", request.domain).EndObject();
  }
  w.Key("presentation").Raw(ResultLine(p, lines.front().second));
  w.Key("credentials").BeginArray();
  for (size_t k = 1; k < lines.size(); ++k) w.Raw(ResultLine(lines[k].first, lines[k].second));
  w.EndArray().EndObject().EndObject();
  return out;
}

}  // namespace credsweep::io::http
