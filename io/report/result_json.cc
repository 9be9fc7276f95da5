#include "io/report/result_json.h"

#include <charconv>
#include <optional>

#include "engine/json_escape.h"
#include "engine/timestamp.h"
#include "io/report/internal/formatters.h"

namespace credsweep::io {
namespace {

// The result line is laid out by hand, not through JsonWriter: its member names
// and their order are fixed (docs/output-format.md), so they go out as literals
// with their punctuation, and only values pass through escaping. This runs once
// for every record of a corpus.
class Line {
 public:
  explicit Line(std::string* out) : out_(out) {}

  // JSON text as it is: member names, punctuation, literals.
  Line& Raw(std::string_view json) {
    out_->append(json);
    return *this;
  }
  // A string value, quoted and escaped.
  Line& Str(std::string_view s) {
    if (s.size() <= 128 && IsPlainJsonText(s)) {
      out_->push_back('"');
      out_->append(s);
      out_->push_back('"');
    } else {
      AppendJsonString(s, out_);
    }
    return *this;
  }
  Line& StrOrNull(std::string_view s) { return s.empty() ? Raw("null") : Str(s); }
  Line& TimeOrNull(const std::optional<UnixSeconds>& t) {
    if (!t) return Raw("null");
    char text[kUtcTextSize];
    return Str(std::string_view(text, FormatUtcInto(*t, text)));
  }
  Line& UInt(uint64_t v) {
    char text[24];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, v);
    out_->append(text, end);
    return *this;
  }

 private:
  std::string* out_;
};

class JsonlFormatter : public ResultFormatter {
 public:
  void Add(ReportRow&& row, std::string* out) override {
    AppendResultJson(row.result, row.verified, out, row.duplicate_of);
  }
  void Finish(std::string*) override {}
};

}  // namespace

void AppendResultJson(const VerificationResult& r, bool verified, std::string* out, std::string_view duplicate_of) {
  Line l(out);
  l.Raw("{\"source\":").Str(r.source()).Raw(",\"kind\":").Str(ResultKindName(r.kind()));
  l.Raw(",\"id\":").StrOrNull(r.id()).Raw(",\"issuer\":").StrOrNull(r.issuer());
  l.Raw(verified ? ",\"verified\":true" : ",\"verified\":false");
  if (r.kind() == ResultKind::kPresentation) {
    l.Raw(",\"holder\":").StrOrNull(r.holder());
    l.Raw(",\"credentials\":{\"count\":").UInt(r.credential_count());
    l.Raw(",\"verified\":").UInt(r.credentials_verified()).Raw("}");
  }
  l.Raw(",\"subject\":").StrOrNull(r.subject()).Raw(",\"title\":").StrOrNull(r.title());
  l.Raw(",\"awarding_body\":").StrOrNull(r.awarding_body());
  l.Raw(",\"issued\":").TimeOrNull(r.issued()).Raw(",\"valid_until\":").TimeOrNull(r.valid_until());
  l.Raw(",\"duplicate_of\":").StrOrNull(duplicate_of);
  l.Raw(",\"checks\":{");
  for (int i = 0; i < kCheckCount; ++i) {
    auto id = static_cast<CheckId>(i);
    const CheckResult& c = r.check(id);
    if (i > 0) l.Raw(",");
    l.Str(CheckName(id)).Raw(":{\"result\":").Str(OutcomeName(c.outcome));
    l.Raw(",\"code\":").Str(c.code).Raw(",\"message\":").Str(c.message);
    if (id == CheckId::kSeal && !r.seal_level().empty()) {
      l.Raw(",\"level\":").Str(r.seal_level());
      const SealDetails& d = r.seal_details();
      if (d.signing_time) {
        l.Raw(",\"signing_time\":").TimeOrNull(d.signing_time);
        l.Raw(",\"signing_time_basis\":").Str(d.time_basis);
        if (!d.time_authority.empty()) l.Raw(",\"timestamp_authority\":").Str(d.time_authority);
      }
      if (!d.certificate_status.empty()) {
        l.Raw(",\"certificate_status\":").Str(d.certificate_status);
        l.Raw(",\"certificate_status_source\":").Str(d.certificate_status_source);
        if (!d.certificate_status_origin.empty()) {
          l.Raw(",\"certificate_status_origin\":").Str(d.certificate_status_origin);
        }
      }
    }
    l.Raw("}");
  }
  l.Raw("}");
  if (!r.claims_json().empty()) l.Raw(",\"claims\":").Raw(r.claims_json());
  l.Raw("}\n");
}

namespace internal {

std::unique_ptr<ResultFormatter> MakeJsonlFormatter() { return std::make_unique<JsonlFormatter>(); }

}  // namespace internal
}  // namespace credsweep::io
