#include "engine/internal/cached_reading.h"

#include "engine/coding.h"

namespace credsweep::internal {
namespace {

void PutTime(std::string* out, const std::optional<UnixSeconds>& t) {
  out->push_back(t ? 1 : 0);
  if (t) PutZigzag64(out, *t);
}
bool GetTime(std::string_view* in, std::optional<UnixSeconds>* t) {
  uint8_t has = 0;
  if (!GetByte(in, &has) || has > 1) return false;
  t->reset();
  if (!has) return true;
  int64_t v = 0;
  if (!GetZigzag64(in, &v)) return false;
  *t = v;
  return true;
}

bool GetString(std::string_view* in, std::string* s) {
  std::string_view v;
  if (!GetLengthPrefixed(in, &v)) return false;
  s->assign(v);
  return true;
}

void PutStrings(std::string* out, const std::vector<std::string>& v) {
  PutVarint64(out, v.size());
  for (const auto& s : v) PutLengthPrefixed(out, s);
}
bool GetStrings(std::string_view* in, std::vector<std::string>* v) {
  uint64_t n = 0;
  if (!GetVarint64(in, &n) || n > in->size()) return false;
  v->resize(n);
  for (auto& s : *v) {
    if (!GetString(in, &s)) return false;
  }
  return true;
}

void PutCheck(std::string* out, const CheckResult& c) {
  out->push_back(static_cast<char>(c.outcome));
  PutLengthPrefixed(out, c.code);
  PutLengthPrefixed(out, c.message);
}
bool GetCheck(std::string_view* in, CheckResult* c) {
  uint8_t outcome = 0;
  if (!GetByte(in, &outcome) || outcome > static_cast<uint8_t>(Outcome::kFail)) return false;
  c->outcome = static_cast<Outcome>(outcome);
  return GetString(in, &c->code) && GetString(in, &c->message);
}

void PutCredential(std::string* out, const Credential& c) {
  out->push_back(c.version == VcVersion::kV1_1 ? 1 : 2);
  PutLengthPrefixed(out, c.id);
  PutLengthPrefixed(out, c.issuer);
  PutStrings(out, c.types);
  PutTime(out, c.valid_from);
  PutTime(out, c.valid_until);
  PutLengthPrefixed(out, c.subject_id);
  PutStrings(out, c.subject_ids);
  PutLengthPrefixed(out, c.eidas_identifier);
  PutVarint64(out, c.issuer_identifiers.size());
  for (const auto& i : c.issuer_identifiers) {
    PutLengthPrefixed(out, i.notation);
    PutLengthPrefixed(out, i.country);
  }
  PutStrings(out, c.awarding_bodies);
  PutStrings(out, c.accreditation_ids);
  PutStrings(out, c.qualification_ids);
  PutStrings(out, c.fields);
  PutVarint64(out, c.eqf_levels.size());
  for (int level : c.eqf_levels) PutZigzag64(out, level);
  PutStrings(out, c.jurisdictions);
  PutStrings(out, c.credential_profiles);
  PutTime(out, c.issued);
  PutStrings(out, c.schema_ids);
  PutStrings(out, c.accreditation_parents);
  PutVarint64(out, c.permissions.size());
  for (const AccreditationPermission& p : c.permissions) {
    PutLengthPrefixed(out, p.schema_id);
    PutStrings(out, p.types);
    PutStrings(out, p.jurisdictions);
  }
  PutStrings(out, c.unidentified_awarding_bodies);
  PutLengthPrefixed(out, c.labels.subject_name);
  PutLengthPrefixed(out, c.labels.title);
  PutLengthPrefixed(out, c.labels.awarding_body);
  out->push_back(c.is_edc ? 1 : 0);
  PutVarint64(out, c.status_entries.size());
  for (const StatusEntry& e : c.status_entries) {
    PutLengthPrefixed(out, e.type);
    PutLengthPrefixed(out, e.purpose);
    PutLengthPrefixed(out, e.list_url);
    PutLengthPrefixed(out, e.index_text);
    out->push_back(e.index ? 1 : 0);
    if (e.index) PutVarint64(out, *e.index);
    PutVarint64(out, e.size);
  }
  PutStrings(out, c.warnings);
}

bool GetCredential(std::string_view* in, Credential* c) {
  uint8_t version = 0, edc = 0;
  uint64_t n = 0;
  if (!GetByte(in, &version) || (version != 1 && version != 2)) return false;
  c->version = version == 1 ? VcVersion::kV1_1 : VcVersion::kV2_0;
  if (!GetString(in, &c->id) || !GetString(in, &c->issuer) || !GetStrings(in, &c->types) ||
      !GetTime(in, &c->valid_from) || !GetTime(in, &c->valid_until) || !GetString(in, &c->subject_id) ||
      !GetStrings(in, &c->subject_ids) || !GetString(in, &c->eidas_identifier) || !GetVarint64(in, &n) ||
      n > in->size()) {
    return false;
  }
  c->issuer_identifiers.resize(n);
  for (auto& i : c->issuer_identifiers) {
    if (!GetString(in, &i.notation) || !GetString(in, &i.country)) return false;
  }
  if (!GetStrings(in, &c->awarding_bodies) || !GetStrings(in, &c->accreditation_ids) ||
      !GetStrings(in, &c->qualification_ids) || !GetStrings(in, &c->fields) || !GetVarint64(in, &n) ||
      n > in->size()) {
    return false;
  }
  c->eqf_levels.resize(n);
  for (int& level : c->eqf_levels) {
    int64_t v = 0;
    if (!GetZigzag64(in, &v)) return false;
    level = static_cast<int>(v);
  }
  if (!GetStrings(in, &c->jurisdictions) || !GetStrings(in, &c->credential_profiles) || !GetTime(in, &c->issued) ||
      !GetStrings(in, &c->schema_ids) || !GetStrings(in, &c->accreditation_parents) || !GetVarint64(in, &n) ||
      n > in->size()) {
    return false;
  }
  c->permissions.resize(n);
  for (AccreditationPermission& p : c->permissions) {
    if (!GetString(in, &p.schema_id) || !GetStrings(in, &p.types) || !GetStrings(in, &p.jurisdictions)) return false;
  }
  if (!GetStrings(in, &c->unidentified_awarding_bodies) || !GetString(in, &c->labels.subject_name) ||
      !GetString(in, &c->labels.title) || !GetString(in, &c->labels.awarding_body) || !GetByte(in, &edc) ||
      edc > 1 || !GetVarint64(in, &n) || n > in->size()) {
    return false;
  }
  c->is_edc = edc == 1;
  c->status_entries.resize(n);
  for (StatusEntry& e : c->status_entries) {
    uint8_t has_index = 0;
    uint64_t size = 0;
    if (!GetString(in, &e.type) || !GetString(in, &e.purpose) || !GetString(in, &e.list_url) ||
        !GetString(in, &e.index_text) || !GetByte(in, &has_index) || has_index > 1) {
      return false;
    }
    e.index.reset();
    if (has_index) {
      uint64_t index = 0;
      if (!GetVarint64(in, &index)) return false;
      e.index = index;
    }
    if (!GetVarint64(in, &size) || size > 0xffffffffu) return false;
    e.size = static_cast<unsigned>(size);
  }
  return GetStrings(in, &c->warnings);
}

}  // namespace

// Every field of a credential is in the encoding, and decoding assigns each: a kept
// reading is decoded into the credential a group slot's last record left
// (Verifier::VerifyAll), so a field left out would carry over from one record to
// the next. A new field changes these sizes (most often): put it in Put/GetCredential
// and in the test's Rich(), then update the size.
static_assert(sizeof(std::string) != 32 || sizeof(Credential) == 672);
static_assert(sizeof(std::string) != 32 || sizeof(checks::ParsedCredential) == 760);

std::string EncodeCachedReading(const CachedReadingView& r) {
  std::string out;
  out.reserve(512);
  out.push_back(static_cast<char>(kCachedReadingVersion));
  PutZigzag64(&out, r.window.from);
  PutZigzag64(&out, r.window.until);
  PutCheck(&out, r.format);
  PutCheck(&out, r.seal);
  PutLengthPrefixed(&out, r.seal_level);
  const SealDetails& d = r.seal_details;
  PutTime(&out, d.signing_time);
  PutLengthPrefixed(&out, d.time_basis);
  PutLengthPrefixed(&out, d.time_authority);
  PutLengthPrefixed(&out, d.certificate_status);
  PutLengthPrefixed(&out, d.certificate_status_source);
  PutLengthPrefixed(&out, d.certificate_status_origin);
  const checks::ParsedCredential& c = r.cred;
  out.push_back(c.present ? 1 : 0);
  PutCredential(&out, c.credential);
  PutTime(&out, c.nbf);
  PutTime(&out, c.exp);
  PutTime(&out, c.iat);
  PutLengthPrefixed(&out, c.holder_jwk);
  return out;
}

bool DecodeCachedReading(std::string_view in, const CachedReadingTarget& out) {
  uint8_t version = 0, present = 0;
  if (!GetByte(&in, &version) || version != kCachedReadingVersion) return false;
  *out.window = {};
  SealDetails& d = *out.seal_details;
  checks::ParsedCredential& c = *out.cred;
  if (!GetZigzag64(&in, &out.window->from) || !GetZigzag64(&in, &out.window->until) || !GetCheck(&in, out.format) ||
      !GetCheck(&in, out.seal) || !GetString(&in, out.seal_level) || !GetTime(&in, &d.signing_time) ||
      !GetString(&in, &d.time_basis) || !GetString(&in, &d.time_authority) ||
      !GetString(&in, &d.certificate_status) || !GetString(&in, &d.certificate_status_source) ||
      !GetString(&in, &d.certificate_status_origin) || !GetByte(&in, &present) || present > 1) {
    return false;
  }
  c.present = present == 1;
  return GetCredential(&in, &c.credential) && GetTime(&in, &c.nbf) && GetTime(&in, &c.exp) &&
         GetTime(&in, &c.iat) && GetString(&in, &c.holder_jwk) && in.empty();
}

}  // namespace credsweep::internal
