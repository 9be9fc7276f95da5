#include "io/report/result_json.h"

#include <optional>

#include "engine/json_writer.h"
#include "engine/timestamp.h"
#include "io/report/internal/formatters.h"

namespace credsweep::io {
namespace {

void StringOrNull(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key);
  value.empty() ? w.Null() : w.String(value);
}

void TimeOrNull(JsonWriter& w, std::string_view key, const std::optional<UnixSeconds>& t) {
  w.Key(key);
  char text[kUtcTextSize];
  t ? w.String(std::string_view(text, FormatUtcInto(*t, text))) : w.Null();
}

class JsonlFormatter : public ResultFormatter {
 public:
  void Add(ReportRow&& row, std::string* out) override {
    AppendResultJson(row.result, row.verified, out, row.duplicate_of);
  }
  void Finish(std::string*) override {}
};

}  // namespace

void AppendResultJson(const VerificationResult& r, bool verified, std::string* out, std::string_view duplicate_of) {
  JsonWriter w(out);
  const bool presentation = r.kind() == ResultKind::kPresentation;
  w.BeginObject().Member("source", r.source()).Member("kind", ResultKindName(r.kind()));
  StringOrNull(w, "id", r.id());
  StringOrNull(w, "issuer", r.issuer());
  w.Member("verified", verified);
  if (presentation) {
    StringOrNull(w, "holder", r.holder());
    w.Key("credentials").BeginObject();
    w.Member("count", uint64_t{r.credential_count()}).Member("verified", uint64_t{r.credentials_verified()});
    w.EndObject();
  }
  StringOrNull(w, "subject", r.subject());
  StringOrNull(w, "title", r.title());
  StringOrNull(w, "awarding_body", r.awarding_body());
  TimeOrNull(w, "issued", r.issued());
  TimeOrNull(w, "valid_until", r.valid_until());
  StringOrNull(w, "duplicate_of", duplicate_of);
  w.Key("checks").BeginObject();
  for (int i = 0; i < kCheckCount; ++i) {
    auto id = static_cast<CheckId>(i);
    const CheckResult& c = r.check(id);
    w.Key(CheckName(id)).BeginObject();
    w.Member("result", OutcomeName(c.outcome)).Member("code", c.code).Member("message", c.message);
    if (id == CheckId::kSeal && !r.seal_level().empty()) {
      w.Member("level", r.seal_level());
      const SealDetails& d = r.seal_details();
      if (d.signing_time) {
        w.Member("signing_time", FormatUtc(*d.signing_time)).Member("signing_time_basis", d.time_basis);
        if (!d.time_authority.empty()) w.Member("timestamp_authority", d.time_authority);
      }
      if (!d.certificate_status.empty()) {
        w.Member("certificate_status", d.certificate_status)
            .Member("certificate_status_source", d.certificate_status_source);
        if (!d.certificate_status_origin.empty()) w.Member("certificate_status_origin", d.certificate_status_origin);
      }
    }
    w.EndObject();
  }
  w.EndObject();
  if (!r.claims_json().empty()) w.Key("claims").Raw(r.claims_json());
  w.EndObject();
  out->push_back('\n');
}

namespace internal {

std::unique_ptr<ResultFormatter> MakeJsonlFormatter() { return std::make_unique<JsonlFormatter>(); }

}  // namespace internal
}  // namespace credsweep::io
