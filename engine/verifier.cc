#include "engine/verifier.h"

#include <algorithm>
#include <array>
#include <exception>
#include <functional>
#include <shared_mutex>
#include <unordered_map>

#include "engine/checks/accreditation.h"
#include "engine/checks/format.h"
#include "engine/checks/presentation.h"
#include "engine/checks/revocation.h"
#include "engine/checks/seal.h"
#include "engine/checks/validity.h"
#include "engine/internal/cached_reading.h"
#include "engine/internal/did_cache.h"
#include "engine/internal/envelope.h"
#include "engine/internal/json.h"
#include "engine/internal/published_keys.h"
#include "engine/internal/status_list_cache.h"
#include "engine/sha256.h"

namespace credsweep {

namespace {

constexpr int64_t kMaxClockSkew = 86400;

CheckResult Skipped(std::string_view code, std::string message) {
  return {Outcome::kSkipped, std::string(code), std::move(message)};
}

// The envelope, format and seal of one record: what a credential and a status list
// credential share.
struct Reading {
  internal::Envelope env;
  checks::ParsedCredential cred;
  CheckResult format;
  CheckResult seal;  // unset (empty code) when the envelope could not be split
  std::string seal_level;
  SealDetails seal_details;
};

}  // namespace

// One record between its reading and the checks that follow (Verifier::ReadRecord,
// Verifier::JudgeRecord).
struct Verifier::Work {
  explicit Work(VerificationResult* out) : r(*out) {}
  VerificationResult& r;  // the record's result, written in place
  Reading rd;
  std::optional<VerifierOptions> challenged;  // with the record's own challenge
  bool used_credential = false;  // rd.cred holds an earlier record's (VerifyAll)
  bool sd_jwt = false;
  bool done = false;  // r is final
};

namespace {

// Revocation with only the status index: no list is ever asked for.
class NoLists final : public checks::ListResolver {
 public:
  std::shared_ptr<const checks::ResolvedList> Resolve(const std::string&) const override {
    auto list = std::make_shared<checks::ResolvedList>();
    list->problem = {"status_list_unavailable", "no status list source is configured"};
    return list;
  }
};

// Accreditation records by URI, and the Verifiable Accreditations of EBSI chains
// by URL: fetched and read once, then shared (bounded: each cache starts over
// past kMax entries). A failed fetch is not cached.
class AccreditationRecords final : public checks::AccreditationResolver {
 public:
  using LinkReader = std::function<std::shared_ptr<checks::AccreditationLink>(std::string_view data)>;

  AccreditationRecords(const DocumentSource& source, size_t max_bytes, LinkReader read_link)
      : source_(source), max_bytes_(max_bytes), read_link_(std::move(read_link)) {}

  Result<std::shared_ptr<const AccreditationRecord>> Resolve(const std::string& uri) const override {
    {
      std::shared_lock lock(mu_);
      if (auto it = records_.find(uri); it != records_.end()) return it->second;
    }
    auto doc = Fetch(uri);
    if (!doc.ok()) return doc.status();
    auto parsed = ParseAccreditation(*doc, uri);
    if (!parsed.ok()) return IoError("not a usable accreditation record: " + parsed.status().message());
    if (parsed->id != uri) return IoError("the record's id '" + parsed->id + "' differs from the URI it was read from");
    auto record = std::make_shared<const AccreditationRecord>(std::move(parsed).value());
    source_.Validated(uri, *doc);
    Keep(&records_, uri, record);
    return record;
  }

  Result<std::vector<std::shared_ptr<const checks::AccreditationLink>>> Links(const std::string& url) const override {
    {
      std::shared_lock lock(mu_);
      if (auto it = links_.find(url); it != links_.end()) return it->second;
      if (auto it = missing_.find(url); it != missing_.end()) return it->second;
    }
    auto doc = Fetch(url);
    if (!doc.ok()) {
      // An issuer the registry does not know stays unknown for the run: every
      // credential of it would ask again otherwise. Other failures are retried.
      if (doc.status().code() == StatusCode::kNotFound) Keep(&missing_, url, doc.status());
      return doc.status();
    }
    // (credential, the registry's issuerType) pairs.
    std::vector<std::pair<std::string, std::string>> bodies;
    if (Status s = Bodies(*doc, &bodies); !s.ok()) {
      // What the registry served is unusable: the same answer for every credential of the run.
      Status unusable = IoError("not a usable accreditation document: " + s.message());
      Keep(&missing_, url, unusable);
      return unusable;
    }
    std::vector<std::shared_ptr<const checks::AccreditationLink>> links;
    bool all_sealed = true, judged = true;
    for (auto& [body, type] : bodies) {
      std::shared_ptr<checks::AccreditationLink> link = read_link_(body);
      link->source = url;
      link->registry_type = std::move(type);
      all_sealed = all_sealed && link->seal.outcome == Outcome::kPass;
      // A seal whose keys could not be fetched, or a status that could not be read,
      // is asked again by the next credential: no verdict was reached.
      judged = judged && link->seal.code != "key_unavailable" &&
               !(link->revocation.outcome == Outcome::kFail && link->revocation.code != "revoked" &&
                 link->revocation.code != "suspended");
      links.push_back(std::move(link));
    }
    if (all_sealed) source_.Validated(url, *doc);
    if (judged) Keep(&links_, url, links);
    return links;
  }

