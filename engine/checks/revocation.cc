#include "engine/checks/revocation.h"

#include <algorithm>
#include <cstdlib>

#include "engine/internal/json.h"

namespace credsweep::checks {
namespace {

constexpr std::string_view kTokenStatusListEntry = "TokenStatusList";  // engine/checks/format.cc

bool IsListEntryType(std::string_view t) { return t == "BitstringStatusListEntry" || t == "StatusList2021Entry"; }

std::string Plural(size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

void Note(std::string* into, const std::string& text) {
  if (!into->empty()) *into += "; ";
  *into += text;
}

// What the sources consulted found in the credential's favour: noted, or with
// VerifierOptions::explain_passes off only counted (the text is never built).
class Passes {
 public:
  explicit Passes(bool explain) : explain_(explain) {}
  template <typename Text>
  void Add(Text text) {
    ++count_;
    if (explain_) Note(&notes_, text());
  }
  bool any() const { return count_ > 0; }
  const std::string& notes() const { return notes_; }

 private:
  const bool explain_;
  size_t count_ = 0;
  std::string notes_;
};

// A list's issuer speaks for a credential's status when it is the credential's
// issuer, or a status delegate the registry names for that issuer.
bool MayPublishStatusFor(const std::string& list_issuer, const std::string& issuer, const VerifierOptions& options) {
  if (list_issuer == issuer) return true;
  const RegistryIssuer* entry = options.registry ? options.registry->Find(issuer) : nullptr;
  return entry && std::find(entry->status_delegates.begin(), entry->status_delegates.end(), list_issuer) !=
                      entry->status_delegates.end();
}

// An IETF Token Status List entry (`status.status_list` {idx, uri}): the token at
// `uri` must be issued for the credential's issuer; value 0 is valid, 1 invalid
// (revoked), 2 suspended, 3 and above application-specific (reported, passing).
void CheckTokenEntry(const StatusEntry& e, const std::string& issuer, const VerifierOptions& options,
                     const ListResolver& lists, std::string* revoked, std::string* suspended, Passes* passes,
                     std::string* problem_code, std::string* problem) {
  auto where = [&] { return "token status list " + e.list_url + " [" + e.index_text + "]"; };
  auto fail = [&](const std::string& code, const std::string& text) {
    if (problem_code->empty() || *problem_code == "status_list_unavailable") *problem_code = code;
    Note(problem, where() + ": " + text);
  };
  if (e.list_url.empty() || !e.index) {
    fail("status_entry_invalid", "status.status_list needs a uri and a non-negative integer idx");
    return;
  }
  auto list = lists.Resolve(e.list_url);
  if (!list->problem.ok()) return fail(list->problem.code, list->problem.message);
  if (list->token_bits == 0) {
    return fail("status_list_invalid", "the URI holds a Bitstring Status List credential, not a Status List Token");
  }
  if (!MayPublishStatusFor(list->issuer, issuer, options)) {
    return fail("status_list_invalid", "the token is issued by '" + list->issuer +
                                           "', neither the credential's issuer nor a status delegate the trust "
                                           "registry names for it");
  }
  if (list->valid_until && *list->valid_until < options.at - options.clock_skew_seconds) {
    return fail("status_list_invalid", "the token expired at " + FormatUtc(*list->valid_until));
  }
  auto value = list->bits.Get(*e.index, list->token_bits);
  if (!value) {
    return fail("status_index_out_of_range",
                "index beyond the token's " + std::to_string(list->bits.size_bits() / list->token_bits) + " entries");
  }
  switch (*value) {
    case 0: return passes->Add([&] { return where() + ": valid"; });
    case 1: return Note(revoked, where() + ": invalid (revoked)");
    case 2: return Note(suspended, where() + ": suspended");
    default:
      return passes->Add([&] { return where() + ": status " + std::to_string(*value) + " (application-specific)"; });
  }
}

}  // namespace

void PrefetchStatusEntries(const ParsedCredential& parsed, const ListResolver& lists) {
  for (const StatusEntry& e : parsed.credential.status_entries) {
    if (e.list_url.empty() || !e.index) continue;
    if (e.type == kTokenStatusListEntry) {
      lists.Prefetch(e.list_url, *e.index, 0);  // the token's own width
    } else if (IsListEntryType(e.type) && e.size >= 1 && e.size <= 32) {
      lists.Prefetch(e.list_url, *e.index, e.size);
    }
  }
}

CheckResult CheckRevocation(const ParsedCredential& parsed, const VerifierOptions& options, const ListResolver& lists) {
  const Credential& cred = parsed.credential;
  // Outcomes by severity: a revocation anywhere wins; then suspension; then any
  // failure to establish status (never reported as revoked); then pass.
  std::string revoked, suspended, problem_code, problem, foreign;
  Passes passes(options.explain_passes);
  bool known = false;
  if (options.status_index && !cred.id.empty()) {
    auto rec = options.status_index->Lookup(cred.id);
    if (!rec.ok()) {
      problem_code = "status_index_unavailable";
      Note(&problem, "status index: " + rec.status().message());
    } else if (*rec && !(*rec)->issuer.empty() && (*rec)->issuer != cred.issuer) {
      // The id was registered for another issuer: that record speaks for another
      // credential, never for this one (neither "active" nor "revoked").
      Note(&foreign, "status index: id registered for issuer '" + (*rec)->issuer + "', not this credential's");
    } else if (*rec) {
      known = true;
      const StatusRecord& s = **rec;
      auto text = [&] {
        return "status index: " + std::string(StateName(s.state)) + " since " + FormatUtc(s.changed_at) +
               (s.reason.empty() ? "" : " (" + s.reason + ")");
      };
      if (s.state == CredentialState::kRevoked) Note(&revoked, text());
      else if (s.state == CredentialState::kSuspended) Note(&suspended, text());
      else passes.Add(text);
    }
  }
  size_t unsupported = 0;
  for (const StatusEntry& e : cred.status_entries) {
    if (e.type == kTokenStatusListEntry) {
      if (!options.status_lists) continue;
      known = true;
      CheckTokenEntry(e, cred.issuer, options, lists, &revoked, &suspended, &passes, &problem_code, &problem);
      continue;
    }
    if (!IsListEntryType(e.type)) {
      ++unsupported;
      continue;
    }
    if (!options.status_lists) continue;
    known = true;
    auto where = [&] { return "status list " + e.list_url + " [" + e.index_text + "] (" + e.purpose + ")"; };
    auto fail = [&](const std::string& code, const std::string& text) {
      if (problem_code.empty() || problem_code == "status_list_unavailable") problem_code = code;
      Note(&problem, where() + ": " + text);
    };
    if (e.list_url.empty() || !e.index || e.size == 0 || e.size > 32) {
      fail("status_entry_invalid", "the entry needs statusListCredential, a numeric statusListIndex and statusSize 1..32");
      continue;
    }
    auto list = lists.Resolve(e.list_url);
    if (!list->problem.ok()) {
      fail(list->problem.code, list->problem.message);
      continue;
    }
    if (!MayPublishStatusFor(list->issuer, cred.issuer, options)) {
      fail("status_list_invalid", "the list is issued by '" + list->issuer +
                                      "', neither the credential's issuer nor a status delegate the trust registry "
                                      "names for it");
      continue;
    }
    if (std::find(list->purposes.begin(), list->purposes.end(), e.purpose) == list->purposes.end()) {
      fail("status_list_invalid", "the list does not serve the purpose '" + e.purpose + "'");
      continue;
    }
    if (list->valid_until && *list->valid_until < options.at) {
      fail("status_list_invalid", "the list expired at " + FormatUtc(*list->valid_until));
      continue;
    }
    if (list->bits.size_bits() < kMinStatusListEntries * e.size) {
      fail("status_list_invalid", "the list has " + std::to_string(list->bits.size_bits() / e.size) +
                                      " entries, fewer than the minimum of 131072");
      continue;
    }
    auto value = list->bits.Get(*e.index, e.size);
    if (!value) {
      fail("status_index_out_of_range",
           "index beyond the list's " + std::to_string(list->bits.size_bits() / e.size) + " entries");
      continue;
    }
    if (e.purpose == "revocation" && *value) {
      Note(&revoked, where() + ": revoked");
    } else if (e.purpose == "suspension" && *value) {
      Note(&suspended, where() + ": suspended");
    } else if (e.purpose == "message" || e.size > 1) {
      passes.Add([&] {
        auto m = list->messages.find(*value);
        return where() + ": status " + std::to_string(*value) + (m != list->messages.end() ? " (" + m->second + ")" : "");
      });
    } else {
      passes.Add([&] { return where() + ": not set"; });
    }
  }
  if (!revoked.empty()) return {Outcome::kFail, "revoked", revoked};
  if (!suspended.empty()) return {Outcome::kFail, "suspended", suspended};
  if (!problem_code.empty()) return {Outcome::kFail, problem_code, problem};
  if (passes.any()) {
    std::string message = passes.notes();
    if (!foreign.empty()) Note(&message, foreign);
    return {Outcome::kPass, "ok", std::move(message)};
  }
  std::string why = known ? "no usable status" : "the id is not in the status index and the credential has no status list entry";
  if (!foreign.empty()) why += " (" + foreign + ")";
  if (!options.status_lists && !cred.status_entries.empty()) {
    why += " (" + Plural(cred.status_entries.size(), "status entry") + " not checked: no status list source configured)";
  } else if (unsupported) {
    why += " (" + Plural(unsupported, "entry") + " of an unsupported status type)";
  }
  return {Outcome::kSkipped, "no_status_information", why};
}

void ReadListSubject(std::string_view payload_json, size_t max_list_bytes, ResolvedList* out) {
  simdjson::dom::parser parser;
  internal::object doc, subject;
  internal::element subj;
  if (parser.parse(payload_json.data(), payload_json.size()).get_object().get(doc) != simdjson::SUCCESS ||
      doc["credentialSubject"].get(subj) != simdjson::SUCCESS) {
    out->problem = {"status_list_invalid", "the list credential has no credentialSubject"};
    return;
  }
  if (subj.is_array()) {
    internal::element first;
    if (subj.at(0).get(first) == simdjson::SUCCESS) subj = first;
  }
  auto type = subj.is_object() ? internal::StringMember(subj.get_object().value_unsafe(), "type") : std::nullopt;
  if (!type || (*type != "BitstringStatusList" && *type != "StatusList2021")) {
    out->problem = {"status_list_invalid", "credentialSubject is not a BitstringStatusList or StatusList2021"};
    return;
  }
  subject = subj.get_object().value_unsafe();
  internal::element purpose;
  if (subject["statusPurpose"].get(purpose) == simdjson::SUCCESS) {
    std::string_view p;
    if (purpose.get_string().get(p) == simdjson::SUCCESS) out->purposes.emplace_back(p);
    simdjson::dom::array arr;
    if (purpose.get_array().get(arr) == simdjson::SUCCESS) {
      for (internal::element x : arr) {
        if (x.get_string().get(p) == simdjson::SUCCESS) out->purposes.emplace_back(p);
      }
    }
  }
  simdjson::dom::array messages;
  if (subject["statusMessage"].get_array().get(messages) == simdjson::SUCCESS) {
    for (internal::element m : messages) {
      std::string_view status, text;
      if (m["status"].get_string().get(status) == simdjson::SUCCESS &&
          m["message"].get_string().get(text) == simdjson::SUCCESS) {
        out->messages[static_cast<uint32_t>(std::strtoul(std::string(status).c_str(), nullptr, 16))] = std::string(text);
      }
    }
  }
  auto encoded = internal::StringMember(subject, "encodedList");
  if (!encoded) {
    out->problem = {"status_list_invalid", "the list has no encodedList"};
    return;
  }
  auto bits = StatusBitstring::Decode(*encoded, max_list_bytes);
  if (!bits.ok()) {
    out->problem = {"status_list_invalid", bits.status().message()};
    return;
  }
  out->bits = std::move(bits).value();
}

}  // namespace credsweep::checks
