#include "engine/internal/credential_format.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

#include "engine/accreditation.h"
#include "engine/internal/credential_labels.h"
#include "engine/internal/organization_identifier.h"

namespace credsweep::internal {
namespace {

constexpr std::string_view kV2Context = "https://www.w3.org/ns/credentials/v2";
constexpr std::string_view kV1Context = "https://www.w3.org/2018/credentials/v1";

Finding Fail(std::string code, std::string message) { return {std::move(code), std::move(message)}; }

// The credential's members that the readers below look at, found in one pass over
// its members: a lookup by name walks the members, and these readers make about
// twenty. A repeated name keeps its first value, as a lookup does (the format
// check refuses a credential with repeated names before it reads one).
enum class Top : uint8_t {
  kId, kContext, kType, kIssuer, kSubject, kEvidence, kProfiles, kSchema, kTermsOfUse,
  kCredentialStatus, kStatus, kValidFrom, kValidUntil, kIssuanceDate, kExpirationDate, kCount
};
constexpr std::array<std::string_view, static_cast<size_t>(Top::kCount)> kTopNames = {
    "id", "@context", "type", "issuer", "credentialSubject", "evidence", "credentialProfiles",
    "credentialSchema", "termsOfUse", "credentialStatus", "status", "validFrom", "validUntil",
    "issuanceDate", "expirationDate"};

class TopMembers {
 public:
  explicit TopMembers(object obj) {
    for (auto [key, value] : obj) {
      for (size_t i = 0; i < kTopNames.size(); ++i) {
        if (key.size() == kTopNames[i].size() && key == kTopNames[i]) {
          if (!found_[i]) values_[i] = value;
          found_[i] = true;
          break;
        }
      }
    }
  }

  // False when the credential has no member `name`.
  bool Get(Top name, element* out) const {
    const auto i = static_cast<size_t>(name);
    if (!found_[i]) return false;
    *out = values_[i];
    return true;
  }
  bool Has(Top name) const { return found_[static_cast<size_t>(name)]; }
  static std::string_view Name(Top name) { return kTopNames[static_cast<size_t>(name)]; }

 private:
  std::array<element, kTopNames.size()> values_;  // set where found_ is
  std::array<bool, kTopNames.size()> found_{};
};

Finding ReadContext(const TopMembers& top, Credential* out) {
  element ctx;
  if (!top.Get(Top::kContext, &ctx)) {
    return Fail("missing_field", "no @context");
  }
  std::string_view first;
  if (ctx.is_string()) {
    first = ctx.get_string().value_unsafe();  // VC-JOSE-COSE uses the bare-string form
  } else if (ctx.is_array()) {
    auto arr = ctx.get_array().value_unsafe();
    if (arr.size() == 0 || arr.at(0).get_string().get(first) != simdjson::SUCCESS) {
      return Fail("bad_context", "@context must start with the VC base context URL");
    }
    for (element item : arr) {
      if (!item.is_string() && !item.is_object()) {
        return Fail("bad_context", "@context items must be URLs or objects");
      }
    }
  } else {
    return Fail("bad_context", "@context must be an array or a URL");
  }
  if (first == kV2Context) {
    out->version = VcVersion::kV2_0;
  } else if (first == kV1Context) {
    out->version = VcVersion::kV1_1;
  } else {
    return Fail("bad_context", "first @context is " + std::string(first) +
                                   ", not a VC 1.1 or 2.0 base context");
  }
  return {};
}

Finding ReadType(const TopMembers& top, Credential* out) {
  element type;
  if (!top.Get(Top::kType, &type)) return Fail("missing_field", "no type");
  bool ok = ForEachItem(type, [&](element t) {
    std::string_view s;
    if (t.get_string().get(s) != simdjson::SUCCESS) return false;
    out->types.emplace_back(s);
    return true;
  });
  if (!ok) return Fail("bad_type", "type must be a string or an array of strings");
  bool vc = false, vp = false;
  for (const auto& t : out->types) {
    vc |= t == "VerifiableCredential";
    vp |= t == "VerifiablePresentation";
    out->is_edc |= t == "EuropeanDigitalCredential";
  }
  if (!vc && vp) return Fail("not_a_credential", std::string(kPresentationWhereCredential));
  if (!vc) return Fail("bad_type", "type does not include VerifiableCredential");
  return {};
}

// "http://publications.europa.eu/resource/authority/country/EST" -> "EE".
std::string CountryOf(object identifier) {
  object spatial;
  if (identifier["spatial"].get_object().get(spatial) != simdjson::SUCCESS) return {};
  auto id = StringMember(spatial, "id");
  if (!id) return {};
  return std::string(Alpha2FromAlpha3(id->substr(id->rfind('/') + 1)));
}

void ReadLegalIdentifiers(object issuer, Credential* out) {
  for (std::string_view name : {"eIDASIdentifier", "eidasLegalIdentifier", "legalIdentifier", "registration"}) {
    element e;
    if (issuer[name].get(e) != simdjson::SUCCESS) continue;
    ForEachItem(e, [&](element item) {
      object id;
      if (item.get_object().get(id) != simdjson::SUCCESS) return true;
      auto n = StringMember(id, "notation");
      if (!n || n->empty()) return true;
      if (out->eidas_identifier.empty() && (name == "eIDASIdentifier" || name == "eidasLegalIdentifier")) {
        out->eidas_identifier = std::string(*n);
      }
      out->issuer_identifiers.push_back({std::string(*n), CountryOf(id)});
      return true;
    });
  }
}

// Adds `value` to *list once.
template <typename T, typename V>
void AddOnce(std::vector<T>* list, const V& value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) list->emplace_back(value);
}

// The id of a reference: a string, or an object's `id` (a concept's `notation`
// when it has no id).
std::optional<std::string_view> ReferenceId(element e) {
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) return s.empty() ? std::nullopt : std::optional(s);
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  auto id = StringMember(o, "id");
  if (!id || id->empty()) id = StringMember(o, "notation");
  return id && !id->empty() ? id : std::nullopt;
}

