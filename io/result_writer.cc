#include "io/result_writer.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include "engine/json_escape.h"

namespace credsweep::io {


void AppendResultJson(const VerificationResult& r, bool verified, std::string* out) {
  out->append("{\"source\":");
  AppendJsonString(r.source(), out);
  out->append(",\"id\":");
  if (r.id().empty()) out->append("null"); else AppendJsonString(r.id(), out);
  out->append(",\"issuer\":");
  if (r.issuer().empty()) out->append("null"); else AppendJsonString(r.issuer(), out);
  out->append(verified ? ",\"verified\":true,\"checks\":{" : ",\"verified\":false,\"checks\":{");
  for (int i = 0; i < kCheckCount; ++i) {
    auto id = static_cast<CheckId>(i);
    const CheckResult& c = r.check(id);
    if (i) out->push_back(',');
    out->push_back('"');
    out->append(CheckName(id));
    out->append("\":{\"result\":\"");
    out->append(OutcomeName(c.outcome));
    out->append("\",\"code\":");
    AppendJsonString(c.code, out);
    out->append(",\"message\":");
    AppendJsonString(c.message, out);
    if (id == CheckId::kSeal && !r.seal_level().empty()) {
      out->append(",\"level\":");
      AppendJsonString(r.seal_level(), out);
    }
    out->push_back('}');
  }
  out->append("}}\n");
}

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
  std::string out = "{\"records\":" + std::to_string(records) +
                    ",\"verified\":" + std::to_string(verified) +
                    ",\"not_verified\":" + std::to_string(records - verified) + ",\"checks\":{";
  for (int i = 0; i < kCheckCount; ++i) {
    if (i) out += ',';
    out += "\"" + std::string(CheckName(static_cast<CheckId>(i))) + "\":{";
    for (int o = 0; o < 3; ++o) {
      if (o) out += ',';
      out += "\"" + std::string(OutcomeName(static_cast<Outcome>(o))) + "\":" +
             std::to_string(outcomes[i][o]);
    }
    out += '}';
  }
  out += "},\"failures\":{";
  bool first = true;
  for (const auto& [code, n] : failure_codes) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(code, &out);
    out += ":" + std::to_string(n);
  }
  out += "},\"warnings\":[";
  for (size_t i = 0; i < warnings.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(warnings[i], &out);
  }
  char tail[160];
  std::snprintf(tail, sizeof tail,
                "],\"elapsed_seconds\":%.3f,\"credentials_per_second\":%.1f,\"peak_rss_kb\":%ld}",
                elapsed_seconds, elapsed_seconds > 0 ? records / elapsed_seconds : 0.0, peak_rss_kb);
  return out + tail + "\n";
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

Result<std::unique_ptr<ResultWriter>> ResultWriter::Open(const std::string& path) {
  if (path == "-") return std::unique_ptr<ResultWriter>(new ResultWriter(stdout, false));
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return IoError("cannot write " + path + ": " + std::strerror(errno));
  return std::unique_ptr<ResultWriter>(new ResultWriter(f, true));
}

ResultWriter::~ResultWriter() { (void)Close(); }

Status ResultWriter::Write(const VerificationResult& r, bool verified) {
  AppendResultJson(r, verified, &buffer_);
  if (buffer_.size() >= (1 << 16)) {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), f_) != buffer_.size()) {
      return IoError(std::string("write failed: ") + std::strerror(errno));
    }
    buffer_.clear();
  }
  return Status::Ok();
}

Status ResultWriter::Close() {
  if (!f_) return Status::Ok();
  bool ok = buffer_.empty() || std::fwrite(buffer_.data(), 1, buffer_.size(), f_) == buffer_.size();
  buffer_.clear();
  ok = std::fflush(f_) == 0 && ok;
  if (owned_) ok = std::fclose(f_) == 0 && ok;
  f_ = nullptr;
  return ok ? Status::Ok() : IoError(std::string("write failed: ") + std::strerror(errno));
}

}  // namespace credsweep::io
