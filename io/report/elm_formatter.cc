// --format elm: each result as the ELM VerificationCheck nodes Europass tools
// exchange (the shape of EDCI's VerificationCheck: id, type, dcType,
// verificationStatus, subject, description), one JSON object per record and line.
#include <array>

#include "engine/encoding.h"
#include "engine/json_writer.h"
#include "engine/sha256.h"
#include "io/report/internal/formatters.h"

namespace credsweep::io::internal {
namespace {

constexpr std::string_view kContext = "http://data.europa.eu/snb/model/context/edc-ap";
constexpr std::string_view kCheckScheme = "http://data.europa.eu/snb/verification/25831c2";
constexpr std::string_view kStatusScheme = "http://data.europa.eu/snb/verification-status/25831c2";

struct Concept {
  std::string_view id, label;
};

// In CheckId order.
constexpr std::array<Concept, kCheckCount> kCheckTypes{{
    {"http://data.europa.eu/snb/verification/2f5b89b96f", "Format"},
    {"http://data.europa.eu/snb/verification/f9c2016fe9", "Seal"},
    {"http://data.europa.eu/snb/verification/271aef9eb4", "Revocation"},
    {"http://data.europa.eu/snb/verification/e2bbc86a28", "Accreditation"},
    {"http://data.europa.eu/snb/verification/94d828f160", "Validity"},
}};

Concept Status(Outcome o) {
  switch (o) {
    case Outcome::kPass: return {"http://data.europa.eu/snb/verification-status/9895008394", "OK"};
    case Outcome::kFail: return {"http://data.europa.eu/snb/verification-status/9d26eb9a37", "Error"};
    case Outcome::kSkipped: break;
  }
  return {"http://data.europa.eu/snb/verification-status/641f0c5e5d", "Skipped"};
}

void WriteConcept(JsonWriter& w, std::string_view key, Concept c, std::string_view scheme) {
  w.Key(key).BeginObject().Member("id", c.id).Member("type", "Concept");
  w.Key("inScheme").BeginObject().Member("id", scheme).Member("type", "ConceptScheme").EndObject();
  w.Key("prefLabel").BeginObject().Member("en", c.label).EndObject();
  w.EndObject();
}

// A name-based UUID (RFC 9562 version 8, from SHA-256): the same run time,
// source and check give the same id, so a report written twice says the same.
std::string CheckNodeId(std::string_view checked_at, std::string_view source, std::string_view check) {
  std::string name = std::string(checked_at) + '\n' + std::string(check) + '\n';
  std::string hex = HexEncode(Sha256(name, source).substr(0, 16));
  hex[12] = '8';                                       // version
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // variant 10xx
  return "urn:epass:verificationCheck:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
         "-" + hex.substr(16, 4) + "-" + hex.substr(20);
}

class ElmFormatter : public ResultFormatter {
 public:
  explicit ElmFormatter(std::string checked_at) : checked_at_(std::move(checked_at)) {}

  void Add(ReportRow&& row, std::string* out) override {
    const VerificationResult& r = row.result;
    JsonWriter w(out);
    w.BeginObject().Member("@context", kContext).Member("source", r.source());
    w.Key("credential");
    r.id().empty() ? w.Null() : w.String(r.id());
    w.Member("verified", row.verified).Key("duplicate_of");
    row.duplicate_of.empty() ? w.Null() : w.String(row.duplicate_of);
    w.Key("verificationCheck").BeginArray();
    for (int i = 0; i < kCheckCount; ++i) {
      auto id = static_cast<CheckId>(i);
      const CheckResult& c = r.check(id);
      w.BeginObject().Member("id", CheckNodeId(checked_at_, r.source(), CheckName(id))).Member("type", "VerificationCheck");
      WriteConcept(w, "dcType", kCheckTypes[i], kCheckScheme);
      WriteConcept(w, "verificationStatus", Status(c.outcome), kStatusScheme);
      if (!r.id().empty()) w.Member("subject", r.id());
      w.Key("description").BeginObject().Member("en", c.code + ": " + c.message).EndObject();
      w.EndObject();
    }
    w.EndArray().EndObject();
    out->push_back('\n');
  }
  void Finish(std::string*) override {}

 private:
  std::string checked_at_;
};

}  // namespace

std::unique_ptr<ResultFormatter> MakeElmFormatter(const ReportOptions& options) {
  return std::make_unique<ElmFormatter>(options.checked_at);
}

}  // namespace credsweep::io::internal
