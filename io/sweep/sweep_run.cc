#include "io/sweep/sweep_run.h"

#include <simdjson.h>

#include "engine/json_writer.h"

namespace credsweep::io {
namespace {

constexpr std::array<std::string_view, kChangeKindCount> kChangeNames = {
    "new", "vanished", "newly_failing", "newly_revoked", "newly_suspended", "newly_expired", "expiring", "recovered"};

void WriteTime(JsonWriter& w, std::string_view key, UnixSeconds t) { w.Member(key, FormatUtc(t)); }

// Reading back: every field is required; a missing or mistyped one is damage.
class Reader {
 public:
  explicit Reader(simdjson::dom::object o) : o_(o) {}
  bool ok() const { return ok_; }
  uint64_t UInt(const char* key) {
    uint64_t v = 0;
    if (o_[key].get_uint64().get(v) != simdjson::SUCCESS) ok_ = false;
    return v;
  }
  int64_t Int(const char* key) {
    int64_t v = 0;
    if (o_[key].get_int64().get(v) != simdjson::SUCCESS) ok_ = false;
    return v;
  }
  std::string String(const char* key) {
    std::string_view v;
    if (o_[key].get_string().get(v) != simdjson::SUCCESS) ok_ = false;
    return std::string(v);
  }
  UnixSeconds Time(const char* key) {
    auto t = ParseDateTimeStamp(String(key));
    if (!t) ok_ = false;
    return t.value_or(0);
  }
  simdjson::dom::object Object(const char* key) {
    simdjson::dom::object v;
    if (o_[key].get_object().get(v) != simdjson::SUCCESS) ok_ = false;
    return v;
  }
  simdjson::dom::array Array(const char* key) {
    simdjson::dom::array v;
    if (o_[key].get_array().get(v) != simdjson::SUCCESS) ok_ = false;
    return v;
  }
  simdjson::dom::element Element(const char* key) {
    simdjson::dom::element v;
    if (o_[key].get(v) != simdjson::SUCCESS) ok_ = false;
    return v;
  }
  void Fail() { ok_ = false; }