// An awarding body without a readable id is kept, as JSON, among the unidentified
// ones: skipping it would let a seal name any body.
void Unidentified(element x, Credential* out) {
  std::string json = simdjson::minify(x);
  if (json.size() > 80) {  // for messages only; cut between UTF-8 characters
    size_t n = 77;
    while (n > 0 && (static_cast<unsigned char>(json[n]) & 0xC0) == 0x80) --n;
    json = json.substr(0, n) + "...";
  }
  out->unidentified_awarding_bodies.push_back(std::move(json));
}

// Collects, anywhere under `e` (ELM nests claims in hasClaim and again in their
// parts), what the seal and accreditation checks compare: awardedBy.awardingBody
// ids, the countries of the awarding process, specifiedBy ids, EQF levels,
// ISCED-F fields and accreditation references. The parser's depth limit bounds
// the recursion.
void CollectSubjectFacts(element e, bool in_awarded_by, Credential* out) {
  // Called for containers only (most values are strings and numbers: no call).
  auto descend = [in_awarded_by, out](element v, bool awarded_by) {
    const simdjson::dom::element_type t = v.type();
    if (t == simdjson::dom::element_type::OBJECT || t == simdjson::dom::element_type::ARRAY) {
      CollectSubjectFacts(v, in_awarded_by || awarded_by, out);
    }
  };
  simdjson::dom::array arr;
  if (e.get_array().get(arr) == simdjson::SUCCESS) {
    for (element item : arr) descend(item, false);
    return;
  }
  object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) return;
  for (auto [key, member] : obj) {
    const element value = member;  // a structured binding cannot be captured before C++20 (clang 14)
    auto each_reference = [&](auto add) {
      ForEachItem(value, [&](element item) {
        if (auto id = ReferenceId(item)) add(*id);
        return true;
      });
    };
    if (key == "awardedBy") {
      ForEachItem(value, [&](element process) {
        object p;
        element body;
        if (process.get_object().get(p) != simdjson::SUCCESS) {
          Unidentified(process, out);  // a reference to a process described elsewhere
          return true;
        }
        if (p["awardingBody"].get(body) != simdjson::SUCCESS) return true;
        ForEachItem(body, [&](element b) {
          object o;
          std::optional<std::string_view> id;
          if (b.is_string()) {
            id = b.get_string().value_unsafe();
          } else if (b.get_object().get(o) == simdjson::SUCCESS) {
            id = StringMember(o, "id");
            if (!id) id = StringMember(o, "@id");  // JSON-LD's spelling
          }
          if (id && !id->empty()) AddOnce(&out->awarding_bodies, *id);
          else Unidentified(b, out);
          return true;
        });
        return true;
      });
      descend(value, true);
      continue;
    }
    if (key == "specifiedBy") {
      each_reference([&](std::string_view id) { AddOnce(&out->qualification_ids, id); });
    } else if (key == "eqfLevel") {
      int64_t n;
      if (value.get_int64().get(n) == simdjson::SUCCESS) {
        if (n >= 1 && n <= 8) AddOnce(&out->eqf_levels, static_cast<int>(n));
      } else {
        each_reference([&](std::string_view id) {
          if (auto level = EqfLevel(id)) AddOnce(&out->eqf_levels, *level);
        });
      }
    } else if (key == "thematicArea") {
      each_reference([&](std::string_view id) { AddOnce(&out->fields, ConceptCode(id)); });
    } else if (key == "accreditation" || key == "hasAccreditation") {
      each_reference([&](std::string_view id) { AddOnce(&out->accreditation_ids, id); });
    } else if (key == "countryCode" && in_awarded_by) {
      each_reference([&](std::string_view id) { AddOnce(&out->jurisdictions, ConceptCode(id)); });
    }
    descend(value, false);
  }
}

