#include "engine/checks/accreditation.h"

#include <algorithm>

#include "engine/checks/accreditation_chain.h"

namespace credsweep::checks {
namespace {

// A record's verdict on one credential; `rank` orders failures by how specific
// they are, so the most telling one is reported when no record covers.
struct Verdict {
  std::string code;  // empty: the record covers the credential
  std::string message;
  int rank = 0;
};

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

template <typename T>
std::string List(const std::vector<T>& items) {
  std::string out;
  for (const auto& i : items) {
    out += out.empty() ? "" : ", ";
    if constexpr (std::is_same_v<T, int>) out += std::to_string(i);
    else out += i;
  }
  return out;
}

template <typename T>
bool Contains(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Verdict OutOfScope(const AccreditationRecord& r, const std::string& what) {
  return {"out_of_scope", "accreditation " + Quote(r.id) + " does not cover the credential: " + what, 1};
}

// ISCED-F is hierarchical: a limit "06" covers "061" and "0613".
bool FieldCovered(const std::vector<std::string>& limits, const std::string& field) {
  return std::any_of(limits.begin(), limits.end(), [&](const std::string& l) { return field.rfind(l, 0) == 0; });
}

// Country codes as the EU authority table (alpha-3) or ISO alpha-2 write them;
// a limit and a credential compare only in the same form.
bool JurisdictionCovered(const std::vector<std::string>& limits, const std::string& country) {
  return Contains(limits, country);
}

// Does `r` accredit an organisation the credential names, for what it awards, when
// it was issued?
Verdict Judge(const AccreditationRecord& r, const Credential& c, const std::vector<std::string>& bodies,
              const TrustRegistry* registry, UnixSeconds at) {
  bool organisation = false;
  for (const auto& body : bodies) {
    const RegistryIssuer* entry = registry ? registry->Find(body) : nullptr;
    for (const auto& org : r.organisations) {
      organisation = organisation || org == body || (entry && entry->HasId(org));
    }
  }
  if (!organisation) {
    return OutOfScope(r, "it accredits " + List(r.organisations) + ", not the awarding body " + List(bodies));
  }
  if (r.status == AccreditationStatus::kRevoked) {
    return {"accreditation_revoked", "accreditation " + Quote(r.id) + " of " + List(r.organisations) + " is revoked", 4};
  }
  if (r.status == AccreditationStatus::kSuspended) {
    return {"accreditation_suspended", "accreditation " + Quote(r.id) + " of " + List(r.organisations) + " is suspended",
            3};
  }
  const UnixSeconds issued = c.issued.value_or(at);
  auto when = [&] {
    return c.issued ? "issued " + FormatUtc(issued) : "verified at " + FormatUtc(issued) + " (no issue date)";
  };
  if (r.expiry_date && issued > *r.expiry_date) {
    return {"accreditation_expired",
            "accreditation " + Quote(r.id) + " expired " + FormatUtc(*r.expiry_date) + "; the credential was " + when(),
            2};
  }
  if (r.date_issued && issued < *r.date_issued) {
    return OutOfScope(r, "dateIssued " + FormatUtc(*r.date_issued) + " is after the credential was " + when());
  }
  if (!r.limit_credential_types.empty()) {
    bool any = false;
    for (const auto& t : r.limit_credential_types) any = any || Contains(c.credential_profiles, t) || Contains(c.types, t);
    if (!any) return OutOfScope(r, "limitCredentialType " + List(r.limit_credential_types) + " excludes its type");
  }
  if (!r.limit_qualifications.empty()) {
    bool any = false;
    for (const auto& q : c.qualification_ids) any = any || Contains(r.limit_qualifications, q);
    if (!any) {
      return OutOfScope(r, "limitQualification " + List(r.limit_qualifications) + " does not include " +
                               (c.qualification_ids.empty() ? std::string("a qualification it does not name")
                                                            : List(c.qualification_ids)));
    }
  }
  // ELM states level, field and place of award; a limit an ELM credential says
  // nothing about is not met. A VC 2.0 / Open Badges credential is held to a
  // limit only where it states the fact.
  const bool strict = c.is_edc;
  if (!r.limit_eqf_levels.empty() && (strict || !c.eqf_levels.empty())) {
    if (c.eqf_levels.empty()) return OutOfScope(r, "limitEQFLevel " + List(r.limit_eqf_levels) + ", and it states no EQF level");
    for (int level : c.eqf_levels) {
      if (!Contains(r.limit_eqf_levels, level)) {
        return OutOfScope(r, "limitEQFLevel " + List(r.limit_eqf_levels) + " excludes EQF level " + std::to_string(level));
      }
    }
  }
  if (!r.limit_fields.empty() && (strict || !c.fields.empty())) {
    if (c.fields.empty()) return OutOfScope(r, "limitField " + List(r.limit_fields) + ", and it states no ISCED-F field");
    for (const auto& f : c.fields) {
      if (!FieldCovered(r.limit_fields, f)) {
        return OutOfScope(r, "limitField " + List(r.limit_fields) + " excludes ISCED-F field " + f);
      }
    }
  }
  if (!r.limit_jurisdictions.empty() && (strict || !c.jurisdictions.empty())) {
    if (c.jurisdictions.empty()) {
      return OutOfScope(r, "limitJurisdiction " + List(r.limit_jurisdictions) + ", and it states no awarding country");
    }
    for (const auto& j : c.jurisdictions) {
      if (!JurisdictionCovered(r.limit_jurisdictions, j)) {
        return OutOfScope(r, "limitJurisdiction " + List(r.limit_jurisdictions) + " excludes " + j);
      }
    }
  }
  return {};
}

std::string Describe(const AccreditationRecord& r) {
  std::string out = "accredited by " + Quote(r.id) + " (" + List(r.organisations);
  if (!r.accrediting_agent.empty()) out += ", by " + r.accrediting_agent;
  if (r.date_issued || r.expiry_date) {
    out += ", " + (r.date_issued ? FormatUtc(*r.date_issued) : std::string("(open)")) + " .. " +
           (r.expiry_date ? FormatUtc(*r.expiry_date) : std::string("(open)"));
  }
  return out + ")";
}

}  // namespace

bool AccreditationConfigured(const VerifierOptions& o) {
  return (o.registry && o.registry->accreditation_count() > 0) || o.accreditation_documents;
}

CheckResult CheckAccreditation(const ParsedCredential& parsed, const VerifierOptions& o,
                               const AccreditationResolver* records) {
  if (!AccreditationConfigured(o)) {
    return {Outcome::kSkipped, "not_configured", "accreditation checking is not configured"};
  }
  const Credential& c = parsed.credential;
  std::vector<std::string> issuer_only;  // no awarding body named: the issuer awards
  if (c.awarding_bodies.empty()) issuer_only.push_back(c.issuer);
  const std::vector<std::string>& bodies = c.awarding_bodies.empty() ? issuer_only : c.awarding_bodies;
  const TrustRegistry* registry = o.registry.get();

  // Accreditations the credential names: each must be found and must hold.
  if (!c.accreditation_ids.empty()) {
    std::string passes;
    for (const std::string& id : c.accreditation_ids) {
      std::shared_ptr<const AccreditationRecord> fetched;
      const AccreditationRecord* r = registry ? registry->FindAccreditation(id) : nullptr;
      if (!r) {
        if (!records) {
          return {Outcome::kFail, "no_accreditation_record",
                  "the credential names accreditation " + Quote(id) +
                      ", which the trust registry does not hold (and no --accreditations source is configured)"};
        }
        auto got = records->Resolve(id);
        if (!got.ok()) {
          if (got.status().code() == StatusCode::kNotFound) {
            return {Outcome::kFail, "no_accreditation_record",
                    "the credential names accreditation " + Quote(id) + ", which no source holds: " + got.status().message()};
          }
          return {Outcome::kFail, "accreditation_unavailable",
                  "accreditation " + Quote(id) + " could not be read: " + got.status().message()};
        }
        fetched = std::move(got).value();
        r = fetched.get();
      }
      Verdict v = Judge(*r, c, bodies, registry, o.at);
      if (!v.code.empty()) return {Outcome::kFail, v.code, v.message};
      if (o.explain_passes) passes += (passes.empty() ? "" : "; ") + Describe(*r);
    }
    return {Outcome::kPass, "ok", passes};
  }

  // An EBSI issuer's chain of Verifiable Accreditations, when a source holds it.
  if (records && ClaimsAccreditationChain(c)) {
    if (auto chain = CheckAccreditationChain(c, o, *records)) return *std::move(chain);
  }

  // None named: the registry's records for the awarding bodies; one that covers suffices.
  std::vector<const AccreditationRecord*> candidates;
  for (const auto& body : bodies) {
    if (!registry) break;
    for (const AccreditationRecord* r : registry->AccreditationsOf(body)) {
      if (!Contains(candidates, r)) candidates.push_back(r);
    }
  }
  if (candidates.empty()) {
    return {Outcome::kSkipped, "not_claimed",
            "the credential names no accreditation, and the trust registry holds none for " + List(bodies)};
  }
  Verdict worst;
  for (const AccreditationRecord* r : candidates) {
    Verdict v = Judge(*r, c, bodies, registry, o.at);
    if (v.code.empty()) return {Outcome::kPass, "ok", o.explain_passes ? Describe(*r) + " (trust registry)" : ""};
    if (v.rank > worst.rank) worst = std::move(v);
  }
  if (candidates.size() > 1) worst.message += " (" + std::to_string(candidates.size()) + " records, none covers it)";
  return {Outcome::kFail, worst.code, worst.message};
}

}  // namespace credsweep::checks
