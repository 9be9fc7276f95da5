#include "io/result_writer.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include "engine/json_writer.h"

namespace credsweep::io {


void Summary::Add(const VerificationResult& r, bool ok) {
  if (r.kind() == ResultKind::kPresentation) {
    ++presentations;
    presentations_verified += ok;
    return;
  }
  ++records;
  verified += ok;
  for (int i = 0; i < kCheckCount; ++i) {
    const auto& c = r.check(static_cast<CheckId>(i));
    ++outcomes[i][static_cast<int>(c.outcome)];
    if (c.outcome == Outcome::kFail) {
      ++failure_codes[std::string(CheckName(static_cast<CheckId>(i))) + ":" + c.code];
    }
  }
}

std::string Summary::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Member("records", uint64_t{records}).Member("verified", uint64_t{verified});
  w.Member("not_verified", uint64_t{records - verified});
  w.Key("presentations").BeginObject().Member("count", uint64_t{presentations});
  w.Member("verified", uint64_t{presentations_verified}).EndObject();
  w.Key("checks").BeginObject();
  for (int i = 0; i < kCheckCount; ++i) {
    w.Key(CheckName(static_cast<CheckId>(i))).BeginObject();
    for (int o = 0; o < 3; ++o) w.Member(OutcomeName(static_cast<Outcome>(o)), uint64_t{outcomes[i][o]});
    w.EndObject();
  }
  w.EndObject().Key("failures").BeginObject();
  for (const auto& [code, n] : failure_codes) w.Member(code, uint64_t{n});
  w.EndObject().Key("warnings").BeginArray();
  for (const auto& warning : warnings) w.String(warning);
  w.EndArray();
  w.Key("elapsed_seconds").Double(elapsed_seconds, 3);
  w.Key("credentials_per_second").Double(elapsed_seconds > 0 ? records / elapsed_seconds : 0.0, 1);
  w.Member("peak_rss_kb", int64_t{peak_rss_kb});
  // Every file is listed: the list is what an auditor checks nothing was missed by.
  w.Key("skipped_files").BeginArray();
  for (const auto& f : skipped_files) w.BeginObject().Member("path", f.path).Member("reason", f.reason).EndObject();
  w.EndArray();
  if (!shard.empty()) {
    w.Key("shard").BeginObject().Member("part", shard).Member("records_in_other_parts", uint64_t{outside_shard});
    w.EndObject();
  }
  w.Key("interrupted");
  if (interrupted.empty()) {
    w.Null();
  } else {
    w.String(interrupted);
  }
  w.EndObject();
  return out + "\n";
}

std::string Summary::ToText() const {
  char line[256];
  std::snprintf(line, sizeof line, "%zu records: %zu verified, %zu not verified\n", records,
                verified, records - verified);
  std::string out = line;
  if (presentations > 0) {
    std::snprintf(line, sizeof line, "  %zu presentations (their credentials counted above): %zu verified, %zu not verified\n",
                  presentations, presentations_verified, presentations - presentations_verified);
    out += line;
  }
  if (!shard.empty()) {
    out += "  shard " + shard + ": " + std::to_string(outside_shard) + " record(s) of the other shards not verified\n";
  }
  if (!interrupted.empty()) {
    out += "  INTERRUPTED by " + interrupted + ": the records after these were not read\n";
  }
  for (const auto& w : warnings) out += "  WARNING: " + w + "\n";
  if (!skipped_files.empty()) {
    std::map<std::string, size_t> by_reason;
    for (const auto& f : skipped_files) ++by_reason[f.reason];
    out += "  skipped " + std::to_string(skipped_files.size()) + " file(s) in input folders:";
    for (const auto& [reason, n] : by_reason) out += " " + std::to_string(n) + " " + reason + ";";
    out.back() = '\n';
  }
  for (int i = 0; i < kCheckCount; ++i) {
    std::snprintf(line, sizeof line, "  %-14s pass %-9zu fail %-9zu skipped %zu\n",
                  std::string(CheckName(static_cast<CheckId>(i))).c_str(),
                  outcomes[i][static_cast<int>(Outcome::kPass)],
                  outcomes[i][static_cast<int>(Outcome::kFail)],
                  outcomes[i][static_cast<int>(Outcome::kSkipped)]);
    out += line;
  }
  if (!failure_codes.empty()) {
    out += "  failures:";
    for (const auto& [code, n] : failure_codes) out += " " + code + "=" + std::to_string(n);
    out += "\n";
  }
  std::snprintf(line, sizeof line, "  %.3f s, %.0f credentials/s, peak RSS %ld MB\n",
                elapsed_seconds, elapsed_seconds > 0 ? records / elapsed_seconds : 0.0,
                peak_rss_kb / 1024);
  return out + line;
}

Result<std::unique_ptr<ResultWriter>> ResultWriter::Open(const std::string& path, const ReportOptions& options) {
  auto file = OutputFile::Create(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<ResultWriter>(new ResultWriter(std::move(file).value(), options));
}

ResultWriter::~ResultWriter() = default;

Status ResultWriter::Write(VerificationResult&& r, bool verified) {
  // A presentation's own id is no credential's: it neither marks nor is marked.
  std::string duplicate_of(r.kind() == ResultKind::kPresentation ? std::string_view() : duplicates_.See(r.id(), r.source()));
  formatter_->Add({std::move(r), verified, std::move(duplicate_of)}, &buffer_);
  return buffer_.size() >= (1 << 16) ? Flush() : Status::Ok();
}

Status ResultWriter::Flush() {
  Status s = file_->Write(buffer_);
  buffer_.clear();
  return s;
}

Status ResultWriter::Close() {
  if (!file_) return Status::Ok();
  formatter_->Finish(&buffer_);
  Status s = Flush();
  if (s.ok()) s = file_->Commit();
  file_.reset();  // a failed file is removed, not put in place
  return s;
}

}  // namespace credsweep::io