// ELM `evidence` of the accreditation type names the accreditation record;
// `credentialProfiles` the kind of credential.
void ReadAccreditationClaims(const TopMembers& top, Credential* out) {
  element e;
  if (top.Get(Top::kEvidence, &e)) {
    ForEachItem(e, [&](element item) {
      object ev;
      element acc;
      if (item.get_object().get(ev) == simdjson::SUCCESS && ev["accreditation"].get(acc) == simdjson::SUCCESS) {
        ForEachItem(acc, [&](element a) {
          if (auto id = ReferenceId(a)) AddOnce(&out->accreditation_ids, *id);
          return true;
        });
      }
      return true;
    });
  }
  if (top.Get(Top::kProfiles, &e)) {
    ForEachItem(e, [&](element item) {
      if (auto id = ReferenceId(item)) AddOnce(&out->credential_profiles, *id);
      return true;
    });
  }
}

// EBSI accreditation chains: the schemas a credential follows, the accreditation
// its issuer holds (termsOfUse), and, in a Verifiable Accreditation, what it
// permits (credentialSubject.accreditedFor / permissionFor). A permission entry
// that is not fully readable, or lacks schemaId or types, is dropped: it can only
// narrow what is permitted.
void ReadAccreditationChain(const TopMembers& top, Credential* out) {
  element e;
  if (top.Get(Top::kSchema, &e)) {
    ForEachItem(e, [&](element item) {
      if (auto id = ReferenceId(item)) AddOnce(&out->schema_ids, *id);
      return true;
    });
  }
  if (top.Get(Top::kTermsOfUse, &e)) {
    ForEachItem(e, [&](element item) {
      object t;
      if (item.get_object().get(t) != simdjson::SUCCESS) return true;
      const std::string_view type = StringMember(t, "type").value_or("");
      std::optional<std::string_view> parent;
      if (type == "IssuanceCertificate") parent = StringMember(t, "id");
      else if (type == "AccreditationPolicy") parent = StringMember(t, "parentAccreditation");
      if (parent && !parent->empty()) AddOnce(&out->accreditation_parents, *parent);
      return true;
    });
  }
  if (!top.Get(Top::kSubject, &e)) return;
  ForEachItem(e, [&](element subject) {
    object s;
    if (subject.get_object().get(s) != simdjson::SUCCESS) return true;
    for (std::string_view name : {"accreditedFor", "permissionFor"}) {
      element list;
      if (s[name].get(list) != simdjson::SUCCESS) continue;
      ForEachItem(list, [&](element item) {
        object p;
        if (item.get_object().get(p) != simdjson::SUCCESS) return true;
        AccreditationPermission permission;
        bool readable = true;
        element member;
        if (p["schemaId"].get(member) == simdjson::SUCCESS) {
          std::string_view id;
          readable = member.get_string().get(id) == simdjson::SUCCESS && !id.empty();
          permission.schema_id = std::string(id);
        }
        if (readable && p["types"].get(member) == simdjson::SUCCESS) {
          readable = ForEachItem(member, [&](element t) {
            std::string_view type;
            if (t.get_string().get(type) != simdjson::SUCCESS) return false;
            permission.types.emplace_back(type);
            return true;
          });
        }
        if (readable && p["limitJurisdiction"].get(member) == simdjson::SUCCESS) {
          readable = ForEachItem(member, [&](element j) {
            auto id = ReferenceId(j);
            if (!id) return false;
            permission.jurisdictions.emplace_back(ConceptCode(*id));
            return true;
          });
        }
        // EBSI requires both: an entry without them (or with a misspelt name) permits nothing.
        readable = readable && !permission.schema_id.empty() && !permission.types.empty();
        if (readable) out->permissions.push_back(std::move(permission));
        return true;
      });
    }
    return true;
  });
}

