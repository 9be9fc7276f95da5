#include "engine/checks/issuer_binding.h"

#include <algorithm>

#include "engine/did.h"
#include "engine/internal/organization_identifier.h"

namespace credsweep::checks {
namespace {

constexpr std::string_view kAnyKey = "; not bound to the issuer, accepted because of --trust-any-configured-key";

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// A registry entry's key or certificate matched: it binds only inside its period.
// `what()` names it in a failure; `how_label` and `how` say in a pass which entry
// matched ("JWK thumbprint", the thumbprint). A pass, every record's path, builds
// its note alone.
//
// A period that ended before the verification time is a retired key (rotated,
// perhaps compromised): the signing time inside it is the sealer's own claim,
// which anyone holding the key can make. As for an expired certificate, it then
// binds only when the policy trusts claimed signing times (--signing-time claimed).
//
// `at_now`: `at` is the verification time, so the period is judged against it:
// a pass holds inside the period exactly, a failure quotes the time.
template <typename Entry, typename What>
Binding InPeriod(const Entry& entry, const What& what, std::string_view how_label, std::string_view how,
                 const RegistryIssuer& issuer, UnixSeconds at, bool at_now, const VerifierOptions& o,
                 VerdictWindow* window) {
  if (window && at_now) {
    // Exactly the period (the clock skew below is for a signing time before it ends).
    if (!entry.validity.Contains(at)) window->Varies();
    if (entry.validity.from) window->AtLeast(*entry.validity.from);
    if (entry.validity.until) window->AtMost(*entry.validity.until);
  }
  if (!entry.validity.Contains(at)) {
    return {{"key_not_valid_at_signing_time",
             what() + " is listed for issuer " + Quote(issuer.ids.front()) + " only for " + entry.validity.Describe() +
                 "; the seal was made at " + FormatUtc(at) + " (trust registry)"}};
  }
  const auto& until = entry.validity.until;
  const bool retired = until && *until < o.at - o.clock_skew_seconds;
  if (window && retired) window->Varies();  // said against the verification time
  if (window && until && !retired) window->AtMost(*until + o.clock_skew_seconds);
  if (retired && o.signing_time != SigningTimePolicy::kClaimed) {
    return {{"key_not_valid_at_signing_time",
             what() + " is listed for issuer " + Quote(issuer.ids.front()) + " only until " + FormatUtc(*until) +
                 ", before the verification time " + FormatUtc(o.at) + "; the seal claims to be made at " +
                 FormatUtc(at) + ", which no verified timestamp proves (--signing-time claimed trusts the claim)"}};
  }
  Binding b;
  const std::string& id = issuer.ids.front();
  b.note.reserve(id.size() + how_label.size() + how.size() + 48);
  b.note.append("; bound to issuer '").append(id).append("' by the trust registry (");
  b.note.append(how_label).append(" ").append(how).append(")");
  if (retired) {
    b.note += "; the period ended " + FormatUtc(*until) + ", accepted on the claimed signing time (--signing-time claimed)";
  }
  return b;
}

std::string Owners(const std::vector<const RegistryIssuer*>& owners) {
  std::string out;
  for (const auto* o : owners) out += (out.empty() ? "" : ", ") + Quote(o->ids.front());
  return out;
}

std::string IdentifierList(const Credential& cred) {
  std::string out;
  for (const auto& id : cred.issuer_identifiers) {
    out += (out.empty() ? "" : ", ") + id.notation + (id.country.empty() ? "" : " (" + id.country + ")");
  }
  return out.empty() ? "none" : out;
}

// The registry's identifiers of an issuer, as legal identifiers in its country.
std::vector<LegalIdentifier> RegistryIdentifiers(const RegistryIssuer& entry) {
  std::vector<LegalIdentifier> out;
  for (const std::string& id : entry.identifiers) out.push_back({id, entry.country});
  return out;
}

// Does the registry entry list this certificate (by hash, or by identifier and CA)?
bool ListsCertificate(const RegistryIssuer& entry, const ChainVerdict& cv) {
  if (cv.path_sha256.empty()) return false;
  for (const RegistryCertificate& c : entry.certificates) {
    if (!c.sha256.empty() && c.sha256 == cv.path_sha256.front()) return true;
    if (!c.organization_identifier.empty() && c.organization_identifier == cv.organization &&
        std::find(cv.path_sha256.begin() + 1, cv.path_sha256.end(), c.ca_sha256) != cv.path_sha256.end()) {
      return true;
    }
  }
  return false;
}

// The registry entry that claims this certificate, by listing it or its
// organizationIdentifier among its identifiers; null when none does.
const RegistryIssuer* CertificateOwner(const TrustRegistry& registry, const ChainVerdict& cv) {
  for (const RegistryIssuer& entry : registry.issuers()) {
    if (ListsCertificate(entry, cv)) return &entry;
    if (!internal::MatchOrganizationIdentifier(cv.organization, RegistryIdentifiers(entry)).empty()) return &entry;
  }
  return nullptr;
}

}  // namespace

Binding BindConfiguredKey(const PublicKey& key, std::string_view via, const Credential& cred, UnixSeconds at,
                          bool at_now, const VerifierOptions& o, VerdictWindow* window) {
  const std::string& issuer = cred.issuer;
  std::string_view owner = o.keys ? o.keys->IssuerOf(key) : std::string_view();
  if (!owner.empty() && owner == issuer) {
    return {{}, "; key bound to issuer " + Quote(issuer) + " (--jwks ISSUER=FILE)"};
  }
  auto what = [&] { return "key " + std::string(via) + " (JWK thumbprint " + key.thumbprint() + ")"; };
  if (o.registry) {
    if (const RegistryIssuer* entry = o.registry->Find(issuer)) {
      for (const RegistryKey& k : entry->keys) {
        if (k.thumbprint == key.thumbprint()) {
          return InPeriod(k, what, "JWK thumbprint", k.thumbprint, *entry, at, at_now, o, window);
        }
      }
    }
  }
  // A key the registry lists for some issuer is bound to that issuer, even under
  // --trust-any-configured-key.
  const bool registry_owned = o.registry && !o.registry->OwnersOfThumbprint(key.thumbprint()).empty();
  if (o.trust_any_configured_key && owner.empty() && !registry_owned) return {{}, std::string(kAnyKey)};
  std::string belongs;
  if (!owner.empty()) {
    belongs = "; it belongs to " + Quote(owner) + " (--jwks ISSUER=FILE)";
  } else if (o.registry) {
    if (auto owners = o.registry->OwnersOfThumbprint(key.thumbprint()); !owners.empty()) {
      belongs = "; the trust registry lists it for " + Owners(owners);
    }
  }
  return {{"key_not_authorized_for_issuer",
           what() + " is not bound to issuer " + Quote(issuer) + belongs +
               ". To bind it, list its thumbprint under the issuer's keys in the trust registry (--trust), or load "
               "its key set with --jwks " + issuer + "=FILE"}};
}

Binding BindDidKey(std::string_view did_url, const Credential& cred, UnixSeconds at, const VerifierOptions& o,
                   VerdictWindow* window) {
  const std::string& issuer = cred.issuer;
  const std::string_view did = DidOf(did_url);
  if (did == issuer) return {};  // a verification method of the issuer's own DID
  if (o.registry) {
    if (const RegistryIssuer* entry = o.registry->Find(issuer)) {
      for (const RegistryKey& k : entry->keys) {
        if (!k.did_url.empty() && (k.did_url == did_url || k.did_url == did)) {
          auto what = [&] { return "key " + std::string(did_url); };
          return InPeriod(k, what, "DID key", k.did_url, *entry, at, false, o, window);
        }
      }
    }
  }
  return {{"key_not_authorized_for_issuer",
           "key " + std::string(did) + " does not belong to issuer " + Quote(issuer) +
               ": it is not a key of the issuer's DID" +
               (o.registry ? ", and the trust registry lists no such key for the issuer" : std::string()) +
               ". To bind it, list its DID URL under the issuer's keys in the trust registry (--trust)"}};
}

Binding BindCertificate(const ChainVerdict& cv, const Credential& cred, UnixSeconds at, const VerifierOptions& o,
                        VerdictWindow* window) {
  const std::string& issuer = cred.issuer;
  const std::string what = "certificate " + Quote(cv.subject);
  auto what_fn = [&] { return what; };
  if (o.registry && !cv.path_sha256.empty()) {
    if (const RegistryIssuer* entry = o.registry->Find(issuer)) {
      for (const RegistryCertificate& c : entry->certificates) {
        if (!c.sha256.empty() && c.sha256 == cv.path_sha256.front()) {
          return InPeriod(c, what_fn, "certificate SHA-256", c.sha256, *entry, at, false, o, window);
        }
        if (!c.organization_identifier.empty() && c.organization_identifier == cv.organization &&
            std::find(cv.path_sha256.begin() + 1, cv.path_sha256.end(), c.ca_sha256) != cv.path_sha256.end()) {
          return InPeriod(c, what_fn, "organizationIdentifier", cv.organization + " from the listed CA", *entry, at, false,
                          o, window);
        }
      }
    }
  }
  // The credential's legal identifiers are the sealer's own words. Where the
  // registry knows the issuer, its identifiers are the issuer's; where it gives the
  // certificate (or its organizationIdentifier) to another issuer, the certificate
  // is that issuer's. Only an issuer and a certificate the registry does not know
  // fall back to the identifiers the credential gives.
  const RegistryIssuer* entry = o.registry ? o.registry->Find(issuer) : nullptr;
  const RegistryIssuer* owner = o.registry ? CertificateOwner(*o.registry, cv) : nullptr;
  std::string how;
  if (entry) {
    how = internal::MatchOrganizationIdentifier(cv.organization, RegistryIdentifiers(*entry));
    if (!how.empty()) how += " in the trust registry";
  } else if (!owner) {
    how = internal::MatchOrganizationIdentifier(cv.organization, cred.issuer_identifiers);
  }
  if (!how.empty()) {
    return {{}, "; bound to the issuer by the certificate's organizationIdentifier " + cv.organization + " (" + how + ")"};
  }
  if (o.trust_any_configured_key && !owner) return {{}, std::string(kAnyKey)};
  if (owner && owner != entry) {
    return {{"key_not_authorized_for_issuer",
             what + " (organizationIdentifier " + (cv.organization.empty() ? std::string("none") : cv.organization) +
                 ") is not bound to issuer " + Quote(issuer) + ": the trust registry gives it to " +
                 Quote(owner->ids.front())}};
  }
  if (entry) {
    return {{"key_not_authorized_for_issuer",
             what + " (organizationIdentifier " + (cv.organization.empty() ? std::string("none") : cv.organization) +
                 ") is not bound to issuer " + Quote(issuer) +
                 ": the trust registry lists neither the certificate nor its organizationIdentifier for the issuer "
                 "(the credential's own identifiers do not count for an issuer the registry knows). To bind it, list "
                 "the certificate's SHA-256 under the issuer's certificates, or its organizationIdentifier under the "
                 "issuer's identifiers, in the trust registry (--trust)"}};
  }
  return {{"key_not_authorized_for_issuer",
           what + " (organizationIdentifier " + (cv.organization.empty() ? std::string("none") : cv.organization) +
               ") is not bound to issuer " + Quote(issuer) + ": it matches none of the issuer's legal identifiers (" +
               IdentifierList(cred) + ")" +
               (o.registry ? ", and the trust registry lists no such certificate for the issuer" : std::string()) +
               ". To bind it, list the certificate's SHA-256 under the issuer's certificates in the trust registry "
               "(--trust)"}};
}

Binding CheckMandates(const Credential& cred, const VerifierOptions& o) {
  const RegistryIssuer* entry = o.registry ? o.registry->Find(cred.issuer) : nullptr;
  std::string unchecked;
  for (const std::string& body : cred.awarding_bodies) {
    if (body == cred.issuer || (entry && (entry->HasId(body) || entry->Mandated(body)))) continue;
    if (o.registry) {
      return {{"issuer_not_mandated",
               "issuer " + Quote(cred.issuer) + " sealed for awarding body " + Quote(body) +
                   (entry ? ", which is not among its mandates in the trust registry"
                          : ", and the trust registry has no entry for the issuer, so no mandates")}};
    }
    unchecked += (unchecked.empty() ? "" : ", ") + Quote(body);
  }
  for (const std::string& body : cred.unidentified_awarding_bodies) {
    if (o.registry) {
      return {{"issuer_not_mandated", "issuer " + Quote(cred.issuer) + " sealed for an awarding body without an id (" +
                                          body + "), which no mandate in the trust registry can admit"}};
    }
    unchecked += (unchecked.empty() ? "" : ", ") + std::string("an awarding body without an id (") + body + ")";
  }
  if (unchecked.empty()) return {};
  return {{}, "; awarding body " + unchecked + " not checked against mandates (no trust registry, --trust)"};
}

}  // namespace credsweep::checks
