#include "engine/verifier.h"

#include <algorithm>

#include "engine/data_integrity.h"
#include "engine/encoding.h"
#include "engine/internal/openssl.h"
#include "engine/internal/verifier_run.h"

namespace credsweep {

namespace {

constexpr int64_t kMaxClockSkew = 86400;

}  // namespace

// One set of parsers per thread, with the calling Verifier's depth limit. Sizes
// are enforced before parsing (a payload is never larger than its record), so the
// parsers keep simdjson's default capacity ceiling.
Parsers& ThreadParsers(size_t max_bytes, size_t max_depth) {
  thread_local Parsers p;
  for (auto* parser : {&p.document, &p.header}) {
    if (parser->max_depth() != max_depth) {
      if (parser->allocate(std::min<size_t>(max_bytes, 1 << 16), max_depth) != simdjson::SUCCESS) {
        throw std::bad_alloc();  // caught at the pipeline's task fence
      }
    }
  }
  return p;
}

namespace {

std::string_view Trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  // A UTF-8 byte order mark is tolerated at the start of a record.
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  return s;
}

Finding JsonError(simdjson::error_code err, std::string_view what) {
  switch (err) {
    case simdjson::DEPTH_ERROR:
      return {"too_deep", std::string(what) + " nests deeper than the configured limit"};
    case simdjson::CAPACITY:
      return {"record_too_large", std::string(what) + " exceeds the configured size limit"};
    case simdjson::UTF8_ERROR:
      return {"malformed_json", std::string(what) + " is not valid UTF-8"};
    default:
      return {"malformed_json", std::string(what) + " is not valid JSON: " + simdjson::error_message(err)};
  }
}

}  // namespace

void Verifier::Run::SkipRest(std::string_view why) {
  for (int i = 0; i < kCheckCount; ++i) {
    auto id = static_cast<CheckId>(i);
    if (r_.check(id).code.empty()) Skip(id, "not_checked", std::string(why));
  }
}

VerificationResult Verifier::Run::Go(const Record& rec) {
  if (!opts_.status_index && !opts_.status_lists) {
    Skip(CheckId::kRevocation, "not_configured", "revocation checking is not configured");
  }
  Skip(CheckId::kAccreditation, "not_configured", "accreditation checking is not configured");
  if (!rec.error_code.empty()) {
    Fail(CheckId::kFormat, rec.error_code, rec.error_message);
    SkipRest("the record could not be read");
    return std::move(r_);
  }
  if (rec.data.size() > opts_.max_record_bytes) {
    Fail(CheckId::kFormat, "record_too_large",
         "record of " + std::to_string(rec.data.size()) + " bytes exceeds the limit of " +
             std::to_string(opts_.max_record_bytes));
    SkipRest("the record was not parsed");
    return std::move(r_);
  }
  std::string_view data = Trim(rec.data);
  if (data.empty()) {
    Fail(CheckId::kFormat, "empty_record", "the record is empty");
  } else if (data.front() == '{') {
    internal::object obj;
    auto err = p_.document.parse(data.data(), data.size(), true).get_object().get(obj);
    if (err != simdjson::SUCCESS) {
      Finding f = JsonError(err, "record");
      Fail(CheckId::kFormat, f.code, f.message);
    } else if (internal::HasMember(obj, "payload") &&
               (internal::HasMember(obj, "signatures") || internal::HasMember(obj, "signature"))) {
      JsonSerialization(obj);
    } else {
      if (list_mode_) payload_json_ = std::string(data);
      UnsecuredJson(obj, data);
    }
  } else if (data.front() == '"') {
    std::string_view inner;
    auto err = p_.document.parse(data.data(), data.size(), true).get_string().get(inner);
    if (err != simdjson::SUCCESS) {
      Finding f = JsonError(err, "record");
      Fail(CheckId::kFormat, f.code, f.message);
    } else {
      std::string copy(inner);  // the next parse reuses the parser's string buffer
      Compact(Trim(copy));
    }
  } else if (data.front() == '[') {
    Fail(CheckId::kFormat, "not_a_credential", "a JSON array is not one credential record");
  } else {
    Compact(data);
  }
  if (have_cred_) {
    r_.id_ = cred_.id;
    r_.issuer_ = cred_.issuer;
    if (!list_mode_ && (opts_.status_index || opts_.status_lists) &&
        r_.check(CheckId::kFormat).outcome == Outcome::kPass) {
      // Status is looked up only for a sealed credential: a forged or unsigned
      // record never makes the verifier fetch or decode anything on its behalf.
      if (r_.check(CheckId::kSeal).outcome == Outcome::kPass) {
        Revocation();
      } else {
        Skip(CheckId::kRevocation, "not_checked", "not checked: status is looked up only for a credential whose seal passed");
      }
    }
  }
  SkipRest("not checked: an earlier problem prevents it");
  return std::move(r_);
}