Finding ReadIssuer(const TopMembers& top, Credential* out, std::string_view fallback) {
  element issuer;
  if (!top.Get(Top::kIssuer, &issuer)) {
    if (fallback.empty()) return Fail("missing_field", "no issuer");
    out->issuer = std::string(fallback);
    if (!IsAbsoluteUri(fallback)) return Fail("bad_issuer", "iss '" + out->issuer + "' is not a URL");
    return {};
  }
  std::string_view id;
  if (issuer.is_string()) {
    id = issuer.get_string().value_unsafe();
  } else if (issuer.is_object()) {
    object o = issuer.get_object().value_unsafe();
    auto s = StringMember(o, "id");
    if (!s) return Fail("bad_issuer", "issuer object has no id");
    id = *s;
    ReadLegalIdentifiers(o, out);
  } else {
    return Fail("bad_issuer", "issuer must be a URL or an object with an id");
  }
  out->issuer = std::string(id);
  if (!IsAbsoluteUri(id)) return Fail("bad_issuer", "issuer '" + std::string(id) + "' is not a URL");
  return {};
}

Finding ReadDate(const TopMembers& top, Top member, std::optional<UnixSeconds>* out) {
  element e;
  if (!top.Get(member, &e)) return {};
  const std::string_view name = TopMembers::Name(member);
  std::string_view s;
  if (e.get_string().get(s) != simdjson::SUCCESS) {
    return Fail("bad_date", std::string(name) + " is not a string");
  }
  auto t = ParseDateTimeStamp(s);
  if (!t) {
    return Fail("bad_date", std::string(name) + " '" + std::string(s) +
                                "' is not a dateTimeStamp (YYYY-MM-DDThh:mm:ss with a time zone)");
  }
  *out = t;
  return {};
}

Finding ReadTypedObjects(const TopMembers& top, Top member) {
  element e;
  if (!top.Get(member, &e)) return {};
  bool ok = ForEachItem(e, [](element item) {
    object o;
    return item.get_object().get(o) == simdjson::SUCCESS && HasMember(o, "type");
  });
  if (!ok) return Fail("missing_field", std::string(TopMembers::Name(member)) + " entries must be objects with a type");
  return {};
}

void ReadStatusEntries(const TopMembers& top, Top member, Credential* out) {
  element e;
  if (!top.Get(member, &e)) return;
  ForEachItem(e, [out](element item) {
    object o;
    if (item.get_object().get(o) != simdjson::SUCCESS) return true;
    // One pass over the entry's members. A name given twice fails the format check
    // later (duplicate_member); until then the first counts, as a lookup by name reads.
    StatusEntry entry;
    std::string_view text;
    uint64_t n;
    unsigned seen = 0;
    auto first = [&seen](unsigned bit) { return !(std::exchange(seen, seen | bit) & bit); };
    for (auto [key, value] : o) {
      if (key == "type") {
        if (first(1) && value.get_string().get(text) == simdjson::SUCCESS) entry.type = std::string(text);
      } else if (key == "statusPurpose") {
        if (first(2) && value.get_string().get(text) == simdjson::SUCCESS) entry.purpose = std::string(text);
      } else if (key == "statusListCredential") {
        if (first(4) && value.get_string().get(text) == simdjson::SUCCESS) entry.list_url = std::string(text);
      } else if (key == "statusListIndex") {
        if (!first(8)) continue;
        if (value.get_string().get(text) == simdjson::SUCCESS) {
          entry.index_text = std::string(text);
          uint64_t v = 0;
          bool ok = !text.empty() && text.size() <= 19;
          for (char c : text) {
            ok = ok && c >= '0' && c <= '9';
            v = v * 10 + static_cast<uint64_t>(c - '0');
          }
          if (ok) entry.index = v;
        } else if (value.get_uint64().get(n) == simdjson::SUCCESS) {
          entry.index = n;
          entry.index_text = std::to_string(n);
        }
      } else if (key == "statusSize") {
        if (first(16) && value.get_uint64().get(n) == simdjson::SUCCESS) {
          entry.size = static_cast<unsigned>(std::min<uint64_t>(n, 64));
        }
      }
    }
    out->status_entries.push_back(std::move(entry));
    return true;
  });
}

Finding ReadSubject(const TopMembers& top, Credential* out) {
  element e;
  if (!top.Get(Top::kSubject, &e)) {
    return Fail("missing_field", "no credentialSubject");
  }
  bool any = false;
  bool ok = ForEachItem(e, [&](element item) {
    object o;
    if (item.get_object().get(o) != simdjson::SUCCESS) return false;
    if (auto id = StringMember(o, "id")) {
      if (!any) out->subject_id = std::string(*id);
      out->subject_ids.emplace_back(*id);
    }
    any = true;
    return true;
  });
  if (!ok || !any) return Fail("bad_subject", "credentialSubject must be an object or objects");
  return {};
}

