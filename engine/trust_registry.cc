#include "engine/trust_registry.h"

#include <algorithm>
#include <initializer_list>

#include "engine/internal/json.h"

namespace credsweep {
namespace {

using internal::element;
using internal::object;

// Reads one registry document; every error carries the path to the field.
class RegistryReader {
 public:
  explicit RegistryReader(std::string origin) : origin_(std::move(origin)) {}

  Status Fail(const std::string& where, const std::string& what) const {
    return InvalidArgument(origin_ + ": " + where + ": " + what);
  }

  // Members other than `known` are refused: a misspelt "validfrom" must not
  // silently widen a key's period.
  Status OnlyKnown(object o, const std::string& where, std::initializer_list<std::string_view> known) const {
    for (auto [key, value] : o) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        return Fail(where, "unknown member '" + std::string(key) + "'");
      }
    }
    return Status::Ok();
  }

  Status String(object o, std::string_view name, const std::string& where, std::string* out, bool required) const {
    element e;
    if (o[name].get(e) != simdjson::SUCCESS) {
      return required ? Fail(where, "missing '" + std::string(name) + "'") : Status::Ok();
    }
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS || s.empty()) {
      return Fail(where + "." + std::string(name), "must be a non-empty string");
    }
    *out = std::string(s);
    return Status::Ok();
  }

  Status Strings(object o, std::string_view name, const std::string& where, std::vector<std::string>* out) const {
    element e;
    if (o[name].get(e) != simdjson::SUCCESS) return Status::Ok();
    simdjson::dom::array arr;
    if (e.get_array().get(arr) != simdjson::SUCCESS) {
      return Fail(where + "." + std::string(name), "must be an array of strings");
    }
    size_t i = 0;
    for (element item : arr) {
      std::string_view s;
      if (item.get_string().get(s) != simdjson::SUCCESS || s.empty()) {
        return Fail(where + "." + std::string(name) + "[" + std::to_string(i) + "]", "must be a non-empty string");
      }
      out->emplace_back(s);
      ++i;
    }
    return Status::Ok();
  }

  Status Period(object o, const std::string& where, ValidityPeriod* out) const {
    for (auto [name, slot] : {std::pair{"validFrom", &out->from}, std::pair{"validUntil", &out->until}}) {
      std::string text;
      if (Status s = String(o, name, where, &text, false); !s.ok()) return s;
      if (text.empty()) continue;
      *slot = ParseDateTimeStamp(text);
      if (!*slot) {
        return Fail(where + "." + name, "'" + text + "' is not a dateTimeStamp (YYYY-MM-DDThh:mm:ssZ)");
      }
    }
    if (out->from && out->until && *out->from > *out->until) {
      return Fail(where, "validFrom is later than validUntil");
    }
    return Status::Ok();
  }

  Status Key(element e, const std::string& where, RegistryKey* out) const {
    object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) return Fail(where, "must be an object");
    if (Status s = OnlyKnown(o, where, {"jwkThumbprint", "jwk", "didUrl", "validFrom", "validUntil", "note"}); !s.ok()) {
      return s;
    }
    int forms = internal::HasMember(o, "jwkThumbprint") + internal::HasMember(o, "jwk") + internal::HasMember(o, "didUrl");
    if (forms != 1) return Fail(where, "needs exactly one of jwkThumbprint, jwk, didUrl");
    if (Status s = String(o, "jwkThumbprint", where, &out->thumbprint, false); !s.ok()) return s;
    if (!out->thumbprint.empty() && !IsThumbprint(out->thumbprint)) {
      return Fail(where + ".jwkThumbprint", "'" + out->thumbprint + "' is not a base64url SHA-256 (43 characters)");
    }
    if (Status s = String(o, "didUrl", where, &out->did_url, false); !s.ok()) return s;
    if (!out->did_url.empty() && out->did_url.rfind("did:", 0) != 0) {
      return Fail(where + ".didUrl", "'" + out->did_url + "' is not a DID URL");
    }
    object jwk;
    if (o["jwk"].get_object().get(jwk) == simdjson::SUCCESS) {
      auto key = PublicKey::FromJwk(simdjson::minify(jwk));
      if (!key.ok()) return Fail(where + ".jwk", key.status().message());
      out->jwk = std::move(key).value();
      out->thumbprint = out->jwk->thumbprint();
    } else if (internal::HasMember(o, "jwk")) {
      return Fail(where + ".jwk", "must be a JWK object");
    }
    return Period(o, where, &out->validity);
  }

  Status Certificate(element e, const std::string& where, RegistryCertificate* out) const {
    object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) return Fail(where, "must be an object");
    if (Status s = OnlyKnown(o, where, {"sha256", "organizationIdentifier", "caSha256", "validFrom", "validUntil", "note"});
        !s.ok()) {
      return s;
    }
    for (auto [name, slot] : {std::pair{"sha256", &out->sha256}, std::pair{"caSha256", &out->ca_sha256}}) {
      if (Status s = String(o, name, where, slot, false); !s.ok()) return s;
      std::transform(slot->begin(), slot->end(), slot->begin(), [](unsigned char c) { return std::tolower(c); });
      if (!slot->empty() && !IsHexSha256(*slot)) {
        return Fail(where + "." + name, "'" + *slot + "' is not a SHA-256 in hex (64 digits)");
      }
    }
    if (Status s = String(o, "organizationIdentifier", where, &out->organization_identifier, false); !s.ok()) return s;
    const bool by_hash = !out->sha256.empty();
    const bool by_identity = !out->organization_identifier.empty() || !out->ca_sha256.empty();
    if (by_hash == by_identity) {
      return Fail(where, "needs either sha256, or organizationIdentifier together with caSha256");
    }
    if (by_identity && (out->organization_identifier.empty() || out->ca_sha256.empty())) {
      return Fail(where, "organizationIdentifier and caSha256 go together (the identifier alone is any CA's to issue)");
    }
    return Period(o, where, &out->validity);
  }

  Status Issuer(element e, const std::string& at, RegistryIssuer* out) const {
    object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) return Fail(at, "must be an object");
    if (Status s = Strings(o, "ids", at, &out->ids); !s.ok()) return s;
    if (out->ids.empty()) return Fail(at, "missing 'ids' (the issuer's DID, URL or urn:epass:org id)");
    const std::string where = at + " ('" + out->ids.front() + "')";
    if (Status s = OnlyKnown(o, where, {"ids", "name", "country", "identifiers", "keys", "certificates", "mandates",
                                        "statusDelegates", "accreditationRoot", "note"});
        !s.ok()) {
      return s;
    }
    for (const auto& id : out->ids) {
      if (id.find(':') == std::string::npos || id.find(' ') != std::string::npos) {
        return Fail(where + ".ids", "'" + id + "' is not a URL, DID or URN");
      }
    }
    if (Status s = String(o, "name", where, &out->name, false); !s.ok()) return s;
    if (Status s = String(o, "country", where, &out->country, false); !s.ok()) return s;
    if (!out->country.empty() && !(out->country.size() == 2 && std::isupper(static_cast<unsigned char>(out->country[0])) &&
                                   std::isupper(static_cast<unsigned char>(out->country[1])))) {
      return Fail(where + ".country", "'" + out->country + "' is not an ISO 3166-1 alpha-2 code");
    }
    for (auto [name, slot] : {std::pair{"identifiers", &out->identifiers}, std::pair{"mandates", &out->mandates},
                              std::pair{"statusDelegates", &out->status_delegates}}) {
      if (Status s = Strings(o, name, where, slot); !s.ok()) return s;
    }
    element root;
    if (o["accreditationRoot"].get(root) == simdjson::SUCCESS &&
        root.get_bool().get(out->accreditation_root) != simdjson::SUCCESS) {
      return Fail(where + ".accreditationRoot", "must be true or false");
    }
    if (Status s = Each(o, "keys", where, &out->keys, &RegistryReader::Key); !s.ok()) return s;
    return Each(o, "certificates", where, &out->certificates, &RegistryReader::Certificate);
  }

  template <typename T>
  Status Each(object o, std::string_view name, const std::string& where, std::vector<T>* out,
              Status (RegistryReader::*read)(element, const std::string&, T*) const) const {
    element e;
    if (o[name].get(e) != simdjson::SUCCESS) return Status::Ok();
    simdjson::dom::array arr;
    if (e.get_array().get(arr) != simdjson::SUCCESS) return Fail(where + "." + std::string(name), "must be an array");
    size_t i = 0;
    for (element item : arr) {
      out->emplace_back();
      std::string at = where + "." + std::string(name) + "[" + std::to_string(i++) + "]";
      if (Status s = (this->*read)(item, at, &out->back()); !s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  static bool IsThumbprint(std::string_view s) {
    return s.size() == 43 && std::all_of(s.begin(), s.end(), [](char c) {
             return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
           });
  }
  static bool IsHexSha256(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
             return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
  }

  std::string origin_;
};

}  // namespace

std::string ValidityPeriod::Describe() const {
  return (from ? FormatUtc(*from) : std::string("(open)")) + " .. " + (until ? FormatUtc(*until) : std::string("(open)"));
}

bool RegistryIssuer::Mandated(std::string_view awarding_body) const {
  return std::find(mandates.begin(), mandates.end(), awarding_body) != mandates.end();
}

bool RegistryIssuer::HasId(std::string_view id) const {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

Result<std::shared_ptr<const TrustRegistry>> TrustRegistry::Parse(std::string_view json, std::string_view origin) {
  RegistryReader r{std::string(origin)};
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  object root;
  if (auto err = parser.parse(padded).get_object().get(root); err != simdjson::SUCCESS) {
    return r.Fail("document", std::string("not a JSON object: ") + simdjson::error_message(err));
  }
  if (auto dup = internal::DuplicateMember(root)) return r.Fail("document", *dup);
  if (Status s = r.OnlyKnown(root, "document", {"$schema", "version", "issuers", "trustAnchors", "accreditations", "note"});
      !s.ok()) {
    return s;
  }
  int64_t version = 0;
  if (root["version"].get_int64().get(version) != simdjson::SUCCESS || version != 1) {
    return r.Fail("version", "must be 1");
  }
  simdjson::dom::array issuers;
  if (root["issuers"].get_array().get(issuers) != simdjson::SUCCESS) return r.Fail("issuers", "missing, or not an array");
  auto out = std::make_shared<TrustRegistry>();
  size_t i = 0;
  for (element item : issuers) {
    RegistryIssuer issuer;
    std::string at = "issuers[" + std::to_string(i) + "]";
    if (Status s = r.Issuer(item, at, &issuer); !s.ok()) return s;
    for (const auto& id : issuer.ids) {
      if (!out->by_id_.emplace(id, i).second) {
        return r.Fail(at + " ('" + issuer.ids.front() + "').ids", "'" + id + "' is already listed by another issuer");
      }
    }
    for (const auto& k : issuer.keys) {
      if (!k.thumbprint.empty()) out->by_thumbprint_.emplace(k.thumbprint, i);
    }
    out->issuers_.push_back(std::move(issuer));
    ++i;
  }
  if (Status s = r.Strings(root, "trustAnchors", "document", &out->anchors_pem_); !s.ok()) return s;
  for (size_t a = 0; a < out->anchors_pem_.size(); ++a) {
    if (out->anchors_pem_[a].find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return r.Fail("trustAnchors[" + std::to_string(a) + "]", "is not a PEM certificate");
    }
  }
  simdjson::dom::array acc;
  if (root["accreditations"].get_array().get(acc) == simdjson::SUCCESS) {
    size_t a = 0;
    for (element item : acc) {
      auto record = ParseAccreditation(simdjson::minify(item), std::string(origin) + ": accreditations[" +
                                                                   std::to_string(a) + "]");
      if (!record.ok()) return record.status();
      if (!out->accreditation_by_id_.emplace(record->id, a).second) {
        return r.Fail("accreditations[" + std::to_string(a) + "]", "id '" + record->id + "' is listed twice");
      }
      for (const auto& org : record->organisations) out->accreditation_by_org_.emplace(org, a);
      out->accreditations_.push_back(std::move(record).value());
      ++a;
    }
  } else if (internal::HasMember(root, "accreditations")) {
    return r.Fail("accreditations", "must be an array");
  }
  return std::shared_ptr<const TrustRegistry>(std::move(out));
}

const AccreditationRecord* TrustRegistry::FindAccreditation(std::string_view id) const {
  auto it = accreditation_by_id_.find(id);
  return it == accreditation_by_id_.end() ? nullptr : &accreditations_[it->second];
}

std::vector<const AccreditationRecord*> TrustRegistry::AccreditationsOf(std::string_view organisation) const {
  std::vector<const AccreditationRecord*> out;
  // An issuer entry's other ids name the same organisation.
  std::vector<std::string_view> ids{organisation};
  if (const RegistryIssuer* issuer = Find(organisation)) ids.assign(issuer->ids.begin(), issuer->ids.end());
  for (std::string_view id : ids) {
    auto [b, e] = accreditation_by_org_.equal_range(id);
    for (auto it = b; it != e; ++it) {
      const AccreditationRecord* r = &accreditations_[it->second];
      if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
    }
  }
  return out;
}

const RegistryIssuer* TrustRegistry::Find(std::string_view issuer) const {
  auto it = by_id_.find(issuer);
  return it == by_id_.end() ? nullptr : &issuers_[it->second];
}

std::vector<const RegistryIssuer*> TrustRegistry::OwnersOfThumbprint(std::string_view thumbprint) const {
  std::vector<const RegistryIssuer*> out;
  auto [b, e] = by_thumbprint_.equal_range(thumbprint);
  for (auto it = b; it != e; ++it) {
    if (std::find(out.begin(), out.end(), &issuers_[it->second]) == out.end()) out.push_back(&issuers_[it->second]);
  }
  return out;
}

}  // namespace credsweep