void Verifier::Run::UnsecuredJson(internal::object obj, std::string_view text) {
  const bool has_proof = internal::HasMember(obj, "proof");
  Finding f = internal::ReadCredential(obj, &cred_);
  have_cred_ = true;
  if (f.ok()) {
    std::string msg = cred_.version == VcVersion::kV2_0 ? "VC 2.0 credential" : "VC 1.1 credential";
    msg += has_proof ? " (Data Integrity)" : " (unsecured)";
    for (const auto& w : cred_.warnings) msg += "; warning: " + w;
    Pass(CheckId::kFormat, "ok", msg);
  } else {
    Fail(CheckId::kFormat, f.code, f.message);
  }
  // The proof is checked on the document as it stands (its own parse: the record's
  // DOM is not needed after the format check).
  if (!has_proof) {
    Fail(CheckId::kSeal, "not_sealed", "the credential carries no signature");
  } else {
    DataIntegrityResult di = VerifyDataIntegrity(text);
    if (!di.ok()) {
      Fail(CheckId::kSeal, di.code, di.message);
    } else if (di.created && *di.created > opts_.at + Skew()) {
      Fail(CheckId::kSeal, "proof_created_in_future",
           "the proof was created " + FormatUtc(*di.created) + ", after the verification time " + FormatUtc(opts_.at));
    } else if (di.expires && *di.expires < opts_.at - Skew()) {
      Fail(CheckId::kSeal, "proof_expired",
           "the proof expired at " + FormatUtc(*di.expires) + ", before the verification time " + FormatUtc(opts_.at));
    } else if (std::string(DidOf(di.verification_method)) != cred_.issuer) {
      Fail(CheckId::kSeal, "key_not_authorized_for_issuer",
           "key " + std::string(DidOf(di.verification_method)) + " does not belong to issuer '" + cred_.issuer + "'");
    } else {
      Pass(CheckId::kSeal, "ok", di.message);
    }
  }
  if (f.ok()) Validity();
}

void Verifier::Run::Compact(std::string_view jws) {
  size_t d1 = jws.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : jws.find('.', d1 + 1);
  if (d2 == std::string_view::npos || jws.find('.', d2 + 1) != std::string_view::npos) {
    size_t dots = static_cast<size_t>(std::count(jws.begin(), jws.end(), '.'));
    Fail(CheckId::kFormat, dots == 4 ? "unsupported_envelope" : "malformed_jws",
         dots == 4 ? "JWE (encrypted) records are not supported"
                   : "not a JSON record and not a compact JWS (three base64url parts)");
    return;
  }
  std::string_view h64 = jws.substr(0, d1), p64 = jws.substr(d1 + 1, d2 - d1 - 1),
                   s64 = jws.substr(d2 + 1);
  std::vector<SignatureParts> sigs(1);
  SignatureParts& s = sigs[0];
  std::string header_json, payload;
  if (!Base64UrlDecodeInto(h64, &header_json)) {
    Fail(CheckId::kFormat, "bad_base64url", "JWS header is not base64url");
    return;
  }
  if (Finding f = internal::ReadProtectedHeader(header_json, p_.header, &s.header); !f.ok()) {
    Fail(CheckId::kFormat, f.code, f.message);
    return;
  }
  if (!s.header.b64) {
    payload = std::string(p64);  // RFC 7797: the unencoded payload is used as is
  } else if (!Base64UrlDecodeInto(p64, &payload)) {
    Fail(CheckId::kFormat, "bad_base64url", "JWS payload is not base64url");
    return;
  }
  bool sig_ok = Base64UrlDecodeInto(s64, &s.signature);
  s.signing_input = jws.substr(0, d2);  // `jws` outlives the seal check below
  bool media_ok = true;
  if (Finding f = internal::CheckMediaTypes(s.header, false); !f.ok()) {
    Fail(CheckId::kFormat, f.code, f.message);
    media_ok = false;
  }
  if (media_ok) ReadPayload(payload, s.header.typ);
  if (!sig_ok) {
    Fail(CheckId::kSeal, "signature_malformed", "JWS signature is not base64url");
  } else {
    Seal(sigs);
  }
  if (have_cred_ && r_.check(CheckId::kFormat).outcome == Outcome::kPass) Validity();
}

