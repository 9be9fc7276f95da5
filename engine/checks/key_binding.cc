#include "engine/checks/key_binding.h"

#include "engine/credential_reader.h"
#include "engine/encoding.h"
#include "engine/internal/json.h"
#include "engine/keys.h"
#include "engine/sha256.h"

namespace credsweep::checks {
namespace {

Finding Invalid(std::string message) { return {"kb_invalid", "key binding JWT: " + std::move(message)}; }

}  // namespace

Finding CheckKeyBinding(const internal::Envelope& env, const ParsedCredential& cred, const VerifierOptions& o,
                        std::string* note) {
  const bool asked = !o.audience.empty() || !o.nonce.empty();
  if (env.sd.kb_jwt.empty()) {
    if (asked) {
      return {"kb_missing", "the presentation carries no key binding JWT, so it does not prove the holder answered "
                            "this verifier's request (--audience/--nonce)"};
    }
    *note = "; no key binding JWT: the holder is not proven";
    return {};
  }
  auto parts = SplitCompactJws(env.sd.kb_jwt);
  if (!parts) return Invalid("not a compact JWS");
  if (cred.holder_jwk.empty()) return Invalid("the credential names no holder key (cnf.jwk) to verify it with");
  thread_local simdjson::dom::parser parser;
  std::string header_json, payload_json, signature;
  if (!Base64UrlDecodeInto(parts->header64, &header_json) || !Base64UrlDecodeInto(parts->payload64, &payload_json) ||
      !Base64UrlDecodeInto(parts->signature64, &signature)) {
    return Invalid("a part is not base64url");
  }
  internal::object header;
  if (parser.parse(header_json).get_object().get(header) != simdjson::SUCCESS) return Invalid("header is not a JSON object");
  if (internal::StringMember(header, "typ").value_or("") != "kb+jwt") return Invalid("typ is not kb+jwt");
  const std::string alg_name(internal::StringMember(header, "alg").value_or(""));
  if (internal::HasMember(header, "crit")) return Invalid("crit is not understood in a key binding JWT");
  auto key = PublicKey::FromJwk(cred.holder_jwk);
  if (!key.ok()) return Invalid("the holder key (cnf.jwk) is not usable: " + key.status().message());
  // The algorithm comes from the key: the header's alg must be one the key permits.
  auto alg = JwsAlgFromName(alg_name);
  if (!alg || !(*key)->Permits(*alg)) {
    return Invalid("alg '" + alg_name + "' is not an algorithm of the holder key (" +
                   std::string(KeyKindName((*key)->kind())) + ")");
  }
  if ((*key)->Verify(*alg, parts->signing_input, signature) != SignatureCheck::kValid) {
    return Invalid("the signature does not verify with the holder key (cnf.jwk)");
  }
  internal::object claims;
  if (parser.parse(payload_json).get_object().get(claims) != simdjson::SUCCESS) {
    return Invalid("payload is not a JSON object");
  }
  auto sd_hash = internal::StringMember(claims, "sd_hash");
  auto aud = internal::StringMember(claims, "aud");
  auto nonce = internal::StringMember(claims, "nonce");
  internal::element iat_e;
  std::optional<int64_t> iat;
  if (claims["iat"].get(iat_e) == simdjson::SUCCESS) iat = internal::NumericDate(iat_e);
  if (!sd_hash || !aud || !nonce || !iat) return Invalid("iat (a NumericDate), aud, nonce and sd_hash are required");
  if (*sd_hash != Base64UrlEncode(Sha256(env.sd.sd_hash_input))) {
    return {"kb_sd_hash_mismatch",
            "the key binding JWT's sd_hash does not cover this presentation (the issuer JWS and the disclosures sent)"};
  }
  const int64_t skew = o.clock_skew_seconds;
  if (*iat > o.at + skew) {
    return {"kb_not_fresh", "the key binding JWT was issued at " + FormatUtc(*iat) + ", after the verification time " +
                                FormatUtc(o.at)};
  }
  if (*iat < o.at - o.kb_max_age_seconds - skew) {
    return {"kb_not_fresh", "the key binding JWT was issued at " + FormatUtc(*iat) + ", more than " +
                                std::to_string(o.kb_max_age_seconds) + " s before the verification time " +
                                FormatUtc(o.at) + " (--kb-max-age)"};
  }
  if (!o.audience.empty() && *aud != o.audience) {
    return {"audience_mismatch", "the key binding JWT is for audience '" + std::string(*aud) + "', not '" +
                                     o.audience + "' (--audience)"};
  }
  if (!o.nonce.empty() && *nonce != o.nonce) {
    return {"nonce_mismatch", "the key binding JWT answers nonce '" + std::string(*nonce) + "', not the nonce asked (--nonce)"};
  }
  *note = "; key binding: signed by the holder key (cnf.jwk) at " + FormatUtc(*iat) + " for audience '" +
          std::string(*aud) + "'" + (o.nonce.empty() ? ", nonce not compared" : ", nonce matches");
  return {};
}

}  // namespace credsweep::checks
