// The revocation check: the engine's own status index and the status lists a
// credential points to, each list fetched and verified once per Verifier.
#include <algorithm>
#include <cstdlib>

#include "engine/internal/verifier_run.h"

namespace credsweep {

namespace {

bool IsListEntryType(std::string_view t) {
  return t == "BitstringStatusListEntry" || t == "StatusList2021Entry";
}

std::string Plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

void Verifier::Run::Revocation() {
  // Outcomes by severity: a revocation anywhere wins; then suspension; then any
  // failure to establish status (never reported as revoked); then pass.
  std::string revoked, suspended, problem_code, problem, passes;
  auto note = [](std::string* into, const std::string& text) {
    if (!into->empty()) *into += "; ";
    *into += text;
  };
  bool known = false;
  if (opts_.status_index && !cred_.id.empty()) {
    auto rec = opts_.status_index->Lookup(cred_.id);
    if (!rec.ok()) {
      problem_code = "status_index_unavailable";
      note(&problem, "status index: " + rec.status().message());
    } else if (*rec) {
      known = true;
      const StatusRecord& s = **rec;
      std::string text = "status index: " + std::string(StateName(s.state)) + " since " + FormatUtc(s.changed_at) +
                         (s.reason.empty() ? "" : " (" + s.reason + ")");
      if (s.state == CredentialState::kRevoked) note(&revoked, text);
      else if (s.state == CredentialState::kSuspended) note(&suspended, text);
      else note(&passes, text);
    }
  }
  size_t unsupported = 0;
  for (const StatusEntry& e : cred_.status_entries) {
    if (!IsListEntryType(e.type)) {
      ++unsupported;
      continue;
    }
    if (!opts_.status_lists) continue;
    known = true;
    std::string where = "status list " + e.list_url + " [" + e.index_text + "] (" + e.purpose + ")";
    auto fail = [&](const char* code, const std::string& text) {
      if (problem_code.empty() || problem_code == "status_list_unavailable") problem_code = code;
      note(&problem, where + ": " + text);
    };
    if (e.list_url.empty() || !e.index || e.size == 0 || e.size > 32) {
      fail("status_entry_invalid", "the entry needs statusListCredential, a numeric statusListIndex and statusSize 1..32");
      continue;
    }
    auto list = v_.ResolveList(e.list_url);
    if (!list->error_code.empty()) {
      fail(list->error_code.c_str(), list->message);
      continue;
    }
    if (list->issuer != cred_.issuer) {
      fail("status_list_invalid", "the list is issued by '" + list->issuer + "', not by the credential's issuer");
      continue;
    }
    if (std::find(list->purposes.begin(), list->purposes.end(), e.purpose) == list->purposes.end()) {
      fail("status_list_invalid", "the list does not serve the purpose '" + e.purpose + "'");
      continue;
    }
    if (list->valid_until && *list->valid_until < opts_.at) {
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
      fail("status_index_out_of_range", "index beyond the list's " +
                                            std::to_string(list->bits.size_bits() / e.size) + " entries");
      continue;
    }
    if (e.purpose == "revocation" && *value) {
      note(&revoked, where + ": revoked");
    } else if (e.purpose == "suspension" && *value) {
      note(&suspended, where + ": suspended");
    } else if (e.purpose == "message" || e.size > 1) {
      auto m = list->messages.find(*value);
      note(&passes, where + ": status " + std::to_string(*value) +
                        (m != list->messages.end() ? " (" + m->second + ")" : ""));
    } else {
      note(&passes, where + ": not set");
    }
  }
  if (!revoked.empty()) {
    Fail(CheckId::kRevocation, "revoked", revoked);
  } else if (!suspended.empty()) {
    Fail(CheckId::kRevocation, "suspended", suspended);
  } else if (!problem_code.empty()) {
    Fail(CheckId::kRevocation, problem_code, problem);
  } else if (!passes.empty()) {
    Pass(CheckId::kRevocation, "ok", passes);
  } else {
    std::string why = known ? "no usable status" : "the id is not in the status index and the credential has no status list entry";
    if (!opts_.status_lists && !cred_.status_entries.empty()) {
      why += " (" + Plural(cred_.status_entries.size(), "status entry") + " not checked: no status list source configured)";
    } else if (unsupported) {
      why += " (" + Plural(unsupported, "entry") + " of an unsupported status type)";
    }
    Skip(CheckId::kRevocation, "no_status_information", why);
  }
}

std::shared_ptr<const Verifier::ResolvedList> Verifier::ResolveList(const std::string& url) const {
  std::promise<std::shared_ptr<const ResolvedList>> promise;
  std::shared_future<std::shared_ptr<const ResolvedList>> existing;
  {
    std::lock_guard lock(cache_->lists_mu);
    auto it = cache_->lists.find(url);
    if (it != cache_->lists.end()) {
      existing = it->second.future;
      if (it->second.done) cache_->lists_lru.splice(cache_->lists_lru.begin(), cache_->lists_lru, it->second.lru);
    } else {
      cache_->lists[url].future = promise.get_future().share();
    }
  }
  // Another thread fetched (or is fetching) this list: wait for its result. If
  // that thread failed with an exception, get() rethrows into this record's fence.
  if (existing.valid()) return existing.get();
  auto out = std::make_shared<ResolvedList>();
  auto done = [&]() -> std::shared_ptr<const ResolvedList> {
    CacheResolved(url, *out);
    promise.set_value(out);
    return out;
  };
  auto doc = options_.status_lists->Fetch(url);
  if (!doc.ok()) {
    out->error_code = "status_list_unavailable";
    out->message = "cannot fetch the list: " + doc.status().message();
    return done();
  }
  Record rec;
  rec.source = url;
  rec.data = std::move(doc).value();
  Run run(*this, rec, /*status_list_mode=*/true);
  VerificationResult r = run.Go(rec);
  const CheckResult& seal = r.check(CheckId::kSeal);
  bool unsigned_ok = options_.allow_unsigned_status_lists && seal.code == "not_sealed";
  if (r.check(CheckId::kFormat).outcome != Outcome::kPass) {
    out->error_code = "status_list_invalid";
    out->message = "the list credential is malformed: " + r.check(CheckId::kFormat).message;
    return done();
  }
  if (seal.outcome != Outcome::kPass && !unsigned_ok) {
    out->error_code = "status_list_invalid";
    out->message = "the list credential's seal does not verify (" + seal.code + ": " + seal.message + ")";
    return done();
  }
  const Credential& lc = run.credential();
  const auto& types = lc.types;
  if (std::find(types.begin(), types.end(), "BitstringStatusListCredential") == types.end() &&
      std::find(types.begin(), types.end(), "StatusList2021Credential") == types.end()) {
    out->error_code = "status_list_invalid";
    out->message = "the document's type is not BitstringStatusListCredential or StatusList2021Credential";
    return done();
  }
  if (!lc.id.empty() && lc.id != url) {
    out->error_code = "status_list_invalid";
    out->message = "the list's id '" + lc.id + "' differs from the URL it was fetched from";
    return done();
  }
  const int64_t skew = std::clamp<int64_t>(options_.clock_skew_seconds, 0, 86400);
  if (lc.valid_from && *lc.valid_from > options_.at + skew) {
    out->error_code = "status_list_invalid";
    out->message = "the list is valid only from " + FormatUtc(*lc.valid_from);
    return done();
  }
  out->issuer = lc.issuer;
  out->valid_until = lc.valid_until;
  simdjson::dom::parser parser;
  internal::object doc_obj, subject;
  internal::element subj;
  if (parser.parse(run.payload_json()).get_object().get(doc_obj) != simdjson::SUCCESS ||
      doc_obj["credentialSubject"].get(subj) != simdjson::SUCCESS) {
    out->error_code = "status_list_invalid";
    out->message = "the list credential has no credentialSubject";
    return done();
  }
  if (subj.is_array()) {
    internal::element first;
    if (subj.at(0).get(first) == simdjson::SUCCESS) subj = first;
  }
  auto type = subj.is_object() ? internal::StringMember(subj.get_object().value_unsafe(), "type") : std::nullopt;
  if (!type || (*type != "BitstringStatusList" && *type != "StatusList2021")) {
    out->error_code = "status_list_invalid";
    out->message = "credentialSubject is not a BitstringStatusList or StatusList2021";
    return done();
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
        out->messages[static_cast<uint32_t>(std::strtoul(std::string(status).c_str(), nullptr, 16))] =
            std::string(text);
      }
    }
  }
  auto encoded = internal::StringMember(subject, "encodedList");
  if (!encoded) {
    out->error_code = "status_list_invalid";
    out->message = "the list has no encodedList";
    return done();
  }
  auto bits = StatusBitstring::Decode(*encoded, options_.max_status_list_bytes);
  if (!bits.ok()) {
    out->error_code = "status_list_invalid";
    out->message = bits.status().message();
    return done();
  }
  out->bits = std::move(bits).value();
  // Only a list that passed every check may be kept by a persisting source.
  options_.status_lists->Validated(url, rec.data);
  return done();
}

void Verifier::CacheResolved(const std::string& url, const ResolvedList& list) const {
  size_t bytes = url.size() + list.bits.bytes().size() + list.message.size() + list.issuer.size() + 256;
  for (const auto& [_, text] : list.messages) bytes += text.size() + 64;
  std::lock_guard lock(cache_->lists_mu);
  auto it = cache_->lists.find(url);
  if (it == cache_->lists.end() || it->second.done) return;
  it->second.done = true;
  it->second.bytes = bytes;
  cache_->lists_lru.push_front(url);
  it->second.lru = cache_->lists_lru.begin();
  cache_->lists_bytes += bytes;
  // Evict the least recently used resolved lists beyond the budget; holders keep
  // their copy alive, and a later record fetches an evicted list again.
  while (cache_->lists_bytes > options_.max_status_list_cache_bytes && cache_->lists_lru.size() > 1) {
    auto victim = cache_->lists.find(cache_->lists_lru.back());
    cache_->lists_bytes -= victim->second.bytes;
    cache_->lists.erase(victim);
    cache_->lists_lru.pop_back();
  }
}

}  // namespace credsweep
