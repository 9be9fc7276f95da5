#include "io/result_writer.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include "engine/json_writer.h"

namespace credsweep::io {


void Summary::Add(const VerificationResult& r, bool ok) {
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
  w.Member("not_verified", uint64_t{records - verified}).Key("checks").BeginObject();
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
  w.Member("peak_rss_kb", int64_t{peak_rss_kb}).EndObject();
  return out + "\n";
}

std::string Summary::ToText() const {
  char line[256];
  std::snprintf(line, sizeof line, "%zu records: %zu verified, %zu not verified\n", records,
                verified, records - verified);
  std::string out = line;
  for (const auto& w : warnings) out += "  WARNING: " + w + "\n";
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
  if (path == "-") return std::unique_ptr<ResultWriter>(new ResultWriter(stdout, false, options));
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return IoError("cannot write " + path + ": " + std::strerror(errno));
  return std::unique_ptr<ResultWriter>(new ResultWriter(f, true, options));
}

ResultWriter::~ResultWriter() { (void)Close(); }

Status ResultWriter::Write(VerificationResult&& r, bool verified) {
  std::string duplicate_of(duplicates_.See(r.id(), r.source()));
  formatter_->Add({std::move(r), verified, std::move(duplicate_of)}, &buffer_);
  return buffer_.size() >= (1 << 16) ? Flush() : Status::Ok();
}

Status ResultWriter::Flush() {
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), f_) != buffer_.size()) {
    return IoError(std::string("write failed: ") + std::strerror(errno));
  }
  buffer_.clear();
  return Status::Ok();
}

Status ResultWriter::Close() {
  if (!f_) return Status::Ok();
  formatter_->Finish(&buffer_);
  bool ok = buffer_.empty() || std::fwrite(buffer_.data(), 1, buffer_.size(), f_) == buffer_.size();
  buffer_.clear();
  ok = std::fflush(f_) == 0 && ok;
  if (owned_) ok = std::fclose(f_) == 0 && ok;
  f_ = nullptr;
  return ok ? Status::Ok() : IoError(std::string("write failed: ") + std::strerror(errno));
}

}  // namespace credsweep::io
