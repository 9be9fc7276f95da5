#include "io/sweep/sweep_outcome.h"

#include "engine/coding.h"

namespace credsweep::io {
namespace {
constexpr uint8_t kVerified = 1, kHasValidUntil = 2, kHasPosition = 4;
}  // namespace

SweepOutcome MakeSweepOutcome(const VerificationResult& r, bool verified, std::string key, uint64_t position) {
  SweepOutcome o;
  o.position = position;
  o.key = std::move(key);
  o.id = r.id();
  o.source = r.source();
  o.issuer = r.issuer();
  o.verified = verified;
  for (int i = 0; i < kCheckCount; ++i) {
    const CheckResult& c = r.check(static_cast<CheckId>(i));
    o.outcomes[i] = c.outcome;
    o.codes[i] = c.code;
  }
  o.valid_until = r.valid_until();
  return o;
}

void EncodeSweepOutcome(const SweepOutcome& o, std::string* out) {
  out->push_back(
      static_cast<char>((o.verified ? kVerified : 0) | (o.valid_until ? kHasValidUntil : 0) | kHasPosition));
  PutLengthPrefixed(out, o.key);
  PutLengthPrefixed(out, o.id);
  PutLengthPrefixed(out, o.source);
  PutLengthPrefixed(out, o.issuer);
  for (int i = 0; i < kCheckCount; ++i) {
    out->push_back(static_cast<char>(o.outcomes[i]));
    PutLengthPrefixed(out, o.codes[i]);
  }
  if (o.valid_until) PutZigzag64(out, *o.valid_until);
  PutVarint64(out, o.position);
}

bool DecodeSweepOutcome(std::string_view* in, SweepOutcome* o) {
  uint8_t flags = 0;
  std::string_view key, id, source, issuer;
  if (!GetByte(in, &flags) || !GetLengthPrefixed(in, &key) || !GetLengthPrefixed(in, &id) ||
      !GetLengthPrefixed(in, &source) || !GetLengthPrefixed(in, &issuer)) {
    return false;
  }
  o->verified = flags & kVerified;
  o->key = key;
  o->id = id;
  o->source = source;
  o->issuer = issuer;
  for (int i = 0; i < kCheckCount; ++i) {
    uint8_t outcome = 0;
    std::string_view code;
    if (!GetByte(in, &outcome) || outcome > static_cast<uint8_t>(Outcome::kFail) || !GetLengthPrefixed(in, &code)) {
      return false;
    }
    o->outcomes[i] = static_cast<Outcome>(outcome);
    o->codes[i] = code;
  }
  o->valid_until.reset();
  if (flags & kHasValidUntil) {
    int64_t t = 0;
    if (!GetZigzag64(in, &t)) return false;
    o->valid_until = t;
  }
  o->position = 0;
  if ((flags & kHasPosition) && !GetVarint64(in, &o->position)) return false;
  return true;
}

}  // namespace credsweep::io
