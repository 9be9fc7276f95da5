#include "io/sweep/sweep_files.h"

#include <cstdio>
#include <string_view>

#include "engine/json_writer.h"
#include "io/report/escaping.h"

namespace credsweep::io {
namespace {

void StringOrNull(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key);
  value.empty() ? w.Null() : w.String(value);
}

void OutcomeJson(JsonWriter& w, std::string_view key, const SweepOutcome* o) {
  w.Key(key);
  if (!o) {
    w.Null();
    return;
  }
  w.BeginObject().Member("source", o->source.str()).Member("verified", o->verified).Key("checks").BeginObject();
  for (int i = 0; i < kCheckCount; ++i) {
    w.Key(CheckName(static_cast<CheckId>(i))).BeginObject();
    w.Member("result", OutcomeName(o->outcomes[i])).Member("code", o->code(static_cast<CheckId>(i))).EndObject();
  }
  w.EndObject().Key("valid_until");
  o->valid_until ? w.String(FormatUtc(*o->valid_until)) : w.Null();
  w.EndObject();
}

// A Prometheus label value: backslash, double quote and newline escaped.
std::string LabelValue(std::string_view s) {
  std::string out;
  for (char c : CleanText(s, false)) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

class Metrics {
 public:
  // `shard`: a sharded run's "K/N", given to every sample as label shard="K/N"
  // (so that the parts' files can sit side by side in one textfile folder).
  explicit Metrics(const std::string& shard) : shard_(shard.empty() ? "" : "shard=\"" + shard + "\"") {}
  void Family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP credsweep_sweep_";
    out_ += name;
    out_ += " ";
    out_ += help;
    out_ += "\n# TYPE credsweep_sweep_";
    out_ += name;
    out_ += " ";
    out_ += type;
    out_ += "\n";
  }
  // `labels`: already formatted (`check="seal",outcome="pass"`), or empty.
  void Sample(std::string_view name, const std::string& labels, double value) {
    char num[64];
    std::snprintf(num, sizeof num, "%.17g", value);
    out_ += "credsweep_sweep_";
    out_ += name;
    if (!labels.empty() || !shard_.empty()) {
      out_ += "{" + shard_ + (labels.empty() || shard_.empty() ? "" : ",") + labels + "}";
    }
    out_ += " ";
    out_ += num;
    out_ += "\n";
  }
  std::string& text() { return out_; }

 private:
  std::string shard_;
  std::string out_;
};

}  // namespace

std::string DiffJsonl(const SweepDiff& diff) {
  std::string out;
  for (const DiffEntry& e : diff.entries) {
    const SweepOutcome& o = e.after ? *e.after : *e.before;
    JsonWriter w(&out);
    w.BeginObject().Key("changes").BeginArray();
    for (int k = 0; k < kChangeKindCount; ++k) {
      if (e.kinds[k]) w.String(ChangeKindName(static_cast<ChangeKind>(k)));
    }
    w.EndArray().Member("key", o.key());
    StringOrNull(w, "id", o.id);
    StringOrNull(w, "issuer", o.issuer());
    w.Member("new_failure", e.new_failure()).Key("newly_failing").BeginArray();
    for (const auto& [check, code] : e.newly_failing) {
      w.BeginObject().Member("check", CheckName(check)).Member("code", code).EndObject();
    }
    w.EndArray();
    OutcomeJson(w, "before", e.before);
    OutcomeJson(w, "after", e.after);
    w.EndObject();
    out.push_back('\n');
  }
  return out;
}

std::string FailuresCsv(const std::vector<SweepOutcome>& outcomes, const SweepDiff& diff) {
  std::string out = "id,source,issuer,check,code,new\r\n";
  auto row = [&](const SweepOutcome& o, std::string_view check, std::string_view code, bool is_new) {
    AppendCsvField(o.id, true, &out);
    out.push_back(',');
    AppendCsvField(o.source.str(), true, &out);
    out.push_back(',');
    AppendCsvField(o.issuer(), true, &out);
    out.push_back(',');
    out += check;
    out.push_back(',');
    AppendCsvField(code, true, &out);
    out += is_new ? ",true\r\n" : ",false\r\n";
  };
  for (const SweepOutcome& o : outcomes) {
    if (o.verified) continue;
    const bool is_new = diff.HasNewFailure(o.key());
    bool any = false;
    for (int i = 0; i < kCheckCount; ++i) {
      if (o.outcomes[i] != Outcome::kFail) continue;
      row(o, CheckName(static_cast<CheckId>(i)), o.code(static_cast<CheckId>(i)), is_new);
      any = true;
    }
    if (!any) row(o, "", "required_check_skipped", is_new);
  }
  return out;
}

std::string SweepMetrics(const SweepRun& run) {
  Metrics m(run.shard);
  m.Family("run_id", "gauge", "Number of the last stored sweep run.");
  m.Sample("run_id", "", static_cast<double>(run.id));
  m.Family("started_timestamp_seconds", "gauge", "When the last sweep started (Unix time).");
  m.Sample("started_timestamp_seconds", "", static_cast<double>(run.started));
  m.Family("finished_timestamp_seconds", "gauge", "When the last sweep finished (Unix time).");
  m.Sample("finished_timestamp_seconds", "", static_cast<double>(run.finished));
  m.Family("exit_status", "gauge", "Exit status of the last sweep (0 nothing new, 1 --fail-on met).");
  m.Sample("exit_status", "", run.exit_status);
  m.Family("records", "gauge", "Credentials checked by the last sweep.");
  m.Sample("records", "", static_cast<double>(run.records));
  m.Family("verified", "gauge", "Credentials verified by the last sweep.");
  m.Sample("verified", "", static_cast<double>(run.verified));
  m.Family("not_verified", "gauge", "Credentials not verified by the last sweep.");
  m.Sample("not_verified", "", static_cast<double>(run.records - run.verified));
  m.Family("check_outcomes", "gauge", "Credentials per check and outcome in the last sweep.");
  for (int i = 0; i < kCheckCount; ++i) {
    for (int o = 0; o < 3; ++o) {
      m.Sample("check_outcomes",
               "check=\"" + std::string(CheckName(static_cast<CheckId>(i))) + "\",outcome=\"" +
                   std::string(OutcomeName(static_cast<Outcome>(o))) + "\"",
               static_cast<double>(run.outcomes[i][o]));
    }
  }
  m.Family("failures", "gauge", "Failed checks per check and code in the last sweep.");
  for (const auto& [key, n] : run.failure_codes) {
    size_t colon = key.find(':');
    m.Sample("failures",
             "check=\"" + LabelValue(key.substr(0, colon)) + "\",code=\"" + LabelValue(key.substr(colon + 1)) + "\"",
             static_cast<double>(n));
  }
  m.Family("changes", "gauge", "Credentials per kind of change since the previous sweep.");
  for (int k = 0; k < kChangeKindCount; ++k) {
    m.Sample("changes", "change=\"" + std::string(ChangeKindName(static_cast<ChangeKind>(k))) + "\"",
             static_cast<double>(run.changes[k]));
  }
  m.Family("new_failures", "gauge", "Credentials failing in the last sweep that did not fail (or exist) in the one before.");
  m.Sample("new_failures", "", static_cast<double>(run.new_failures));
  return std::move(m.text());
}

}  // namespace credsweep::io