Finding ReadDates(const TopMembers& top, Credential* out) {
  std::optional<UnixSeconds> issuance, expiration, from, until;
  for (auto [member, slot] : {std::pair{Top::kValidFrom, &from}, {Top::kValidUntil, &until},
                              {Top::kIssuanceDate, &issuance}, {Top::kExpirationDate, &expiration}}) {
    if (Finding f = ReadDate(top, member, slot); !f.ok()) return f;
  }
  if (out->version == VcVersion::kV1_1) {
    if (!top.Has(Top::kIssuanceDate)) return Fail("missing_field", "no issuanceDate (VC 1.1)");
    // ELM/EDC carry validFrom/validUntil beside the VC 1.1 terms; they are the
    // more precise statement of the validity period when present.
    out->valid_from = from ? from : issuance;
    out->valid_until = until ? until : expiration;
  } else {
    if (top.Has(Top::kIssuanceDate) || top.Has(Top::kExpirationDate)) {
      out->warnings.push_back("issuanceDate/expirationDate are VC 1.1 terms, ignored in VC 2.0");
    }
    out->valid_from = from;
    out->valid_until = until;
  }
  out->issued = out->version == VcVersion::kV1_1 && issuance ? issuance : out->valid_from;
  if (out->valid_from && out->valid_until && *out->valid_until < *out->valid_from) {
    return Fail("invalid_validity_period", "validUntil " + FormatUtc(*out->valid_until) +
                                               " is before validFrom " + FormatUtc(*out->valid_from));
  }
  return {};
}

}  // namespace

bool IsAbsoluteUri(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(s[0])) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  // No control character, space or DEL anywhere, eight bytes at a time: a byte
  // below 0x21 borrows into its high bit when 0x21 is taken from it (and had it
  // clear), and DEL is a zero byte after an XOR with 0x7F.
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = kOnes * 0x80;
  auto below = [](uint64_t w, uint64_t n) { return (w - kOnes * n) & ~w & kHigh; };
  auto any_bad = [&below](const char* p) {
    uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return (below(w, 0x21) | below(w ^ (kOnes * 0x7F), 1)) != 0;
  };
  const size_t n = s.size();
  if (n >= 8) {
    for (size_t i = 0; i + 8 <= n; i += 8) {
      if (any_bad(s.data() + i)) return false;
    }
    if (n % 8 != 0 && any_bad(s.data() + n - 8)) return false;  // the tail, overlapping
  } else {
    for (unsigned char c : s) {
      if (c <= 0x20 || c == 0x7F) return false;
    }
  }
  return colon + 1 < s.size();
}

Finding ReadCredential(object obj, Credential* out, const ClaimDefaults& defaults) {
  const TopMembers top(obj);
  // id and issuer first, so a failing credential is still identifiable in reports.
  element id;
  const bool has_id = top.Get(Top::kId, &id);
  std::string_view id_text;
  if (has_id && id.get_string().get(id_text) == simdjson::SUCCESS) {
    out->id = std::string(id_text);
  } else {
    out->id = std::string(defaults.id);
  }
  Finding issuer = ReadIssuer(top, out, defaults.issuer);
  ReadLabels(obj, out);  // also for a credential that fails below: reports name it
  if (Finding f = ReadContext(top, out); !f.ok()) return f;
  if (Finding f = ReadType(top, out); !f.ok()) return f;
  if (!issuer.ok()) return issuer;
  if (has_id && (!id.is_string() || !IsAbsoluteUri(out->id))) {
    return Fail("bad_id", "id '" + out->id + "' is not a URL");
  }
  if (Finding f = ReadSubject(top, out); !f.ok()) return f;
  element subject;
  if (top.Get(Top::kSubject, &subject)) CollectSubjectFacts(subject, false, out);
  ReadAccreditationClaims(top, out);
  ReadAccreditationChain(top, out);
  if (Finding f = ReadTypedObjects(top, Top::kCredentialStatus); !f.ok()) return f;
  ReadStatusEntries(top, Top::kCredentialStatus, out);
  ReadStatusEntries(top, Top::kStatus, out);  // Europass issuers' non-standard spelling
  if (Finding f = ReadTypedObjects(top, Top::kSchema); !f.ok()) return f;
  return ReadDates(top, out);
}

}  // namespace credsweep::internal
