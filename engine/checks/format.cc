#include "engine/checks/format.h"

#include <optional>
#include <tuple>

#include "engine/checks/profile.h"
#include "engine/internal/credential_format.h"

namespace credsweep::checks {
namespace {

using internal::Envelope;
using internal::element;
using internal::object;

CheckResult Fail(Finding f) { return {Outcome::kFail, std::move(f.code), std::move(f.message)}; }

// The members of a JWS payload that its format check asks for by name, found in one
// pass: most are absent from most payloads (a VC-JOSE credential has no vc, vp, nbf,
// exp or iat), and a lookup by name reads every member to say so. The first of a
// repeated name counts, as a lookup by name reads.
struct JwtMembers {
  explicit JwtMembers(object claims) {
    for (auto [key, value] : claims) {
      std::optional<element>* slot = key == "@context" ? &context
                                     : key == "vc"      ? &vc
                                     : key == "vp"      ? &vp
                                     : key == "nbf"     ? &nbf
                                     : key == "exp"     ? &exp
                                     : key == "iat"     ? &iat
                                                        : nullptr;
      if (slot && !*slot) *slot = value;
    }
  }
  std::optional<element> context, vc, vp, nbf, exp, iat;
};

// ReadJwtDates over members already found.
Finding ReadDates(const JwtMembers& m, bool document, ParsedCredential* out) {
  for (auto [name, e, slot] : {std::tuple{"nbf", &m.nbf, &out->nbf}, std::tuple{"exp", &m.exp, &out->exp},
                               std::tuple{"iat", &m.iat, &out->iat}}) {
    if (!*e) continue;
    if (document && !(*e)->is_number()) continue;
    *slot = internal::NumericDate(**e);
    if (!*slot) {
      return {"bad_date", std::string(name) + " " + simdjson::minify(**e) + " is not a NumericDate between 1970 and 9999"};
    }
  }
  return {};
}

std::string WithWarnings(std::string msg, const Credential& c) {
  for (const auto& w : c.warnings) msg += "; warning: " + w;
  return msg;
}

// Registered JWT claims: NumericDates, and (VC 1.1 JWT) mirrors of the credential
// that must agree with it (VC Data Model 1.1 §6.3.1).
Finding ReadJwtClaims(object claims, const JwtMembers& m, ParsedCredential* out) {
  const bool vc_jose = m.context.has_value();
  if (Finding f = ReadDates(m, vc_jose, out); !f.ok()) return f;
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
  const JwtMembers m(claims);
  object vc;
  const bool has_vc = m.vc && m.vc->get_object().get(vc) == simdjson::SUCCESS;
  Finding f;
  std::string_view kind;
  if (m.context) {
    if (has_vc || m.vp) {
      return Fail({"forbidden_claims", "a VC-JOSE payload must not also carry vc or vp claims"});
    }
    f = internal::ReadCredential(claims, &out->credential);
    kind = out->credential.version == VcVersion::kV2_0 ? "VC 2.0" : "VC 1.1";
  } else if (has_vc) {
    internal::ClaimDefaults defaults{internal::StringMember(claims, "iss").value_or(""),
                                     internal::StringMember(claims, "jti").value_or("")};
    f = internal::ReadCredential(vc, &out->credential, defaults);
    kind = "VC 1.1 JWT";
  } else if (m.vp) {
    // A presentation is read by engine/checks/presentation.h; one that reaches here
    // is enclosed in another presentation, or not readable as one.
    return Fail({"not_a_credential", std::string(internal::kPresentationWhereCredential)});
  } else {
    return Fail({"not_a_credential", "the payload is neither a credential nor a JWT with a vc claim"});
  }
  out->present = true;
  if (f.ok()) f = ReadJwtClaims(claims, m, out);
  if (!f.ok()) return Fail(std::move(f));
  if (internal::IsPresentationMediaType(typ)) {
    return Fail({"bad_media_type", "typ '" + std::string(typ) + "' names a presentation, but the payload is a credential"});
  }
  // "VC 2.0 credential (vc+jwt)": every verified JWS credential's message, in one allocation.
  std::string msg;
  msg.reserve(kind.size() + typ.size() + 16);
  msg.append(kind).append(" credential");
  if (!typ.empty()) msg.append(" (").append(typ).push_back(')');
  return {Outcome::kPass, "ok", WithWarnings(std::move(msg), out->credential)};
}

// The text of `name` when it is a non-empty string, else "".
std::string Text(object o, std::string_view name) {
  auto v = internal::StringMember(o, name);
  return v ? std::string(v->substr(0, 200)) : std::string();
}

// An SD-JWT VC's claims, after the disclosures (SD-JWT VC draft §3.2.2): iss and vct
// required, the registered dates, the holder key, an IETF Token Status List entry.
CheckResult ReadSdJwtVc(object claims, const Envelope& env, ParsedCredential* out) {
  Credential& c = out->credential;
  const std::string disclosures = std::to_string(env.sd.disclosures) +
                                  (env.sd.disclosures == 1 ? " disclosure" : " disclosures") +
                                  (env.sd.kb_jwt.empty() ? ", no key binding JWT" : ", with a key binding JWT");
  object cnf, jwk;
  if (claims["cnf"].get_object().get(cnf) == simdjson::SUCCESS && cnf["jwk"].get_object().get(jwk) == simdjson::SUCCESS) {
    out->holder_jwk = simdjson::minify(jwk);
  }
  if (internal::HasMember(claims, "@context")) {
    // A VC Data Model credential secured with SD-JWT (VC-JOSE-COSE §3.2.1, typ
    // vc+sd-jwt): the disclosed payload is the credential itself.
    Finding f = internal::ReadCredential(claims, &c);
    out->present = true;
    if (f.ok()) f = ReadJwtClaims(claims, JwtMembers(claims), out);
    if (!f.ok()) return Fail(std::move(f));
    std::string msg = std::string(c.version == VcVersion::kV2_0 ? "VC 2.0" : "VC 1.1") + " credential (" +
                      env.signatures[0].header.typ + "), " + disclosures;
    return {Outcome::kPass, "ok", WithWarnings(std::move(msg), c)};
  }
  auto iss = internal::StringMember(claims, "iss");
  if (!iss) return Fail({"missing_field", "an SD-JWT VC needs iss (its issuer)"});
  c.issuer = std::string(*iss);
  out->present = true;
  if (c.issuer.find(':') == std::string::npos) return Fail({"bad_issuer", "iss '" + c.issuer + "' is not a URI"});
  auto vct = internal::StringMember(claims, "vct");
  if (!vct || vct->empty()) return Fail({"missing_field", "an SD-JWT VC needs vct (its type)"});
  c.types = {std::string(*vct)};
  c.id = Text(claims, "jti");
  c.subject_id = Text(claims, "sub");
  if (!c.subject_id.empty()) c.subject_ids = {c.subject_id};
  if (Finding f = ReadJwtDates(claims, false, out); !f.ok()) return Fail(std::move(f));
  c.issued = out->iat;
  // What a person reads: the holder's name, the credential's type, the issuer.
  std::string given = Text(claims, "given_name"), family = Text(claims, "family_name");
  c.labels.subject_name = !given.empty() || !family.empty()
                              ? given + (given.empty() || family.empty() ? "" : " ") + family
                              : Text(claims, "name");
  c.labels.title = c.types[0].substr(0, 200);
  c.labels.awarding_body = c.issuer.substr(0, 200);
  object status, list;
  if (claims["status"].get_object().get(status) == simdjson::SUCCESS &&
      status["status_list"].get_object().get(list) == simdjson::SUCCESS) {
    StatusEntry e;
    e.type = "TokenStatusList";
    e.purpose = "revocation";
    e.list_url = Text(list, "uri");
    uint64_t idx;
    if (list["idx"].get_uint64().get(idx) == simdjson::SUCCESS) {
      e.index = idx;
      e.index_text = std::to_string(idx);
    }
    c.status_entries.push_back(std::move(e));
  }
  std::string msg = "SD-JWT VC (" + env.signatures[0].header.typ + "), " + disclosures;
  if (internal::HasMember(claims, "vct#integrity")) msg += "; vct#integrity not checked (type metadata is not fetched)";
  return {Outcome::kPass, "ok", std::move(msg)};
}

}  // namespace

Finding ReadJwtDates(object claims, bool document, ParsedCredential* out) {
  return ReadDates(JwtMembers(claims), document, out);
}

CheckResult CheckFormat(const Envelope& env, internal::Parsers& p, ParsedCredential* out, CredentialProfile profile,
                        const object* payload) {
  if (!env.problem.ok()) return Fail(env.problem);
  if (env.payload.empty() && !env.signatures.empty() && env.signatures.front().header.detached) {
    return Fail({"not_a_credential", "the signed content is detached: the record holds no payload"});
  }
  object obj;
  simdjson::error_code err = simdjson::SUCCESS;
  if (payload) {
    obj = *payload;
  } else {
    err = p.document.parse_into_document(p.payload, env.payload).get_object().get(obj);
  }
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
  } else if (env.kind == Envelope::Kind::kSdJwt) {
    r = ReadSdJwtVc(obj, env, out);
    if (r.outcome != Outcome::kPass) return r;
  } else {
    r = ReadJwsPayload(obj, env.signatures.empty() ? "" : env.signatures[0].header.typ, out);
    if (r.outcome != Outcome::kPass) return r;
  }
  // obj is p.payload's root (parsed above, or by ReadPresentation).
  if (auto dup = internal::DuplicateMember(p.payload)) return Fail({"duplicate_member", *dup});
  if (profile != CredentialProfile::kNone) {
    // The credential itself: the document, a VC-JOSE payload, or a VC 1.1 JWT's vc claim.
    object credential = obj;
    if (env.kind != Envelope::Kind::kJsonDocument && env.kind != Envelope::Kind::kSdJwt &&
        !internal::HasMember(obj, "@context")) {
      credential = obj["vc"].get_object().value_unsafe();  // ReadJwsPayload passed: vc is an object
    }
    ApplyProfile(profile, credential, &r);
  }
  return r;
}

}  // namespace credsweep::checks