 private:
  static constexpr size_t kMax = 4096;
  static constexpr size_t kMaxAttributes = 64;

  Result<std::string> Fetch(const std::string& url) const {
    auto doc = source_.Fetch(url);
    if (doc.ok() && doc->size() > max_bytes_) {
      return IoError("the document is " + std::to_string(doc->size()) + " bytes, over the limit of " +
                     std::to_string(max_bytes_));
    }
    return doc;
  }

  // The credentials a Trusted Issuers Registry document holds: an issuer's
  // `attributes`, one `attribute`, each with a `body` (a JWT or a JSON
  // credential) and an `issuerType`; or a credential as such.
  static Status Bodies(std::string_view doc, std::vector<std::pair<std::string, std::string>>* out) {
    constexpr std::string_view kSpace = " \t\r\n";
    const size_t start = doc.find_first_not_of(kSpace);
    if (start == std::string_view::npos) return InvalidArgument("it is empty");
    if (doc[start] != '{') {  // a JWT as such
      out->emplace_back(std::string(doc.substr(start, doc.find_last_not_of(kSpace) + 1 - start)), "");
      return Status::Ok();
    }
    simdjson::dom::parser parser;
    simdjson::padded_string padded(doc);
    internal::object o;
    if (auto err = parser.parse(padded).get_object().get(o); err != simdjson::SUCCESS) {
      return InvalidArgument(std::string("not a JSON object: ") + simdjson::error_message(err));
    }
    internal::element list;
    if (o["attribute"].get(list) != simdjson::SUCCESS && o["attributes"].get(list) != simdjson::SUCCESS) {
      out->emplace_back(std::string(doc), "");
      return Status::Ok();
    }
    bool ok = internal::ForEachItem(list, [&](internal::element item) {
      internal::object a;
      internal::element body;
      if (item.get_object().get(a) != simdjson::SUCCESS || a["body"].get(body) != simdjson::SUCCESS) return false;
      std::string type(internal::StringMember(a, "issuerType").value_or(""));
      std::string_view jwt;
      if (body.get_string().get(jwt) == simdjson::SUCCESS) {
        out->emplace_back(std::string(jwt), std::move(type));
      } else if (body.is_object()) {
        out->emplace_back(simdjson::minify(body), std::move(type));
      } else {
        return false;
      }
      return out->size() <= kMaxAttributes;
    });
    if (!ok) {
      return InvalidArgument(out->size() > kMaxAttributes
                                 ? "more than " + std::to_string(kMaxAttributes) + " attributes"
                                 : "each attribute must be an object with a body (a JWT or a credential)");
    }
    return Status::Ok();
  }

  template <typename T>
  void Keep(std::unordered_map<std::string, T>* cache, const std::string& key, T value) const {
    std::unique_lock lock(mu_);
    if (cache->size() >= kMax) cache->clear();
    cache->insert_or_assign(key, std::move(value));
  }

