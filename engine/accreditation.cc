#include "engine/accreditation.h"

#include <algorithm>

#include "engine/internal/json.h"

namespace credsweep {
namespace {

using internal::element;
using internal::object;

Status Fail(std::string_view where, const std::string& what) {
  return InvalidArgument(std::string(where) + ": " + what);
}

// A reference as ELM writes it: a string, or an object with `id` (or, for a
// concept without an id, its `notation`).
std::optional<std::string_view> Reference(element e) {
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) return s.empty() ? std::nullopt : std::optional(s);
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  if (auto id = internal::StringMember(o, "id"); id && !id->empty()) return id;
  if (auto n = internal::StringMember(o, "notation"); n && !n->empty()) return n;
  return std::nullopt;
}

// One reference or an array of them into *out.
Status References(object o, std::string_view name, std::string_view where, std::vector<std::string>* out) {
  element e;
  if (o[name].get(e) != simdjson::SUCCESS) return Status::Ok();
  simdjson::dom::array arr;
  auto one = [&](element item, const std::string& at) {
    auto ref = Reference(item);
    if (!ref) return Fail(at, "must be an id, or an object with an id or notation");
    out->emplace_back(*ref);
    return Status::Ok();
  };
  const std::string at = std::string(where) + "." + std::string(name);
  if (e.get_array().get(arr) != simdjson::SUCCESS) return one(e, at);
  size_t i = 0;
  for (element item : arr) {
    if (Status s = one(item, at + "[" + std::to_string(i++) + "]"); !s.ok()) return s;
  }
  return Status::Ok();
}

Status Date(object o, std::string_view name, std::string_view where, std::optional<UnixSeconds>* out) {
  element e;
  if (o[name].get(e) != simdjson::SUCCESS) return Status::Ok();
  std::string_view s;
  if (e.get_string().get(s) != simdjson::SUCCESS || !(*out = ParseDateTimeStamp(s))) {
    return Fail(std::string(where) + "." + std::string(name), "must be a dateTimeStamp (YYYY-MM-DDThh:mm:ssZ)");
  }
  return Status::Ok();
}

}  // namespace

std::string_view AccreditationStatusName(AccreditationStatus s) {
  switch (s) {
    case AccreditationStatus::kActive: return "active";
    case AccreditationStatus::kSuspended: return "suspended";
    case AccreditationStatus::kRevoked: return "revoked";
  }
  return "active";
}

namespace internal {

std::string_view ConceptCode(std::string_view id) {
  while (!id.empty() && id.back() == '/') id.remove_suffix(1);
  size_t slash = id.rfind('/');
  return slash == std::string_view::npos ? id : id.substr(slash + 1);
}

std::optional<int> EqfLevel(std::string_view text) {
  std::string_view code = ConceptCode(text);
  if (code.size() != 1 || code[0] < '1' || code[0] > '8') return std::nullopt;
  return code[0] - '0';
}

}  // namespace internal

Result<AccreditationRecord> ParseAccreditation(std::string_view json, std::string_view where) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  object o;
  if (auto err = parser.parse(padded).get_object().get(o); err != simdjson::SUCCESS) {
    return Fail(where, std::string("not a JSON object: ") + simdjson::error_message(err));
  }
  if (auto dup = internal::DuplicateMember(o)) return Fail(where, *dup);
  static constexpr std::string_view kKnown[] = {
      "@context", "id", "type", "organisation", "accreditingAgent", "limitCredentialType", "limitQualification",
      "limitField", "limitEQFLevel", "limitJurisdiction", "dateIssued", "expiryDate", "status", "title", "decision",
      "report", "reviewDate", "homepage", "landingPage", "supplementaryDocument", "description", "additionalNote",
      "dateModified", "identifier", "note"};
  for (auto [key, value] : o) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      return Fail(where, "unknown member '" + std::string(key) + "'");
    }
  }
  AccreditationRecord r;
  auto id = internal::StringMember(o, "id");
  if (!id || id->find(':') == std::string_view::npos) return Fail(where, "missing 'id' (the record's URI)");
  r.id = std::string(*id);
  const std::string at = std::string(where) + " ('" + r.id + "')";
  if (Status s = References(o, "organisation", at, &r.organisations); !s.ok()) return s;
  if (r.organisations.empty()) return Fail(at, "missing 'organisation' (the accredited organisation)");
  std::vector<std::string> agent;
  if (Status s = References(o, "accreditingAgent", at, &agent); !s.ok()) return s;
  if (!agent.empty()) r.accrediting_agent = agent.front();
  for (auto [name, slot] : {std::pair{"limitCredentialType", &r.limit_credential_types},
                            std::pair{"limitQualification", &r.limit_qualifications},
                            std::pair{"limitField", &r.limit_fields},
                            std::pair{"limitJurisdiction", &r.limit_jurisdictions}}) {
    if (Status s = References(o, name, at, slot); !s.ok()) return s;
  }
  for (std::string& f : r.limit_fields) f = std::string(internal::ConceptCode(f));
  for (std::string& j : r.limit_jurisdictions) j = std::string(internal::ConceptCode(j));
  // EQF levels: numbers, codes or concept URIs.
  element levels;
  if (o["limitEQFLevel"].get(levels) == simdjson::SUCCESS) {
    simdjson::dom::array arr;
    std::vector<element> items;
    if (levels.get_array().get(arr) == simdjson::SUCCESS) {
      for (element item : arr) items.push_back(item);
    } else {
      items.push_back(levels);
    }
    for (element item : items) {
      int64_t n;
      std::optional<int> level;
      if (item.get_int64().get(n) == simdjson::SUCCESS) {
        if (n >= 1 && n <= 8) level = static_cast<int>(n);
      } else if (auto ref = Reference(item)) {
        level = internal::EqfLevel(*ref);
      }
      if (!level) return Fail(at + ".limitEQFLevel", "each level must be 1..8 (a number, code or EQF concept URI)");
      r.limit_eqf_levels.push_back(*level);
    }
  }
  if (Status s = Date(o, "dateIssued", at, &r.date_issued); !s.ok()) return s;
  if (Status s = Date(o, "expiryDate", at, &r.expiry_date); !s.ok()) return s;
  element status;
  if (o["status"].get(status) == simdjson::SUCCESS) {
    auto ref = Reference(status);
    std::string_view code = ref ? internal::ConceptCode(*ref) : std::string_view();
    if (code == "active") r.status = AccreditationStatus::kActive;
    else if (code == "suspended") r.status = AccreditationStatus::kSuspended;
    else if (code == "revoked" || code == "withdrawn") r.status = AccreditationStatus::kRevoked;
    else return Fail(at + ".status", "must be active, suspended or revoked");
  }
  return r;
}

}  // namespace credsweep
