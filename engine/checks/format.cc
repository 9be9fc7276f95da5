#include "engine/checks/format.h"

#include "engine/checks/profile.h"
#include "engine/internal/credential_format.h"

namespace credsweep::checks {
namespace {

using internal::Envelope;
using internal::object;

CheckResult Fail(Finding f) { return {Outcome::kFail, std::move(f.code), std::move(f.message)}; }

std::string WithWarnings(std::string msg, const Credential& c) {
  for (const auto& w : c.warnings) msg += "; warning: " + w;
  return msg;
}

// Registered JWT claims: NumericDates, and (VC 1.1 JWT) mirrors of the credential
// that must agree with it (VC Data Model 1.1 §6.3.1).
Finding ReadJwtClaims(object claims, ParsedCredential* out) {
  const bool vc_jose = internal::HasMember(claims, "@context");
  for (auto [name, slot] : {std::pair{"nbf", &out->nbf}, std::pair{"exp", &out->exp}, std::pair{"iat", &out->iat}}) {
    internal::element e;
    if (claims[name].get(e) != simdjson::SUCCESS) continue;
    // A VC-JOSE payload is the credential itself: a member that happens to share
    // a JWT claim's name but is not a number is not a JWT claim.
    if (!e.is_number() && vc_jose) continue;
    *slot = internal::NumericDate(e);
    if (!*slot) {
      return {"bad_date", std::string(name) + " " + simdjson::minify(e) + " is not a NumericDate between 1970 and 9999"};
    }
  }
  if (vc_jose) return {};  // VC 2.0: registered claims tolerated
  const Credential& c = out->credential;
  std::string mismatch;
  if (auto iss = internal::StringMember(claims, "iss"); iss && *iss != c.issuer) {
    mismatch = "iss '" + std::string(*iss) + "' differs from issuer '" + c.issuer + "'";
  } else if (auto jti = internal::StringMember(claims, "jti"); jti && !c.id.empty() && *jti != c.id) {
    mismatch = "jti '" + std::string(*jti) + "' differs from id '" + c.id + "'";
  } else if (auto sub = internal::StringMember(claims, "sub"); sub && !c.subject_id.empty() && *sub != c.subject_id) {
    mismatch = "sub '" + std::string(*sub) + "' differs from credentialSubject.id";
  } else if (out->nbf && c.valid_from && *out->nbf != *c.valid_from) {
    mismatch = "nbf " + FormatUtc(*out->nbf) + " differs from the credential's start " + FormatUtc(*c.valid_from);
  } else if (out->exp && c.valid_until && *out->exp != *c.valid_until) {
    mismatch = "exp " + FormatUtc(*out->exp) + " differs from the credential's end " + FormatUtc(*c.valid_until);
  }
  if (!mismatch.empty()) return {"jwt_claim_mismatch", mismatch};
  return {};
}

// A JWS payload: a VC-JOSE credential, or JWT claims with a `vc` claim.
CheckResult ReadJwsPayload(object claims, std::string_view typ, ParsedCredential* out) {
  object vc;
  const bool has_vc = claims["vc"].get_object().get(vc) == simdjson::SUCCESS;
  Finding f;
  std::string kind;
  if (internal::HasMember(claims, "@context")) {
    if (has_vc || internal::HasMember(claims, "vp")) {
      return Fail({"forbidden_claims", "a VC-JOSE payload must not also carry vc or vp claims"});
    }
    f = internal::ReadCredential(claims, &out->credential);
    kind = out->credential.version == VcVersion::kV2_0 ? "VC 2.0" : "VC 1.1";
  } else if (has_vc) {
    internal::ClaimDefaults defaults{internal::StringMember(claims, "iss").value_or(""),
                                     internal::StringMember(claims, "jti").value_or("")};
    f = internal::ReadCredential(vc, &out->credential, defaults);
    kind = "VC 1.1 JWT";
  } else if (internal::HasMember(claims, "vp")) {
    return Fail({"unsupported_envelope", "verifiable presentations are not supported yet"});
  } else {
    return Fail({"not_a_credential", "the payload is neither a credential nor a JWT with a vc claim"});
  }
  out->present = true;
  if (f.ok()) f = ReadJwtClaims(claims, out);
  if (!f.ok()) return Fail(std::move(f));
  std::string msg = kind + " credential" + (typ.empty() ? "" : " (" + std::string(typ) + ")");
  return {Outcome::kPass, "ok", WithWarnings(std::move(msg), out->credential)};
}

}  // namespace

CheckResult CheckFormat(const Envelope& env, internal::Parsers& p, ParsedCredential* out, CredentialProfile profile) {
  if (!env.problem.ok()) return Fail(env.problem);
  object obj;
  auto err = p.document.parse(env.payload.data(), env.payload.size(), true).get_object().get(obj);
  if (err != simdjson::SUCCESS) {
    if (err == simdjson::INCORRECT_TYPE) return Fail({"not_a_credential", "JWS payload is not a JSON object"});
    return Fail(internal::JsonError(err, env.kind == Envelope::Kind::kJsonDocument ? "record" : "JWS payload"));
  }
  CheckResult r;
  if (env.kind == Envelope::Kind::kJsonDocument) {
    Finding f = internal::ReadCredential(obj, &out->credential);
    out->present = true;
    if (!f.ok()) return Fail(std::move(f));
    std::string msg = out->credential.version == VcVersion::kV2_0 ? "VC 2.0 credential" : "VC 1.1 credential";
    msg += env.has_proof ? " (Data Integrity)" : " (unsecured)";
    r = {Outcome::kPass, "ok", WithWarnings(std::move(msg), out->credential)};
  } else {
    r = ReadJwsPayload(obj, env.signatures.empty() ? "" : env.signatures[0].header.typ, out);
    if (r.outcome != Outcome::kPass) return r;
  }
  if (auto dup = internal::DuplicateMember(obj)) return Fail({"duplicate_member", *dup});
  if (profile != CredentialProfile::kNone) {
    // The credential itself: the document, a VC-JOSE payload, or a VC 1.1 JWT's vc claim.
    object credential = obj;
    if (env.kind != Envelope::Kind::kJsonDocument && !internal::HasMember(obj, "@context")) {
      credential = obj["vc"].get_object().value_unsafe();  // ReadJwsPayload passed: vc is an object
    }
    ApplyProfile(profile, credential, &r);
  }
  return r;
}

}  // namespace credsweep::checks