void Verifier::Run::JsonSerialization(internal::object obj) {
  // Copy what is needed out of the record's DOM: parsing the headers and the
  // payload reuses the parsers.
  struct RawSig {
    std::string protected64, unprotected, signature64;
  };
  std::vector<RawSig> raws;
  std::string_view payload_view;
  if (obj["payload"].get_string().get(payload_view) != simdjson::SUCCESS) {
    Fail(CheckId::kFormat, "malformed_jws", "JWS JSON payload must be a string");
    return;
  }
  std::string payload_text(payload_view);
  auto read_sig = [&raws](internal::object so) {
    RawSig raw;
    auto prot = internal::StringMember(so, "protected");
    auto sig = internal::StringMember(so, "signature");
    if (!prot || !sig) return false;
    raw.protected64 = std::string(*prot);
    raw.signature64 = std::string(*sig);
    internal::element hdr;
    if (so["header"].get(hdr) == simdjson::SUCCESS) {
      if (!hdr.is_object()) return false;
      raw.unprotected = simdjson::minify(hdr);
    }
    raws.push_back(std::move(raw));
    return true;
  };
  simdjson::dom::array arr;
  bool ok = true;
  if (obj["signatures"].get_array().get(arr) == simdjson::SUCCESS) {
    for (internal::element e : arr) {
      internal::object so;
      ok = ok && e.get_object().get(so) == simdjson::SUCCESS && read_sig(so);
    }
    ok = ok && !raws.empty();
  } else {
    ok = read_sig(obj);
  }
  if (!ok) {
    Fail(CheckId::kFormat, "malformed_jws",
         "each JWS signature needs protected and signature strings (and an object header)");
    return;
  }
  std::vector<SignatureParts> sigs(raws.size());
  bool b64 = true;
  for (size_t i = 0; i < raws.size(); ++i) {
    SignatureParts& s = sigs[i];
    std::string header_json;
    Finding f;
    if (!Base64UrlDecodeInto(raws[i].protected64, &header_json)) {
      f = {"bad_base64url", "protected header is not base64url"};
    } else if (f = internal::ReadProtectedHeader(header_json, p_.header, &s.header); f.ok() &&
               !raws[i].unprotected.empty()) {
      f = internal::ReadUnprotectedHeader(raws[i].unprotected, p_.header, &s.header);
    }
    if (f.ok() && i > 0 && s.header.b64 != b64) {
      f = {"malformed_jws", "signatures disagree on b64"};
    }
    if (!f.ok()) {
      Fail(CheckId::kFormat, f.code, f.message);
      return;
    }
    b64 = s.header.b64;
    if (!Base64UrlDecodeInto(raws[i].signature64, &s.signature)) s.signature.clear();
    s.owned_input.reserve(raws[i].protected64.size() + 1 + payload_text.size());
    s.owned_input.append(raws[i].protected64).append(".").append(payload_text);
    s.signing_input = s.owned_input;
  }
  Finding media;
  for (size_t i = 0; i < sigs.size() && media.ok(); ++i) {
    media = internal::CheckMediaTypes(sigs[i].header, true);
    if (!media.ok() && sigs.size() > 1) {
      media.message = "signature " + std::to_string(i + 1) + " of " + std::to_string(sigs.size()) + ": " + media.message;
    }
  }
  if (!media.ok()) {
    Fail(CheckId::kFormat, media.code, media.message);
  } else if (b64) {
    std::string decoded;
    if (!Base64UrlDecodeInto(payload_text, &decoded)) {
      Fail(CheckId::kFormat, "bad_base64url", "JWS payload is not base64url");
    } else {
      ReadPayload(decoded, sigs[0].header.typ);
    }
  } else {
    ReadPayload(payload_text, sigs[0].header.typ);
  }
  Seal(sigs);
  if (have_cred_ && r_.check(CheckId::kFormat).outcome == Outcome::kPass) Validity();
}

