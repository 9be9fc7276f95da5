#include "engine/checks/accreditation_chain.h"

#include <algorithm>

namespace credsweep::checks {
namespace {

constexpr size_t kMaxNamedAccreditations = 4;
constexpr std::string_view kToAttest = "VerifiableAccreditationToAttest";
constexpr std::string_view kToAccredit = "VerifiableAccreditationToAccredit";
constexpr std::string_view kTrustChain = "VerifiableAuthorisationForTrustChain";

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

bool Has(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

// A link's verdict at one step; `rank` orders failures by how telling they are
// when no accreditation at a step holds.
struct Step {
  CheckResult failure;  // empty code: the link holds
  int rank = 0;
};

Step Fails(std::string code, std::string message, int rank) {
  return {{Outcome::kFail, std::move(code), std::move(message)}, rank};
}

// Does permission `p` cover the credential? Every type it names is one of the
// credential's, the credential follows its schema, and each awarding country the
// credential states is within its jurisdictions (an ELM credential must state one).
// A permission always names a schema and types (credential_format.cc drops others).
bool Covers(const AccreditationPermission& p, const Credential& c) {
  for (const auto& t : p.types) {
    if (!Has(c.types, t)) return false;
  }
  if (!Has(c.schema_ids, p.schema_id)) return false;
  if (!p.jurisdictions.empty()) {
    if (c.jurisdictions.empty()) return !c.is_edc;
    for (const auto& j : c.jurisdictions) {
      if (!Has(p.jurisdictions, j)) return false;
    }
  }
  return true;
}

std::string DescribePermissions(const std::vector<AccreditationPermission>& permissions) {
  if (permissions.empty()) return "it grants no permission (accreditedFor / permissionFor)";
  std::string out = "it permits ";
  for (size_t i = 0; i < permissions.size(); ++i) {
    const AccreditationPermission& p = permissions[i];
    out += (i ? "; " : "") + Join(p.types, " + ") + " under schema " + p.schema_id;
    if (!p.jurisdictions.empty()) out += " in " + Join(p.jurisdictions);
  }
  return out;
}

// Judges link `l`, found for `subject` at chain position `depth` (0: the
// credential's issuer's own accreditation), for credential `c` issued at `issued`.
Step Judge(const AccreditationLink& l, const Credential& c, std::string_view subject, int depth, UnixSeconds issued,
           const TrustRegistry* registry) {
  const std::string name = "accreditation " + Quote(l.cred.credential.id.empty() ? l.source : l.cred.credential.id) +
                           " (for " + std::string(subject) + ", from " + l.source + ")";
  if (l.format.outcome != Outcome::kPass) {
    return Fails("accreditation_chain_broken", name + " is not a readable credential: " + l.format.message, 1);
  }
  const Credential& a = l.cred.credential;
  if (l.seal.outcome != Outcome::kPass) {
    if (l.seal.code == "key_unavailable") {  // its issuer's keys could not be fetched: no verdict on it
      return Fails("accreditation_unavailable", name + ": its seal could not be checked: " + l.seal.message, 5);
    }
    return Fails("accreditation_chain_broken", name + ": its seal did not verify: " + l.seal.message, 5);
  }
  if (l.registry_type == "Revoked") {
    return Fails("accreditation_revoked", name + " is marked Revoked in the Trusted Issuers Registry", 6);
  }
  if (a.subject_ids.size() != 1) {
    return Fails("accreditation_chain_broken", name + " accredits " + std::to_string(a.subject_ids.size()) +
                                                   " subjects: an accreditation names exactly one",
                 2);
  }
  // Only a root of trust authorises a trust chain: from anyone else the
  // authorisation accredits nothing.
  const RegistryIssuer* accreditor = registry ? registry->Find(a.issuer) : nullptr;
  const bool from_root = accreditor && accreditor->accreditation_root;
  const bool to_attest = Has(a.types, kToAttest);
  const bool to_accredit = Has(a.types, kToAccredit) || (Has(a.types, kTrustChain) && from_root);
  // The registry's own word on the organisation's role, where it gives one: a
  // Trusted Issuer attests and accredits nobody.
  if (depth > 0 && l.registry_type == "TI") {
    return Fails("accreditation_chain_broken",
                 name + " is registered with issuerType TI in the Trusted Issuers Registry: a trusted issuer "
                        "accredits nobody",
                 2);
  }
  if (depth == 0 ? !to_attest : !to_accredit) {
    return Fails("accreditation_chain_broken",
                 name + " is a " + Join(a.types, " / ") + ": " +
                     (depth == 0 ? "issuing credentials takes a " + std::string(kToAttest)
                                 : "accrediting others takes a " + std::string(kToAccredit) + " or " +
                                       std::string(kTrustChain)),
                 2);
  }
  if (l.revocation.outcome == Outcome::kFail) {
    return Fails(l.revocation.code == "revoked" || l.revocation.code == "suspended" ? "accreditation_revoked"
                                                                                    : "accreditation_unavailable",
                 name + ": " + l.revocation.message, 6);
  }
  const std::optional<UnixSeconds> from = a.valid_from ? a.valid_from : l.cred.nbf;
  const std::optional<UnixSeconds> until = a.valid_until ? a.valid_until : l.cred.exp;
  const std::string when = c.issued ? "the credential was issued " + FormatUtc(issued)
                                    : "the credential states no issue date; judged at " + FormatUtc(issued);
  if (until && issued > *until) {
    return Fails("accreditation_expired", name + " expired " + FormatUtc(*until) + "; " + when, 4);
  }
  if (from && issued < *from) {
    return Fails("out_of_scope", name + " was valid only from " + FormatUtc(*from) + "; " + when, 3);
  }
  if (std::none_of(a.permissions.begin(), a.permissions.end(),
                   [&](const AccreditationPermission& p) { return Covers(p, c); })) {
    return Fails("out_of_scope",
                 name + " does not cover the credential (" + Join(c.types, " + ") +
                     (c.schema_ids.empty() ? std::string() : ", schema " + Join(c.schema_ids)) +
                     (c.jurisdictions.empty() ? std::string() : ", in " + Join(c.jurisdictions)) +
                     "): " + DescribePermissions(a.permissions),
                 3);
  }
  return {};
}

// The named accreditations that the Trusted Issuers Registry serves: one named
// anywhere else could be a copy the registry no longer vouches for (say, one it
// marks Revoked), so it is not read.
std::vector<std::string> UnderRegistry(const std::vector<std::string>& named, const std::string& tir) {
  std::vector<std::string> out;
  for (const std::string& url : named) {
    if (url.size() > tir.size() + 1 && url.compare(0, tir.size(), tir) == 0 && url[tir.size()] == '/') {
      out.push_back(url);
    }
  }
  return out;
}

}  // namespace

bool ClaimsAccreditationChain(const Credential& c) {
  return !c.accreditation_parents.empty() || c.issuer.rfind("did:ebsi:", 0) == 0;
}

std::optional<CheckResult> CheckAccreditationChain(const Credential& c, const VerifierOptions& o,
                                                   const AccreditationResolver& resolver) {
  const UnixSeconds issued = c.issued.value_or(o.at);
  const TrustRegistry* registry = o.registry.get();
  std::string subject = c.issuer;
  std::vector<std::string> urls = UnderRegistry(c.accreditation_parents, o.ebsi_tir);
  bool named = !urls.empty();
  std::vector<std::string> path;  // "issuer <- accreditor" steps, for the pass message
  std::vector<std::string> seen = {subject};
  for (int depth = 0;; ++depth) {
    if (depth == kMaxAccreditationChain) {
      return CheckResult{Outcome::kFail, "accreditation_chain_broken",
                         "the accreditation chain of " + c.issuer + " reaches no trusted root within " +
                             std::to_string(kMaxAccreditationChain) + " links"};
    }
    if (urls.empty()) {
      // The issuer's registry entry; an id that is no plain DID names no entry.
      if (subject.find_first_of("/?#%\\ \t\r\n") != std::string::npos) {
        if (depth == 0) return std::nullopt;
        return CheckResult{Outcome::kFail, "no_accreditation_record",
                           "the accreditor " + subject + " is no DID the Trusted Issuers Registry can hold"};
      }
      urls.push_back(o.ebsi_tir + "/issuers/" + subject);
    }
    // A credential names a few accreditations at most; more are not fetched (the
    // ones left out could only add candidates, never take one away).
    if (urls.size() > kMaxNamedAccreditations) urls.resize(kMaxNamedAccreditations);
    // Every accreditation of `subject` the URLs hold.
    std::vector<std::shared_ptr<const AccreditationLink>> found;
    for (const std::string& url : urls) {
      auto got = resolver.Links(url);
      if (!got.ok()) {
        if (got.status().code() != StatusCode::kNotFound) {
          return CheckResult{Outcome::kFail, "accreditation_unavailable",
                             "the accreditation of " + subject + " at " + url +
                                 " could not be read: " + got.status().message()};
        }
        if (named) {
          return CheckResult{Outcome::kFail, "no_accreditation_record",
                             "the accreditation of " + subject + " named at " + url +
                                 " is held by no source: " + got.status().message()};
        }
        continue;
      }
      for (auto& link : *got) {
        if (Has(link->cred.credential.subject_ids, subject)) found.push_back(std::move(link));
      }
    }
    if (found.empty()) {
      if (depth == 0 && !named) return std::nullopt;
      return CheckResult{Outcome::kFail, "no_accreditation_record",
                         "no accreditation of " + subject + " is found at " + Join(urls) +
                             (depth == 0 ? "" : " (the chain of " + c.issuer + " breaks there)")};
    }
    // The first accreditation that holds is followed; else the most telling failure.
    const AccreditationLink* next = nullptr;
    Step worst;
    for (const auto& link : found) {
      Step s = Judge(*link, c, subject, depth, issued, registry);
      if (s.failure.code.empty()) {
        next = link.get();
        break;
      }
      if (s.rank > worst.rank) worst = std::move(s);
    }
    if (!next) {
      if (found.size() > 1) worst.failure.message += " (" + std::to_string(found.size()) + " accreditations, none holds)";
      return worst.failure;
    }
    const std::string& accreditor = next->cred.credential.issuer;
    path.push_back(subject + " <- " + accreditor);
    const RegistryIssuer* entry = registry ? registry->Find(accreditor) : nullptr;
    if (entry && entry->accreditation_root) {
      if (!o.explain_passes) return CheckResult{Outcome::kPass, "ok", ""};
      return CheckResult{Outcome::kPass, "ok",
                         "accredited through the EBSI chain " + Join(path, ", ") + " (" + accreditor +
                             " is a root the trust registry names)"};
    }
    if (Has(seen, accreditor)) {
      return CheckResult{Outcome::kFail, "accreditation_chain_broken",
                         "the accreditation chain of " + c.issuer + " loops back to " + accreditor +
                             " without reaching a root the trust registry names (accreditationRoot)"};
    }
    seen.push_back(accreditor);
    subject = accreditor;
    urls = UnderRegistry(next->cred.credential.accreditation_parents, o.ebsi_tir);
    named = !urls.empty();
  }
}

}  // namespace credsweep::checks