 private:
  simdjson::dom::object o_;
  bool ok_ = true;
};

// "checks", "failures", "issuers", "changes" and "new_failures".
void ParseCounts(Reader& r, SweepRun* out) {
  SweepRun& run = *out;
  simdjson::dom::object checks = r.Object("checks");
  if (r.ok()) {
    for (int i = 0; i < kCheckCount; ++i) {
      simdjson::dom::object c;
      if (checks[CheckName(static_cast<CheckId>(i))].get_object().get(c) != simdjson::SUCCESS) {
        r.Fail();
        break;
      }
      Reader cr(c);
      for (int o = 0; o < 3; ++o) run.outcomes[i][o] = cr.UInt(std::string(OutcomeName(static_cast<Outcome>(o))).c_str());
      if (!cr.ok()) r.Fail();
    }
  }
  if (simdjson::dom::object failures = r.Object("failures"); r.ok()) {
    for (auto [key, value] : failures) {
      uint64_t n = 0;
      if (value.get_uint64().get(n) != simdjson::SUCCESS) r.Fail();
      run.failure_codes[std::string(key)] = n;
    }
  }
  if (simdjson::dom::object issuers = r.Object("issuers"); r.ok()) {
    for (auto [key, value] : issuers) {
      simdjson::dom::object o;
      if (value.get_object().get(o) != simdjson::SUCCESS) {
        r.Fail();
        break;
      }
      Reader ir(o);
      run.issuers[std::string(key)] = {ir.UInt("records"), ir.UInt("verified")};
      if (!ir.ok()) r.Fail();
    }
  }
  if (simdjson::dom::object changes = r.Object("changes"); r.ok()) {
    Reader cr(changes);
    for (int k = 0; k < kChangeKindCount; ++k) run.changes[k] = cr.UInt(std::string(kChangeNames[k]).c_str());
    if (!cr.ok()) r.Fail();
  }
  run.new_failures = r.UInt("new_failures");
}

// "warnings" and "skipped_files".
void ParseLists(Reader& r, SweepRun* out) {
  SweepRun& run = *out;
  if (simdjson::dom::array warnings = r.Array("warnings"); r.ok()) {
    for (auto e : warnings) {
      std::string_view s;
      if (e.get_string().get(s) != simdjson::SUCCESS) r.Fail();
      run.warnings.emplace_back(s);
    }
  }
  if (simdjson::dom::array skipped = r.Array("skipped_files"); r.ok()) {
    for (auto e : skipped) {
      std::string_view path, reason;
      if (e["path"].get_string().get(path) != simdjson::SUCCESS ||
          e["reason"].get_string().get(reason) != simdjson::SUCCESS) {
        r.Fail();
      }
      run.skipped_files.push_back({std::string(path), std::string(reason)});
    }
  }
}

}  // namespace

std::string_view ChangeKindName(ChangeKind k) { return kChangeNames[static_cast<int>(k)]; }

void SweepRun::Add(const VerificationResult& r, bool ok) {
  ++records;
  if (ok) ++verified;
  for (int i = 0; i < kCheckCount; ++i) {
    const CheckResult& c = r.check(static_cast<CheckId>(i));
    ++outcomes[i][static_cast<int>(c.outcome)];
    if (c.outcome != Outcome::kFail) continue;
    // Built in a kept buffer and looked up without a copy: a copy only for a new code.
    thread_local std::string key;
    key.assign(CheckName(static_cast<CheckId>(i))).append(":").append(c.code);
    auto code = failure_codes.find(key);
    if (code == failure_codes.end()) code = failure_codes.emplace(key, 0).first;
    ++code->second;
  }
  const std::string_view name = r.issuer().empty() ? std::string_view(kNoIssuer) : std::string_view(r.issuer());
  auto issuer = issuers.find(name);
  if (issuer == issuers.end()) issuer = issuers.emplace(std::string(name), IssuerCounts{}).first;
  ++issuer->second.records;
  if (ok) ++issuer->second.verified;
}

std::string SweepRunToJson(const SweepRun& run) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Member("sweep_run", run.id).Key("previous_run");
  run.previous ? w.UInt(*run.previous) : w.Null();
  WriteTime(w, "started", run.started);
  WriteTime(w, "finished", run.finished);
  WriteTime(w, "at", run.at);
  w.Member("credsweep_version", run.version);
  w.Key("options").Raw(run.options_json.empty() ? "{}" : run.options_json);
  w.Member("trust_digest", run.trust_digest).Member("fail_on", run.fail_on).Key("shard");
  run.shard.empty() ? w.Null() : w.String(run.shard);
  w.Member("exit_status", run.exit_status).Member("expiring_within_days", run.expiring_within_days);
  w.Member("records", run.records).Member("verified", run.verified);
  w.Member("not_verified", run.records - run.verified).Member("records_read", run.records_read).Key("checks").BeginObject();
  for (int i = 0; i < kCheckCount; ++i) {
    w.Key(CheckName(static_cast<CheckId>(i))).BeginObject();
    for (int o = 0; o < 3; ++o) w.Member(OutcomeName(static_cast<Outcome>(o)), run.outcomes[i][o]);
    w.EndObject();
  }
  w.EndObject().Key("failures").BeginObject();
  for (const auto& [code, n] : run.failure_codes) w.Member(code, n);
  w.EndObject().Key("issuers").BeginObject();
  for (const auto& [issuer, n] : run.issuers) {
    w.Key(issuer).BeginObject().Member("records", n.records).Member("verified", n.verified);
    w.Member("not_verified", n.records - n.verified).EndObject();
  }
  w.EndObject().Key("changes").BeginObject();
  for (int k = 0; k < kChangeKindCount; ++k) w.Member(kChangeNames[k], run.changes[k]);
  w.EndObject().Member("new_failures", run.new_failures).Key("warnings").BeginArray();
  for (const auto& warning : run.warnings) w.String(warning);
  w.EndArray().Key("skipped_files").BeginArray();
  for (const auto& f : run.skipped_files) w.BeginObject().Member("path", f.path).Member("reason", f.reason).EndObject();
  w.EndArray().EndObject();
  return out + "\n";
}

Result<SweepRun> ParseSweepRun(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(json.data(), json.size()).get_object().get(root) != simdjson::SUCCESS) {
    return Corruption("a stored sweep run is not a JSON object");
  }
  Reader r(root);
  SweepRun run;
  run.id = r.UInt("sweep_run");
  if (simdjson::dom::element prev = r.Element("previous_run"); r.ok() && !prev.is_null()) {
    uint64_t p = 0;
    if (prev.get_uint64().get(p) != simdjson::SUCCESS) r.Fail();
    run.previous = p;
  }
  run.started = r.Time("started");
  run.finished = r.Time("finished");
  run.at = r.Time("at");
  run.version = r.String("credsweep_version");
  if (simdjson::dom::element options = r.Element("options"); r.ok()) run.options_json = simdjson::minify(options);
  run.trust_digest = r.String("trust_digest");
  run.fail_on = r.String("fail_on");
  if (std::string_view shard; root["shard"].get_string().get(shard) == simdjson::SUCCESS) run.shard = shard;
  run.exit_status = static_cast<int>(r.Int("exit_status"));
  run.expiring_within_days = r.Int("expiring_within_days");
  run.records = r.UInt("records");
  run.verified = r.UInt("verified");
  // Runs stored before it was kept have none.
  if (uint64_t n = 0; root["records_read"].get_uint64().get(n) == simdjson::SUCCESS) run.records_read = n;
  ParseCounts(r, &run);
  ParseLists(r, &run);
  if (!r.ok()) return Corruption("a stored sweep run is missing fields or has mistyped ones");
  return run;
}

}  // namespace credsweep::io