bool Verifier::Run::ReadPayload(std::string_view payload, std::string_view typ) {
  if (list_mode_) payload_json_ = std::string(payload);
  internal::object claims;
  auto err = p_.document.parse(payload.data(), payload.size(), true).get_object().get(claims);
  if (err != simdjson::SUCCESS) {
    Finding f = JsonError(err, "JWS payload");
    if (err == simdjson::INCORRECT_TYPE) f = {"not_a_credential", "JWS payload is not a JSON object"};
    Fail(CheckId::kFormat, f.code, f.message);
    return false;
  }
  internal::object vc;
  bool has_vc = claims["vc"].get_object().get(vc) == simdjson::SUCCESS;
  bool has_context = internal::HasMember(claims, "@context");
  Finding f;
  std::string kind;
  if (has_context) {
    if (has_vc || internal::HasMember(claims, "vp")) {
      f = {"forbidden_claims", "a VC-JOSE payload must not also carry vc or vp claims"};
    } else {
      f = internal::ReadCredential(claims, &cred_);
      have_cred_ = true;
      kind = cred_.version == VcVersion::kV2_0 ? "VC 2.0" : "VC 1.1";
      // exp/nbf/iat bind whatever the serialization (compact or JWS JSON).
      if (f.ok()) CheckJwtClaims(claims);
    }
  } else if (has_vc) {
    internal::ClaimDefaults defaults{internal::StringMember(claims, "iss").value_or(""),
                                     internal::StringMember(claims, "jti").value_or("")};
    f = internal::ReadCredential(vc, &cred_, defaults);
    have_cred_ = true;
    kind = "VC 1.1 JWT";
    if (f.ok()) CheckJwtClaims(claims);
  } else if (internal::HasMember(claims, "vp")) {
    f = {"unsupported_envelope", "verifiable presentations are not supported yet"};
  } else {
    f = {"not_a_credential", "the payload is neither a credential nor a JWT with a vc claim"};
  }
  if (f.ok() && r_.check(CheckId::kFormat).code.empty()) {
    std::string msg = kind + " credential" + (typ.empty() ? "" : " (" + std::string(typ) + ")");
    for (const auto& w : cred_.warnings) msg += "; warning: " + w;
    Pass(CheckId::kFormat, "ok", msg);
  } else if (!f.ok()) {
    Fail(CheckId::kFormat, f.code, f.message);
  }
  return f.ok();
}

// VC 1.1 JWT claims mirror the credential and must agree with it (VC 1.1 §6.3.1).
void Verifier::Run::CheckJwtClaims(internal::object claims) {
  const bool vc_jose = internal::HasMember(claims, "@context");
  for (auto [name, slot] : {std::pair{"nbf", &jwt_nbf_}, std::pair{"exp", &jwt_exp_},
                             std::pair{"iat", &jwt_iat_}}) {
    internal::element e;
    if (claims[name].get(e) != simdjson::SUCCESS) continue;
    // A VC-JOSE payload is the credential itself: a member that happens to share
    // a JWT claim's name but is not a number is not a JWT claim.
    if (!e.is_number() && vc_jose) continue;
    *slot = internal::NumericDate(e);
    if (!*slot) {
      Fail(CheckId::kFormat, "bad_date",
           std::string(name) + " " + simdjson::minify(e) + " is not a NumericDate between 1970 and 9999");
      return;
    }
  }
  if (vc_jose) return;  // VC 2.0: registered claims tolerated
  std::string mismatch;
  if (auto iss = internal::StringMember(claims, "iss"); iss && *iss != cred_.issuer) {
    mismatch = "iss '" + std::string(*iss) + "' differs from issuer '" + cred_.issuer + "'";
  } else if (auto jti = internal::StringMember(claims, "jti"); jti && !cred_.id.empty() && *jti != cred_.id) {
    mismatch = "jti '" + std::string(*jti) + "' differs from id '" + cred_.id + "'";
  } else if (auto sub = internal::StringMember(claims, "sub");
             sub && !cred_.subject_id.empty() && *sub != cred_.subject_id) {
    mismatch = "sub '" + std::string(*sub) + "' differs from credentialSubject.id";
  } else if (jwt_nbf_ && cred_.valid_from && *jwt_nbf_ != *cred_.valid_from) {
    mismatch = "nbf " + FormatUtc(*jwt_nbf_) + " differs from the credential's start " +
               FormatUtc(*cred_.valid_from);
  } else if (jwt_exp_ && cred_.valid_until && *jwt_exp_ != *cred_.valid_until) {
    mismatch = "exp " + FormatUtc(*jwt_exp_) + " differs from the credential's end " +
               FormatUtc(*cred_.valid_until);
  }
  if (!mismatch.empty()) Fail(CheckId::kFormat, "jwt_claim_mismatch", mismatch);
}

