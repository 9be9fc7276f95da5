#include "engine/checks/presentation.h"

#include <algorithm>
#include <array>

#include "engine/data_url.h"
#include "engine/did.h"
#include "engine/encoding.h"
#include "engine/keys.h"
#include "engine/internal/credential_format.h"
#include "engine/internal/jose_header.h"

namespace credsweep::checks {
namespace {

using internal::element;
using internal::ForEachItem;
using internal::Envelope;
using internal::object;

CheckResult Fail(Finding f) { return {Outcome::kFail, std::move(f.code), std::move(f.message)}; }

// Whether `type` (a string or an array of strings) has `name`.
bool HasType(element type, std::string_view name) {
  bool found = false;
  ForEachItem(type, [&](element t) {
    std::string_view s;
    found |= t.get_string().get(s) == simdjson::SUCCESS && s == name;
    return true;
  });
  return found;
}

// Strings of a string-or-array member; false when an item is not a string.
bool ReadStrings(object o, std::string_view name, std::vector<std::string>* out) {
  element e;
  if (o[name].get(e) != simdjson::SUCCESS) return true;
  return ForEachItem(e, [&](element item) {
    std::string_view s;
    if (item.get_string().get(s) != simdjson::SUCCESS) return false;
    out->emplace_back(s);
    return true;
  });
}

std::string Cut(std::string_view s) {
  return s.size() <= 80 ? std::string(s) : std::string(s.substr(0, 80)) + "...";
}

// The credential an EnvelopedVerifiableCredential's data: URL holds.
Finding DecodeDataUrl(std::string_view url, std::string* out) {
  auto bad = [&](std::string why) -> Finding { return {"bad_enveloped_credential", std::move(why)}; };
  const std::string media = DataUrlMediaType(url);
  if (media.empty()) return bad("the enveloped credential's id '" + Cut(url) + "' is not a data: URL holding a credential");
  static constexpr std::array<std::string_view, 6> kCredentialTypes = {
      "application/vc+jwt", "application/vc+ld+jwt", "application/vc+sd-jwt",
      "application/dc+sd-jwt", "application/vc", "application/vc+ld+json"};
  if (media == "application/vc+cose" || media == "application/cose") {
    return {"unsupported_envelope", "a COSE-secured credential (" + media + ") is not verified by credsweep"};
  }
  if (std::find(kCredentialTypes.begin(), kCredentialTypes.end(), media) == kCredentialTypes.end()) {
    return bad("the enveloped credential's media type '" + Cut(media) +
               "' is not one of a credential (application/vc+jwt, vc+sd-jwt, dc+sd-jwt, vc)");
  }
  auto parsed = ParseDataUrl(url);
  if (!parsed.ok()) return bad("the enveloped credential's id '" + Cut(url) + "': " + parsed.status().message());
  *out = std::move(parsed->data);
  return {};
}

void ReadEnclosed(element e, EnclosedCredential* out) {
  std::string_view text;
  if (e.get_string().get(text) == simdjson::SUCCESS) {  // a JWT (VC 1.1 JWT presentations)
    out->data = std::string(text);
    return;
  }
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) {
    out->problem = {"not_a_credential", "an entry of verifiableCredential is neither a credential nor a JWT string"};
    return;
  }
  element type;
  if (o["type"].get(type) == simdjson::SUCCESS && HasType(type, "EnvelopedVerifiableCredential")) {
    auto id = internal::StringMember(o, "id");
    out->problem = id ? DecodeDataUrl(*id, &out->data)
                      : Finding{"bad_enveloped_credential", "an EnvelopedVerifiableCredential needs an id (a data: URL)"};
    if (!out->problem.ok()) out->data.clear();
    return;
  }
  out->data = simdjson::minify(o);  // an embedded credential, sealed by its own proof
}

// The data model version a presentation's @context names.
std::optional<std::string> Version(object pres) {
  element ctx;
  if (pres["@context"].get(ctx) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::array arr;
  if (ctx.get_array().get(arr) == simdjson::SUCCESS) {
    if (arr.size() == 0) return std::nullopt;
    ctx = arr.at(0).value_unsafe();
  }
  std::string_view first;
  if (ctx.get_string().get(first) != simdjson::SUCCESS) return std::nullopt;
  if (first == "https://www.w3.org/ns/credentials/v2") return "VC 2.0";
  if (first == "https://www.w3.org/2018/credentials/v1") return "VC 1.1";
  return std::nullopt;
}

// The members both forms share, read from the presentation object `pres` (the
// payload, or a VC 1.1 JWT's vp claim) and the JWT claims `claims` (null for a
// JSON document).
Finding ReadMembers(object pres, const object* claims, ParsedPresentation* out) {
  element holder;
  if (pres["holder"].get(holder) == simdjson::SUCCESS) {
    std::string_view h;
    object node;
    if (holder.get_string().get(h) != simdjson::SUCCESS && holder.get_object().get(node) == simdjson::SUCCESS) {
      h = internal::StringMember(node, "id").value_or("");
    }
    if (h.empty() || !internal::IsAbsoluteUri(h)) return {"bad_holder", "holder must be a URI (or an object with one as id)"};
    out->holder = std::string(h);
  }
  out->id = std::string(internal::StringMember(pres, "id").value_or(""));
  if (claims) {
    if (auto iss = internal::StringMember(*claims, "iss")) {
      if (out->holder.empty()) {
        out->holder = std::string(*iss);
      } else if (*iss != out->holder) {
        return {"jwt_claim_mismatch", "iss '" + Cut(*iss) + "' differs from holder '" + Cut(out->holder) + "'"};
      }
    }
    if (auto jti = internal::StringMember(*claims, "jti")) {
      if (out->id.empty()) {
        out->id = std::string(*jti);
      } else if (*jti != out->id) {
        return {"jwt_claim_mismatch", "jti '" + Cut(*jti) + "' differs from id '" + Cut(out->id) + "'"};
      }
    }
    // A VC-JOSE presentation is the document itself, as a credential's payload is.
    if (Finding f = ReadJwtDates(*claims, internal::HasMember(*claims, "@context"), &out->as_sealed); !f.ok()) return f;
    if (!ReadStrings(*claims, "aud", &out->audiences)) return {"bad_claim", "aud must be a string or an array of strings"};
    element nonce;
    if ((*claims)["nonce"].get(nonce) == simdjson::SUCCESS) {
      std::string_view n;
      if (nonce.get_string().get(n) != simdjson::SUCCESS) return {"bad_claim", "nonce must be a string"};
      out->nonce = std::string(n);
    }
  } else {
    object proof;
    if (pres["proof"].get_object().get(proof) == simdjson::SUCCESS) {
      if (!ReadStrings(proof, "domain", &out->audiences)) {
        return {"malformed_proof", "the proof's domain must be a string or an array of strings"};
      }
      if (auto challenge = internal::StringMember(proof, "challenge")) out->nonce = std::string(*challenge);
      // When the holder answered: its proof's created (checked by the seal check).
      if (auto created = internal::StringMember(proof, "created")) out->as_sealed.iat = ParseDateTimeStamp(*created);
    }
  }
  if (!out->holder.empty() && !internal::IsAbsoluteUri(out->holder)) {
    return {"bad_holder", "the holder '" + Cut(out->holder) + "' is not a URI"};
  }
  element vcs;
  if (pres["verifiableCredential"].get(vcs) == simdjson::SUCCESS) {
    size_t n = 0;
    ForEachItem(vcs, [&](element) { return ++n, true; });
    if (n > kMaxEnclosedCredentials) {
      return {"too_many_credentials", "the presentation encloses " + std::to_string(n) + " credentials, over the limit of " +
                                          std::to_string(kMaxEnclosedCredentials)};
    }
    out->credentials.reserve(n);
    ForEachItem(vcs, [&](element e) {
      ReadEnclosed(e, &out->credentials.emplace_back());
      return true;
    });
  }
  return {};
}

}  // namespace

bool ReadPresentation(const Envelope& env, internal::Parsers& p, ParsedPresentation* out, CheckResult* format,
                      std::optional<object>* payload) {
  const bool jws = env.kind == Envelope::Kind::kCompactJws;
  if (!jws && env.kind != Envelope::Kind::kJsonDocument) return false;
  const std::string typ = jws && !env.signatures.empty() ? env.signatures[0].header.typ : std::string();
  const bool vp_typ = internal::IsPresentationMediaType(typ);
  if (!env.problem.ok()) {
    if (!vp_typ) return false;
    *format = Fail(env.problem);
    return true;
  }
  // Parsed once: what is not a presentation is a credential, whose format check
  // reads the same parse (*payload).
  object claims;
  auto err = p.document.parse_into_document(p.payload, env.payload).get_object().get(claims);
  if (err != simdjson::SUCCESS) {
    if (!vp_typ) return false;
    *format = Fail(err == simdjson::INCORRECT_TYPE ? Finding{"not_a_credential", "JWS payload is not a JSON object"}
                                                   : internal::JsonError(err, "JWS payload"));
    return true;
  }
  if (payload) *payload = claims;
  object pres = claims;
  const bool vc_jose = internal::HasMember(claims, "@context");
  element type;
  if (vc_jose) {
    const bool vp = claims["type"].get(type) == simdjson::SUCCESS && HasType(type, "VerifiablePresentation");
    if (!vp || HasType(type, "VerifiableCredential")) {
      if (!vp_typ) return false;
      *format = Fail({"bad_type", "typ '" + typ + "' names a presentation, but type does not include VerifiablePresentation"});
      return true;
    }
  } else if (!jws || internal::HasMember(claims, "vc") || claims["vp"].get_object().get(pres) != simdjson::SUCCESS) {
    if (!vp_typ) return false;
    *format = Fail({"not_a_credential", "typ '" + typ + "', but the payload is neither a VC-JOSE presentation nor JWT claims with a vp object"});
    return true;
  }
  // It is a presentation: from here on every problem is its format finding.
  auto fail = [&](Finding f) {
    *format = Fail(std::move(f));
    return true;
  };
  Finding f = ReadMembers(pres, jws ? &claims : nullptr, out);
  ParsedCredential& sealed = out->as_sealed;
  sealed.present = !out->holder.empty();
  sealed.credential.issuer = out->holder;
  sealed.credential.id = out->id;
  sealed.credential.types = {"VerifiablePresentation"};
  if (!f.ok()) return fail(std::move(f));
  auto version = Version(pres);
  if (!version) return fail({"bad_context", "the presentation's first @context is not a VC 1.1 or 2.0 base context"});
  if (!vc_jose && (pres["type"].get(type) != simdjson::SUCCESS || !HasType(type, "VerifiablePresentation"))) {
    return fail({"bad_type", "the vp claim's type does not include VerifiablePresentation"});
  }
  if (vc_jose && jws && (internal::HasMember(claims, "vc") || internal::HasMember(claims, "vp"))) {
    return fail({"forbidden_claims", "a VC-JOSE presentation must not also carry vc or vp claims"});
  }
  if (jws && !vp_typ && vc_jose && !typ.empty() && typ != "JWT" && typ != "jwt") {
    return fail({"bad_media_type", "typ '" + typ + "' is not a presentation media type (vp+jwt)"});
  }
  if (jws && !vp_typ && !vc_jose && typ.find("vc+") != std::string::npos) {
    return fail({"bad_media_type", "typ '" + typ + "' names a credential, but the payload is a presentation"});
  }
  if (auto dup = internal::DuplicateMember(claims)) return fail({"duplicate_member", *dup});
  if (out->credentials.empty()) {
    return fail({"no_credentials", "the presentation holds no credentials (verifiableCredential is absent or empty)"});
  }
  std::string kind = *version + (jws && !vc_jose ? " JWT" : "") + " presentation";
  if (jws) {
    kind += typ.empty() ? "" : " (" + typ + ")";
  } else {
    kind += env.has_proof ? " (Data Integrity)" : " (unsecured)";
  }
  const size_t n = out->credentials.size();
  kind += ", " + std::to_string(n) + (n == 1 ? " credential" : " credentials");
  if (out->holder.empty()) kind += ", no holder named";
  *format = {Outcome::kPass, "ok", std::move(kind)};
  return true;
}

Finding CheckChallenge(const ParsedPresentation& pr, std::string_view audience, std::string_view nonce) {
  if (!audience.empty() && std::find(pr.audiences.begin(), pr.audiences.end(), audience) == pr.audiences.end()) {
    if (pr.audiences.empty()) {
      return {"audience_mismatch", "the presentation names no audience (aud, or its proof's domain); this verifier is '" +
                                       std::string(audience) + "'"};
    }
    std::string named;
    for (const auto& a : pr.audiences) named += (named.empty() ? "'" : ", '") + Cut(a) + "'";
    return {"audience_mismatch", "the presentation is for " + named + ", not for this verifier '" + std::string(audience) + "'"};
  }
  if (!nonce.empty() && pr.nonce != nonce) {
    return {"nonce_mismatch", pr.nonce ? "the presentation's nonce '" + Cut(*pr.nonce) + "' is not the one this verifier asked for"
                                       : "the presentation carries no nonce (nonce, or its proof's challenge)"};
  }
  return {};
}

bool NamesDidSubject(const std::vector<std::string>& subject_ids) {
  return std::any_of(subject_ids.begin(), subject_ids.end(), [](const std::string& id) { return id.starts_with("did:"); });
}

Finding CheckHolderBinding(const std::vector<std::string>& subject_ids, const ParsedPresentation& pr, bool proven) {
  for (const std::string& id : subject_ids) {
    if (!id.starts_with("did:")) continue;
    const std::string subject(DidOf(id));
    if (!proven) {
      return {"holder_mismatch", "the credential's subject is " + Cut(subject) +
                                     ", and the presentation's own proof did not pass: nothing shows its subject handed it in"};
    }
    if (pr.holder.empty() || DidOf(pr.holder) != subject) {
      return {"holder_mismatch", "the credential's subject is " + Cut(subject) + ", but the presentation was made by " +
                                     (pr.holder.empty() ? std::string("a holder it does not name") : Cut(pr.holder))};
    }
  }
  return {};
}

Finding CheckKeyHolder(std::string_view cnf_jwk, std::string_view presentation_key_thumbprint, bool proven) {
  auto key = PublicKey::FromJwk(cnf_jwk);
  if (!key.ok()) return {"holder_mismatch", "the SD-JWT's holder key (cnf.jwk) is not a usable key: " + key.status().message()};
  if (!proven) {
    return {"holder_mismatch", "the SD-JWT is bound to a holder key (cnf.jwk) and brings no key binding JWT, and the "
                               "presentation's own proof did not pass: nothing shows its holder handed it in"};
  }
  if ((*key)->thumbprint() != presentation_key_thumbprint) {
    return {"holder_mismatch", "the SD-JWT is bound to holder key " + (*key)->thumbprint() +
                                   " (cnf.jwk) and brings no key binding JWT, but the presentation was signed by key " +
                                   std::string(presentation_key_thumbprint)};
  }
  return {};
}

}  // namespace credsweep::checks