  const DocumentSource& source_;
  const size_t max_bytes_;
  const LinkReader read_link_;
  mutable std::shared_mutex mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const AccreditationRecord>> records_;
  mutable std::unordered_map<std::string, std::vector<std::shared_ptr<const checks::AccreditationLink>>> links_;
  mutable std::unordered_map<std::string, Status> missing_;  // NotFound and unusable answers
};

}  // namespace

struct Verifier::Shared {
  internal::DidKeyCache did_keys;
  std::unique_ptr<internal::PublishedKeys> published;
  std::unique_ptr<internal::StatusListCache> lists;
  std::unique_ptr<AccreditationRecords> accreditations;
  std::unique_ptr<OnlineRevocation> online_revocation;
  NoLists no_lists;
  // The policy for a presentation's own proof (a holder's key has no eIDAS level),
  // and for the credentials it encloses (its proof answers the verifier's
  // challenge: an enclosed SD-JWT need not).
  VerifierOptions holder_options, enclosed_options;
  // The policy for the accreditations of an EBSI chain: sealed by their issuers'
  // keys like any credential, with no eIDAS level or profile asked of them.
  VerifierOptions link_options;
  const checks::ListResolver& list_resolver() const {
    return lists ? static_cast<const checks::ListResolver&>(*lists) : no_lists;
  }
};

Verifier::Verifier(VerifierOptions options) : options_(std::move(options)), shared_(std::make_unique<Shared>()) {
  if (options_.at == 0) options_.at = NowUtc();
  options_.clock_skew_seconds = std::clamp<int64_t>(options_.clock_skew_seconds, 0, kMaxClockSkew);
  if (options_.issuer_documents) {
    shared_->published = std::make_unique<internal::PublishedKeys>(*options_.issuer_documents, options_.max_record_bytes);
  }
  if (options_.accreditation_documents) {
    shared_->accreditations = std::make_unique<AccreditationRecords>(
        *options_.accreditation_documents, options_.max_record_bytes,
        [this](std::string_view data) { return ReadAccreditationLink(data); });
  }
  if (options_.certificate_status_documents) {
    shared_->online_revocation = std::make_unique<OnlineRevocation>(*options_.certificate_status_documents);
  }
  if (options_.status_lists) {
    shared_->lists = std::make_unique<internal::StatusListCache>(
        [this](const std::string& url) { return LoadStatusList(url); }, options_.max_status_list_cache_bytes);
  }
  shared_->holder_options = options_;
  shared_->holder_options.min_seal_level = SealLevelRequirement::kNone;
  shared_->holder_options.profile = CredentialProfile::kNone;
  shared_->link_options = shared_->holder_options;
  shared_->link_options.audience.clear();
  shared_->link_options.nonce.clear();
  shared_->enclosed_options = options_;
  shared_->enclosed_options.audience.clear();
  shared_->enclosed_options.nonce.clear();
}

Verifier::~Verifier() = default;

checks::SealContext Verifier::SealContext() const { return SealContext(options_); }

checks::SealContext Verifier::SealContext(const VerifierOptions& options) const {
  return {options, shared_->did_keys, shared_->published.get(), shared_->online_revocation.get()};
}

namespace {

internal::Parsers& ParsersFor(const VerifierOptions& o) {
  return internal::ThreadParsers(o.max_record_bytes, o.max_json_depth);
}

// Format and seal of an opened envelope. `profile` is the credential profile for
// a record, kNone for a status list credential.
// `payload`: the envelope's payload already parsed into p.payload, or null.
void ReadOpened(internal::Parsers& p, const checks::SealContext& seal, CredentialProfile profile, Reading* out,
                const internal::object* payload = nullptr) {
  out->format = checks::CheckFormat(out->env, p, &out->cred, profile, payload);
  if (out->env.sealable) {
    checks::SealResult result = checks::CheckSeal(out->env, out->cred, seal);
    out->seal = std::move(result.check);
    out->seal_level = std::move(result.level);
    out->seal_details = std::move(result.details);
  }
}

void Read(std::string_view data, const checks::SealContext& seal, CredentialProfile profile, Reading* out) {
  internal::Parsers& p = ParsersFor(seal.options);
  internal::OpenEnvelope(data, p, &out->env);
  ReadOpened(p, seal, profile, out);
}

}  // namespace

std::shared_ptr<checks::AccreditationLink> Verifier::ReadAccreditationLink(std::string_view data) const {
  auto link = std::make_shared<checks::AccreditationLink>();
  Reading rd;
  Read(data, SealContext(shared_->link_options), CredentialProfile::kNone, &rd);
  link->format = std::move(rd.format);
  link->seal = rd.seal.code.empty() ? CheckResult{Outcome::kFail, "not_sealed", "it carries no seal"} : std::move(rd.seal);
  link->cred = std::move(rd.cred);
  const bool sealed = link->format.outcome == Outcome::kPass && link->seal.outcome == Outcome::kPass;
  link->revocation = sealed && (options_.status_index || options_.status_lists)
                         ? checks::CheckRevocation(link->cred, options_, shared_->list_resolver())
                         : Skipped("not_checked", "its status is not checked");
  return link;
}

namespace {

// The reading of a record seen before, when its entry holds at `at`, decoded
// into *out, every field of it assigned. False when there is none (*out is then
// as it was) or it does not hold (*out is then a new Reading).
bool ReadFromCache(const ReadingCache& cache, std::string_view source, std::string_view digest, UnixSeconds at,
                   Reading* out) {
  std::optional<std::string_view> entry = cache.Find(source, digest);
  if (!entry) return false;
  checks::VerdictWindow window;
  if (!internal::DecodeCachedReading(*entry, {&out->format, &out->seal, &out->seal_level, &out->seal_details,
                                              &out->cred, &window}) ||
      !window.Holds(at)) {
    *out = Reading();
    cache.Stale(source);
    return false;
  }
  return true;
}

void KeepInCache(const ReadingCache& cache, std::string_view source, std::string_view digest, const Reading& rd,
                 const checks::VerdictWindow& window) {
  cache.Add(source, digest, internal::EncodeCachedReading(internal::CachedReadingView{
                        rd.format, rd.seal, rd.seal_level, rd.seal_details, rd.cred, window}));
}

// The options with the record's own challenge in place of theirs.
VerifierOptions WithChallenge(const VerifierOptions& o, const Record& record) {
  VerifierOptions out = o;
  if (!record.audience.empty()) out.audience = record.audience;
  if (!record.nonce.empty()) out.nonce = record.nonce;
  return out;
}

CheckResult NotApplicable(std::string_view what) {
  return Skipped("not_applicable", "a presentation has no " + std::string(what) + " of its own; its credentials have theirs");
}

std::optional<Finding> Unreadable(const Record& record, size_t max_bytes) {
  if (!record.error.ok()) return record.error;
  if (record.data.size() > max_bytes) {
    return Finding{"record_too_large", "record of " + std::to_string(record.data.size()) +
                                           " bytes exceeds the limit of " + std::to_string(max_bytes)};
  }
  return std::nullopt;
}

}  // namespace

VerificationResult Verifier::Verify(const Record& record) const { return VerifyRecord(record, nullptr); }

VerificationResult Verifier::VerifyRecord(const Record& record, const Holder* holder) const {
  VerificationResult out;
  Work w(&out);
  if (!ReadRecord(record, holder, &w)) JudgeRecord(holder, &w);
  return out;
}

void Verifier::VerifyAll(const std::vector<Record>& records, std::vector<VerificationResult>* results) const {
  // Records are read a group at a time and then judged: each reading announces
  // its status lookup (StatusLookup::Prefetch), which the group's other readings
  // give time to arrive. A throw is the record's own internal error, as in the
  // pipeline's fence around Verify.
  constexpr size_t kGroup = 16;
  auto fenced = [](const Record& record, VerificationResult* out, auto&& work) {
    try {
      work();
    } catch (const std::exception& e) {
      *out = VerificationResult::InternalError(record.source, std::string("internal error: ") + e.what());
    } catch (...) {
      *out = VerificationResult::InternalError(record.source, "internal error");
    }
  };
  const size_t first = results->size();
  if (first == 0) results->reserve(records.size());  // appending calls grow as vectors do
  for (size_t i = 0; i < records.size(); ++i) results->push_back(VerificationResult());
  // Each made afresh in place for its record. With kept readings, the credential
  // keeps its strings' and vectors' allocations from the slot's last record: a
  // kept reading is decoded into it in full (DecodeCachedReading assigns every
  // field) and a record read afresh starts from an empty one (ReadRecord). Without,
  // moving it in and out would cost more than the allocations it keeps.
  const bool keep_credentials = options_.reading_cache != nullptr;
  std::array<std::optional<Work>, kGroup> group;
  for (size_t at = 0; at < records.size(); at += kGroup) {
    const size_t n = std::min(kGroup, records.size() - at);
    for (size_t i = 0; i < n; ++i) {
      VerificationResult* out = &(*results)[first + at + i];
      if (keep_credentials && group[i]) {
        checks::ParsedCredential kept = std::move(group[i]->rd.cred);
        group[i].emplace(out).rd.cred = std::move(kept);
        group[i]->used_credential = true;
      } else {
        group[i].emplace(out);
      }
      Work& w = *group[i];
      bool done = true;  // stays so when ReadRecord throws: *out holds the internal error
      fenced(records[at + i], out, [&] { done = ReadRecord(records[at + i], nullptr, &w); });
      w.done = done;
    }
    for (size_t i = 0; i < n; ++i) {
      Work& w = *group[i];
      if (w.done) continue;
      VerificationResult* out = &(*results)[first + at + i];
      fenced(records[at + i], out, [&] { JudgeRecord(nullptr, &w); });
    }
  }
}

const VerifierOptions& Verifier::SealOptions(const Holder* holder, const Work& w) const {
  return !holder                                          ? (w.challenged ? *w.challenged : options_)
         : w.sd_jwt && !w.rd.env.sd.kb_jwt.empty() ? holder->challenged
                                                           : shared_->enclosed_options;
}

bool Verifier::ReadRecord(const Record& record, const Holder* holder, Work* w) const {
  VerificationResult& r = w->r;
  Reading& rd = w->rd;
  r.source_ = record.source;
  const bool revocation_configured = options_.status_index || options_.status_lists;
  if (!revocation_configured) {
    r.Set(CheckId::kRevocation, Skipped("not_configured", "revocation checking is not configured"));
  }
  if (!checks::AccreditationConfigured(options_)) {
    r.Set(CheckId::kAccreditation, Skipped("not_configured", "accreditation checking is not configured"));
  }
  if (auto f = Unreadable(record, options_.max_record_bytes)) {
    r.Set(CheckId::kFormat, {Outcome::kFail, f->code, f->message});
    r.SkipUnset(record.error.code.empty() ? "the record was not parsed" : "the record could not be read");
    return true;
  }

  internal::Parsers& p = ParsersFor(options_);
  // A record on its own that answers no challenge may have a reading kept from an
  // earlier run (VerifierOptions::reading_cache).
  const ReadingCache* cache = holder || !record.audience.empty() || !record.nonce.empty() ||
                                      !options_.audience.empty() || !options_.nonce.empty() || options_.with_claims
                                  ? nullptr
                                  : options_.reading_cache.get();
  std::string digest;
  if (cache) digest = Sha256(record.data);
  const bool from_cache = cache && ReadFromCache(*cache, record.source, digest, options_.at, &rd);
  std::optional<internal::object> payload;  // parsed by ReadPresentation, read by the format check
  if (!from_cache) {
    if (w->used_credential) rd.cred = checks::ParsedCredential();
    internal::OpenEnvelope(record.data, p, &rd.env);  // the reader's line: parsed in place
    if (!holder) {
      checks::ParsedPresentation presentation;
      CheckResult format;
      if (checks::ReadPresentation(rd.env, p, &presentation, &format, &payload)) {
        r = VerifyPresentation(record, rd.env, presentation, std::move(format));
        return true;
      }
    }
  }
  // The record's own challenge, for an SD-JWT's key binding JWT. In a presentation,
  // an SD-JWT that brings a key binding JWT answers the presentation's challenge
  // with it; one without is bound to the presentation's key below (cnf).
  if (!holder && (!record.audience.empty() || !record.nonce.empty())) {
    w->challenged = WithChallenge(options_, record);
  }
  w->sd_jwt = rd.env.kind == internal::Envelope::Kind::kSdJwt;
  if (!from_cache) {
    checks::SealContext seal_context = SealContext(SealOptions(holder, *w));
    if (holder) seal_context.budget = holder->budget;
    // An SD-JWT's key binding is judged against its holder's challenge and age.
    checks::VerdictWindow window;
    if (cache && !w->sd_jwt) seal_context.window = &window;
    // Nothing has parsed into p.payload since ReadPresentation.
    ReadOpened(p, seal_context, options_.profile, &rd, payload ? &*payload : nullptr);
    if (!options_.explain_passes) {
      // Nor kept: a kept reading read back is as short as one read afresh.
      if (rd.format.outcome == Outcome::kPass) rd.format.message.clear();
      if (rd.seal.outcome == Outcome::kPass) rd.seal.message.clear();
    }
    if (seal_context.window && !window.varies) KeepInCache(*cache, record.source, digest, rd, window);
  }
  if (options_.status_index && !rd.cred.credential.id.empty()) {
    options_.status_index->Prefetch(rd.cred.credential.id);  // looked up in JudgeRecord
  }
  if (options_.status_lists && rd.cred.present) checks::PrefetchStatusEntries(rd.cred, shared_->list_resolver());
  return false;
}

void Verifier::JudgeRecord(const Holder* holder, Work* w) const {
  VerificationResult& r = w->r;
  Reading& rd = w->rd;
  const bool sd_jwt = w->sd_jwt;
  const VerifierOptions& seal_options = SealOptions(holder, *w);
  const bool revocation_configured = options_.status_index || options_.status_lists;
  const bool accreditation_configured = checks::AccreditationConfigured(options_);
  r.Set(CheckId::kFormat, std::move(rd.format));
  if (!rd.seal.code.empty()) r.Set(CheckId::kSeal, std::move(rd.seal));
  r.seal_level_ = std::move(rd.seal_level);
  r.seal_details_ = std::move(rd.seal_details);
  if (options_.with_claims && rd.env.kind == internal::Envelope::Kind::kSdJwt && rd.env.problem.ok() &&
      rd.format.outcome == Outcome::kPass) {
    r.claims_json_ = rd.env.payload;  // the disclosures in place
  }
  const checks::ParsedCredential& cred = rd.cred;
  if (cred.present && r.check(CheckId::kFormat).outcome == Outcome::kPass) {
    // The three checks are independent; revocation comes last, so that the status
    // lookup announced above has had time to fetch.
    if (accreditation_configured) {
      // Like status: a record whose seal failed never makes the verifier fetch.
      r.Set(CheckId::kAccreditation,
            r.check(CheckId::kSeal).outcome == Outcome::kPass
                ? checks::CheckAccreditation(cred, options_, shared_->accreditations.get())
                : Skipped("not_checked", "not checked: accreditation is looked up only for a credential whose seal passed"));
    }
    r.Set(CheckId::kValidity, checks::CheckValidity(cred, options_.at, options_.clock_skew_seconds, options_.explain_passes));
    if (revocation_configured) {
      // Status is looked up only for a sealed credential: a forged or unsigned
      // record never makes the verifier fetch or decode anything on its behalf.
      r.Set(CheckId::kRevocation,
            r.check(CheckId::kSeal).outcome == Outcome::kPass
                ? checks::CheckRevocation(cred, options_, shared_->list_resolver())
                : Skipped("not_checked", "not checked: status is looked up only for a credential whose seal passed"));
    }
  }
  // Holder binding, once the other checks are known: a credential handed in by
  // someone other than its subject is still reported with its status.
  if (cred.present && options_.holder_binding != HolderBinding::kOff &&
      r.check(CheckId::kSeal).outcome == Outcome::kPass) {
    CheckResult& seal = r.checks_[static_cast<int>(CheckId::kSeal)];
    Finding b;
    std::string note;
    if (holder) {
      b = checks::CheckHolderBinding(cred.credential.subject_ids, holder->presentation, holder->proven);
      if (b.ok() && sd_jwt && rd.env.sd.kb_jwt.empty() && !cred.holder_jwk.empty()) {
        b = checks::CheckKeyHolder(cred.holder_jwk, holder->key_thumbprint, holder->proven);
        if (b.ok()) note = "; bound to the presentation's key (cnf.jwk)";
      }
      if (b.ok() && note.empty() && checks::NamesDidSubject(cred.credential.subject_ids)) {
        note = "; held by its subject, the presentation's holder";
      }
    } else if (!sd_jwt && (!seal_options.audience.empty() || !seal_options.nonce.empty()) &&
               checks::NamesDidSubject(cred.credential.subject_ids)) {
      // Asked for a challenge, the verifier wants proof of who hands a credential in:
      // one made out to a DID proves it only inside its subject's presentation.
      b = {"holder_not_proven", "the credential names its subject by DID (" + cred.credential.subject_ids.front() +
                                    ") but came alone, not in a presentation answering this verifier's challenge"};
    }
    // (A pass left unexplained, VerifierOptions::explain_passes, has no message to add to.)
    if (b.ok()) {
      if (!seal.message.empty()) seal.message += note;
    } else if (options_.holder_binding == HolderBinding::kRequire) {
      seal = {Outcome::kFail, b.code,
              seal.message.empty() ? b.message : b.message + " (the issuer's seal itself verified: " + seal.message + ")"};
      r.seal_level_.clear();
      r.seal_details_ = {};
    } else {
      seal.message += (seal.message.empty() ? "" : "; ") + std::string("warning (--holder-binding warn): ") + b.message;
    }
  }
  if (cred.present) {
    // The checks are done with the reading: its strings move into the result.
    Credential& c = rd.cred.credential;
    r.id_ = std::move(c.id);
    r.issuer_ = std::move(c.issuer);
    r.subject_ = std::move(c.labels.subject_name.empty() ? c.subject_id : c.labels.subject_name);
    r.title_ = std::move(c.labels.title);
    r.awarding_body_ = std::move(c.labels.awarding_body);
    r.issued_ = c.issued ? c.issued : cred.iat ? cred.iat : cred.nbf;
    r.valid_until_ = c.valid_until ? c.valid_until : cred.exp;
  }
  r.SkipUnset("not checked: an earlier problem prevents it");
}

// A presentation's own checks: format (what it is and holds), seal (its holder's
// proof and the verifier's challenge), validity (its JWT dates); it has no status
// or accreditation of its own. Then each enclosed credential, as a record.
VerificationResult Verifier::VerifyPresentation(const Record& record, internal::Envelope& env,
                                                checks::ParsedPresentation& presentation, CheckResult format) const {
  VerificationResult r;
  r.kind_ = ResultKind::kPresentation;
  r.source_ = record.source;
  r.id_ = presentation.id;
  r.holder_ = presentation.holder;
  r.subject_ = presentation.holder.substr(0, 200);
  r.issued_ = presentation.as_sealed.iat;
  r.valid_until_ = presentation.as_sealed.exp;
  const bool format_ok = format.outcome == Outcome::kPass;
  r.Set(CheckId::kFormat, std::move(format));
  env.presentation = true;
  std::string key_thumbprint;
  if (env.sealable) {
    checks::SealContext holder_context = SealContext(shared_->holder_options);
    holder_context.authentication = true;
    checks::SealResult sealed = checks::CheckSeal(env, presentation.as_sealed, holder_context);
    CheckResult seal = std::move(sealed.check);
    key_thumbprint = std::move(sealed.key_thumbprint);
    if (seal.outcome == Outcome::kPass && format_ok) {
      const std::string& audience = record.audience.empty() ? options_.audience : record.audience;
      const std::string& nonce = record.nonce.empty() ? options_.nonce : record.nonce;
      Finding c = checks::CheckChallenge(presentation, audience, nonce);
      // Asked for a challenge, the verifier waits for the answer: the holder's
      // signature is as young as an SD-JWT's key binding must be (--kb-max-age).
      const std::optional<UnixSeconds>& iat = presentation.as_sealed.iat;
      if (c.ok() && (!audience.empty() || !nonce.empty())) {
        if (!iat) {
          c = {"presentation_not_fresh", "the presentation states no time (iat, or its proof's created): how fresh its "
                                         "answer to the challenge is cannot be judged"};
        } else if (*iat < options_.at - options_.kb_max_age_seconds - options_.clock_skew_seconds) {
          c = {"presentation_not_fresh", "the presentation was made at " + FormatUtc(*iat) + ", more than " +
                                             std::to_string(options_.kb_max_age_seconds) +
                                             " s before the verification time " + FormatUtc(options_.at) +
                                             " (--kb-max-age)"};
        }
      }
      if (!c.ok()) seal = {Outcome::kFail, c.code, c.message};
    }
    if (seal.code == "not_sealed" && options_.holder_binding == HolderBinding::kOff && options_.audience.empty() &&
        options_.nonce.empty() && record.audience.empty() && record.nonce.empty()) {
      seal = Skipped("not_sealed", "the presentation carries no proof; accepted as a container (--holder-binding off)");
      r.seal_optional_ = true;
    }
    r.Set(CheckId::kSeal, std::move(seal));
  }
  r.Set(CheckId::kRevocation, NotApplicable("status"));
  r.Set(CheckId::kAccreditation, NotApplicable("accreditation"));
  if (format_ok) {
    r.Set(CheckId::kValidity, checks::CheckValidity(presentation.as_sealed, options_.at, options_.clock_skew_seconds,
                                                   options_.explain_passes));
  }
  r.SkipUnset("not checked: an earlier problem prevents it");
  if (!format_ok) return r;
  const size_t n = presentation.credentials.size();
  r.title_ = "Presentation of " + std::to_string(n) + (n == 1 ? " credential" : " credentials");
  r.credential_count_ = n;
  r.enclosed_.reserve(n);
  const bool proven = r.check(CheckId::kSeal).outcome == Outcome::kPass;
  std::optional<VerifierOptions> challenged;
  if (!record.audience.empty() || !record.nonce.empty()) challenged = WithChallenge(options_, record);
  checks::FetchBudget budget;
  const Holder holder{presentation, proven, proven ? key_thumbprint : std::string(), challenged ? *challenged : options_,
                      &budget};
  for (size_t k = 0; k < n; ++k) {
    checks::EnclosedCredential& c = presentation.credentials[k];
    Record enclosed{record.source + "#" + std::to_string(k + 1), std::move(c.data), std::move(c.problem)};
    r.enclosed_.push_back(VerifyRecord(enclosed, &holder));
  }
  return r;
}

// An IETF Status List Token (draft-ietf-oauth-status-list, JWT form): a compact
// JWS with typ statuslist+jwt whose `sub` is the URL it came from, sealed by its
// `iss` by the same issuer-binding rules as a credential, holding
// status_list {bits, lst: base64url(ZLIB(bytes)), LSB first}. False when `doc` is
// not one (the caller reads it as a status list credential).
bool Verifier::LoadTokenStatusList(const std::string& url, std::string_view doc, checks::ResolvedList* out) const {
  internal::Parsers& p = internal::ThreadParsers(options_.max_record_bytes, options_.max_json_depth);
  internal::Envelope env;
  internal::OpenEnvelope(doc, p, &env);
  if (env.kind != internal::Envelope::Kind::kCompactJws || env.signatures.empty() ||
      env.signatures[0].header.typ != "statuslist+jwt") {
    return false;
  }
  auto invalid = [&](std::string message) { out->problem = {"status_list_invalid", std::move(message)}; };
  internal::object claims;
  if (env.payload.empty() || p.document.parse(env.payload).get_object().get(claims) != simdjson::SUCCESS) {
    invalid("the status list token's payload is not a JSON object");
    return true;
  }
  auto sub = internal::StringMember(claims, "sub");
  auto iss = internal::StringMember(claims, "iss");
  internal::object list;
  uint64_t bits = 0;
  std::string_view lst;
  if (!sub || *sub != url) {
    invalid("the token's sub '" + std::string(sub.value_or("")) + "' differs from the URI it was fetched from");
    return true;
  }
  if (!iss) {
    invalid("the token names no iss: whose list it is cannot be established");
    return true;
  }
  if (claims["status_list"].get_object().get(list) != simdjson::SUCCESS ||
      list["bits"].get_uint64().get(bits) != simdjson::SUCCESS || (bits != 1 && bits != 2 && bits != 4 && bits != 8) ||
      list["lst"].get_string().get(lst) != simdjson::SUCCESS) {
    invalid("the token needs status_list with bits 1, 2, 4 or 8 and a string lst");
    return true;
  }
  checks::ParsedCredential token;
  token.present = true;
  token.credential.issuer = std::string(*iss);
  token.credential.types = {"StatusListToken"};
  for (auto [name, slot] : {std::pair{"exp", &token.exp}, std::pair{"iat", &token.iat}}) {
    internal::element e;
    if (claims[name].get(e) == simdjson::SUCCESS && !(*slot = internal::NumericDate(e))) {
      invalid(std::string("the token's ") + name + " is not a NumericDate");
      return true;
    }
  }
  auto decoded = StatusBitstring::DecodeIetf(lst, options_.max_status_list_bytes);
  if (!decoded.ok()) {
    invalid("the token's lst cannot be decoded: " + decoded.status().message());
    return true;
  }
  // The lst is decoded before the seal is judged because the seal check may reuse the
  // parser its view points into; nothing from an unsealed token is used.
  CheckResult seal = checks::CheckSeal(env, token, SealContext()).check;
  if (seal.outcome != Outcome::kPass) {
    invalid("the status list token's seal does not verify (" + seal.code + ": " + seal.message + ")");
    return true;
  }
  if (token.iat && *token.iat > options_.at + options_.clock_skew_seconds) {
    invalid("the token was issued at " + FormatUtc(*token.iat) + ", after the verification time");
    return true;
  }
  out->issuer = token.credential.issuer;  // `iss` viewed into a parser the seal check may reuse
  out->valid_until = token.exp;
  out->purposes = {"revocation", "suspension"};
  out->token_bits = static_cast<unsigned>(bits);
  out->bits = std::move(decoded).value();
  return true;
}

// A status list credential is verified like any credential (format and seal),
// then held to the list rules: its type, the URL it claims, its dates.
std::shared_ptr<checks::ResolvedList> Verifier::LoadStatusList(const std::string& url) const {
  auto out = std::make_shared<checks::ResolvedList>();
  auto invalid = [&](std::string message) {
    out->problem = {"status_list_invalid", std::move(message)};
    return out;
  };
  auto doc = options_.status_lists->Fetch(url);
  if (!doc.ok()) {
    out->problem = {"status_list_unavailable", "cannot fetch the list: " + doc.status().message()};
    return out;
  }
  Record rec{url, std::move(doc).value(), {}};
  if (auto f = Unreadable(rec, options_.max_record_bytes)) return invalid("the list credential is malformed: " + f->message);
  if (LoadTokenStatusList(url, rec.data, out.get())) {
    if (out->problem.ok()) options_.status_lists->Validated(url, rec.data);
    return out;
  }
  Reading rd;
  Read(rec.data, SealContext(), CredentialProfile::kNone, &rd);
  if (rd.format.outcome != Outcome::kPass) return invalid("the list credential is malformed: " + rd.format.message);
  const bool unsigned_ok = options_.allow_unsigned_status_lists && rd.seal.code == "not_sealed";
  if (rd.seal.outcome != Outcome::kPass && !unsigned_ok) {
    return invalid("the list credential's seal does not verify (" + rd.seal.code + ": " + rd.seal.message + ")");
  }
  const Credential& lc = rd.cred.credential;
  const auto& types = lc.types;
  if (std::find(types.begin(), types.end(), "BitstringStatusListCredential") == types.end() &&
      std::find(types.begin(), types.end(), "StatusList2021Credential") == types.end()) {
    return invalid("the document's type is not BitstringStatusListCredential or StatusList2021Credential");
  }
  if (!lc.id.empty() && lc.id != url) return invalid("the list's id '" + lc.id + "' differs from the URL it was fetched from");
  if (lc.valid_from && *lc.valid_from > options_.at + options_.clock_skew_seconds) {
    return invalid("the list is valid only from " + FormatUtc(*lc.valid_from));
  }
  out->issuer = lc.issuer;
  out->valid_until = lc.valid_until;
  checks::ReadListSubject(rd.env.payload, options_.max_status_list_bytes, out.get());
  // Only a list that passed every check may be kept by a persisting source.
  if (out->problem.ok()) options_.status_lists->Validated(url, rec.data);
  return out;
}

}  // namespace credsweep