void Verifier::Run::Seal(std::vector<SignatureParts>& sigs) {
  for (size_t i = 0; i < sigs.size(); ++i) {
    Finding f = SealOne(sigs[i]);
    if (!f.ok()) {
      std::string where = sigs.size() > 1 ? "signature " + std::to_string(i + 1) + " of " +
                                                std::to_string(sigs.size()) + ": "
                                          : "";
      Fail(CheckId::kSeal, f.code, where + f.message);
      return;
    }
  }
  Pass(CheckId::kSeal, "ok", seal_note_);
}

Finding Verifier::Run::VerifyWith(const std::vector<PublicKeyPtr>& keys, const SignatureParts& s,
                                  std::string_view via) {
  JwsAlg alg = *s.header.alg;
  bool permitted = false, malformed = false;
  for (const auto& key : keys) {
    if (!key->Permits(alg)) continue;
    permitted = true;
    switch (key->Verify(alg, s.signing_input, s.signature)) {
      case SignatureCheck::kValid:
        seal_note_ = std::string(JwsAlgName(alg)) + " signature verified with " +
                     std::string(KeyKindName(key->kind())) + " key " + std::string(via);
        return {};
      case SignatureCheck::kMalformed: malformed = true; break;
      case SignatureCheck::kInvalid: break;
    }
  }
  if (!permitted) {
    std::string kinds;
    for (const auto& k : keys) kinds += (kinds.empty() ? "" : ", ") + std::string(KeyKindName(k->kind()));
    return {"alg_key_mismatch", "alg " + s.header.alg_name + " does not fit the " + kinds +
                                    " key " + std::string(via)};
  }
  if (malformed) {
    return {"signature_malformed", "the signature is not a well-formed " + s.header.alg_name +
                                       " signature (wrong length, or DER where JOSE wants r||s)"};
  }
  return {"signature_invalid", "the " + s.header.alg_name + " signature does not verify with key " +
                                   std::string(via)};
}

Finding Verifier::Run::SealOne(SignatureParts& s) {
  const JoseHeader& h = s.header;
  if (Finding f = internal::CheckHeaderPolicy(h); !f.ok()) return f;
  if (s.signature.empty()) return {"signature_malformed", "the signature is empty or not base64url"};

  if (!h.x5c.empty()) {
    if (h.x5t_s256 && *h.x5t_s256 != internal::Digest(internal::Hash::kSha256, h.x5c.front())) {
      return {"x5t_mismatch", "x5t#S256 does not match the x5c leaf certificate"};
    }
    if (!opts_.anchors || opts_.anchors->anchor_count() == 0) {
      return {"chain_untrusted", "x5c certificate chain present but no trust anchors are configured (--ca)"};
    }
    // The time the sealer claims (sigT, else iat); without one, validFrom when it
    // has passed, else the verification time. A claim is never proof: it may not
    // lie in the future, and it cannot rescue a certificate expired by now.
    const std::optional<UnixSeconds> claimed = h.sig_t ? h.sig_t : h.iat ? h.iat : jwt_iat_;
    if (claimed && *claimed > opts_.at + Skew()) {
      return {"signing_time_in_future", "the claimed signing time " + FormatUtc(*claimed) +
                                            " is later than the verification time " + FormatUtc(opts_.at)};
    }
    UnixSeconds at = claimed                                                        ? *claimed
                     : (have_cred_ && cred_.valid_from && *cred_.valid_from <= opts_.at) ? *cred_.valid_from
                                                                                     : opts_.at;
    ChainVerdict cv = opts_.anchors->Validate(h.x5c, h.xvals, at);
    using K = ChainVerdict::Kind;
    switch (cv.kind) {
      case K::kTrusted: break;
      case K::kUntrusted: return {"chain_untrusted", cv.message};
      case K::kExpired: return {"certificate_expired", cv.message};
      case K::kNotYetValid: return {"certificate_not_yet_valid", cv.message};
      case K::kNotForSealing: return {"certificate_not_for_sealing", cv.message};
      case K::kWeak: return {"weak_certificate", cv.message};
      case K::kBadCertificate: return {"bad_certificate", cv.message};
      case K::kKeyRejected: return {"key_rejected", cv.message};
    }
    Finding f = VerifyWith({cv.key}, s, "of certificate '" + cv.subject + "'");
    if (!f.ok()) return f;
    const bool expired_now = cv.valid_until < opts_.at - Skew();
    if (expired_now && opts_.signing_time != SigningTimePolicy::kClaimed) {
      return {"certificate_expired",
              "certificate '" + cv.valid_until_owner + "' expired at " + FormatUtc(cv.valid_until) +
                  ", before the verification time " + FormatUtc(opts_.at) + "; the seal claims " +
                  (claimed ? "to be made at " + FormatUtc(*claimed) : std::string("no signing time")) +
                  ", which no verified timestamp proves (--signing-time claimed trusts the claim)"};
    }
    {
      seal_note_ += std::string(claimed ? " at claimed signing time " : " at ") + FormatUtc(at);
      if (expired_now) {
        seal_note_ += "; certificate expired at " + FormatUtc(cv.valid_until) +
                      ", accepted on the claimed signing time (--signing-time claimed)";
      }
      if (!cv.organization.empty()) seal_note_ += "; organizationIdentifier " + cv.organization;
      if (!cred_.eidas_identifier.empty()) seal_note_ += "; issuer eIDAS identifier " + cred_.eidas_identifier;
      seal_note_ += "; issuer binding not checked (no trusted-issuer registry configured)";
    }
    return f;
  }

  // A DID URL in kid, or a relative kid under a DID issuer.
  std::string did_url;
  if (IsResolvableDid(h.kid)) {
    did_url = h.kid;
  } else if (have_cred_ && IsResolvableDid(cred_.issuer) && (h.kid.empty() || h.kid[0] == '#')) {
    did_url = cred_.issuer + h.kid;
  }
  if (!did_url.empty()) {
    auto key = v_.cache_->Resolve(did_url);
    if (!key.ok()) return {"key_not_found", "cannot resolve " + did_url + ": " + key.status().message()};
    if (!have_cred_ || std::string(DidOf(did_url)) != cred_.issuer) {
      return {"key_not_authorized_for_issuer",
              "key " + std::string(DidOf(did_url)) + " does not belong to issuer '" +
                  (have_cred_ ? cred_.issuer : std::string("(unknown)")) + "'"};
    }
    return VerifyWith({key.value()}, s, std::string(DidOf(did_url)));
  }

  std::vector<PublicKeyPtr> candidates;
  std::string via;
  if (opts_.keys && !h.kid.empty()) {
    candidates = opts_.keys->FindByKid(h.kid);
    via = "kid '" + h.kid + "'";
    if (candidates.empty()) {
      std::string why = opts_.keys->RejectionReason(h.kid);
      if (!why.empty()) return {"key_rejected", "key '" + h.kid + "' was not loaded: " + why};
    }
  } else if (opts_.keys && h.kid.empty()) {
    candidates = opts_.keys->all();  // VerifyWith tries those whose type fits the alg
    via = "from the configured JWK Sets (no kid)";
  }
  if (candidates.empty()) {
    return {"key_not_found", h.kid.empty() ? "no kid and no configured key for alg " + h.alg_name
                                           : "no configured key has kid '" + h.kid + "'"};
  }
  Finding f = VerifyWith(candidates, s, via);
  if (f.ok()) seal_note_ += "; issuer binding not checked (no trusted-issuer registry configured)";
  return f;
}

int64_t Verifier::Run::Skew() const {
  return std::clamp<int64_t>(opts_.clock_skew_seconds, 0, kMaxClockSkew);
}

void Verifier::Run::Validity() {
  const int64_t skew = Skew();
  const UnixSeconds at = opts_.at;
  auto from = cred_.valid_from, until = cred_.valid_until;
  if (jwt_nbf_ && (!from || *jwt_nbf_ > *from)) from = jwt_nbf_;
  if (jwt_exp_ && (!until || *jwt_exp_ < *until)) until = jwt_exp_;
  if (from && at + skew < *from) {
    Fail(CheckId::kValidity, "not_yet_valid", "valid from " + FormatUtc(*from) + ", checked at " + FormatUtc(at));
  } else if (until && at - skew > *until) {
    Fail(CheckId::kValidity, "expired", "expired at " + FormatUtc(*until) + ", checked at " + FormatUtc(at));
  } else {
    std::string msg = "valid at " + FormatUtc(at);
    if (from) msg += " (from " + FormatUtc(*from);
    if (until) msg += std::string(from ? ", " : " (") + "until " + FormatUtc(*until);
    if (from || until) msg += ")";
    Pass(CheckId::kValidity, "ok", msg);
  }
}

Verifier::Verifier(VerifierOptions options)
    : options_(std::move(options)), cache_(std::make_unique<Cache>()) {
  if (options_.at == 0) options_.at = NowUtc();
}

Verifier::~Verifier() = default;

VerificationResult Verifier::Verify(const Record& record) const {
  Run run(*this, record);
  return run.Go(record);
}

}  // namespace credsweep
