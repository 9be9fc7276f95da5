#include "engine/verifier.h"

#include <algorithm>
#include <future>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "engine/did.h"
#include "engine/encoding.h"
#include "engine/internal/credential_format.h"
#include "engine/internal/jose_header.h"
#include "engine/internal/json.h"
#include "engine/internal/openssl.h"

namespace credsweep {

using internal::Finding;
using internal::JoseHeader;

// Keys resolved from DIDs, shared by all threads of one Verifier.
struct Verifier::ResolvedList {
  std::string error_code;  // empty: usable
  std::string message;
  std::string issuer;
  std::vector<std::string> purposes;
  StatusBitstring bits;
  std::optional<UnixSeconds> valid_until;
  std::map<uint32_t, std::string> messages;  // statusMessage: value -> text
};

struct Verifier::Cache {
  // Status lists: fetched and verified once per Verifier (one batch), shared by
  // all threads; a second thread asking for the same URL waits for the first.
  std::mutex lists_mu;
  std::unordered_map<std::string, std::shared_future<std::shared_ptr<const ResolvedList>>> lists;

  std::shared_mutex mu;
  std::unordered_map<std::string, PublicKeyPtr> did_keys;
  static constexpr size_t kMax = 65536;

  Result<PublicKeyPtr> Resolve(std::string_view did_url) {
    std::string k(did_url);
    {
      std::shared_lock lock(mu);
      if (auto it = did_keys.find(k); it != did_keys.end()) return it->second;
    }
    auto key = ResolveDidKey(did_url);
    if (!key.ok()) return key;
    std::unique_lock lock(mu);
    if (did_keys.size() >= kMax) did_keys.clear();
    did_keys.emplace(std::move(k), key.value());
    return key;
  }
};

namespace {

constexpr int64_t kMaxClockSkew = 86400;

struct Parsers {
  simdjson::dom::parser document;  // the record, then the payload
  simdjson::dom::parser header;    // headers and small documents
};

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

// A JWS signature as the seal check needs it, whatever the serialization.
struct SignatureParts {
  JoseHeader header;
  std::string signing_input;
  std::string signature;  // decoded
};

}  // namespace

// The state of one Verify() call.
class Verifier::Run {
 public:
  Run(const Verifier& v, const Record& rec, bool status_list_mode = false)
      : v_(v), opts_(v.options_),
        p_(ThreadParsers(opts_.max_record_bytes, opts_.max_json_depth)),
        list_mode_(status_list_mode) {
    r_.source_ = rec.source;
  }

  VerificationResult Go(const Record& rec);
  // In status-list mode: the credential JSON and model, for the list's contents.
  const std::string& payload_json() const { return payload_json_; }
  const Credential& credential() const { return cred_; }

 private:
  void Fail(CheckId c, std::string_view code, std::string msg) {
    r_.Set(c, Outcome::kFail, code, std::move(msg));
  }
  void Skip(CheckId c, std::string_view code, std::string msg) {
    r_.Set(c, Outcome::kSkipped, code, std::move(msg));
  }
  void Pass(CheckId c, std::string_view code, std::string msg) {
    r_.Set(c, Outcome::kPass, code, std::move(msg));
  }
  void SkipRest(std::string_view why);

  void UnsecuredJson(internal::object obj);
  void Compact(std::string_view jws);
  void JsonSerialization(internal::object obj);
  // Reads the (decoded) payload; returns false when it is not a JSON object.
  bool ReadPayload(std::string_view payload, bool compact, std::string_view typ_context);
  void Seal(std::vector<SignatureParts>& sigs);
  Finding SealOne(SignatureParts& s);
  Finding VerifyWith(const std::vector<PublicKeyPtr>& keys, const SignatureParts& s,
                     std::string_view via);
  void Validity();
  void Revocation();
  void CheckJwtClaims(internal::object claims);

  const Verifier& v_;
  const VerifierOptions& opts_;
  Parsers& p_;
  VerificationResult r_;
  Credential cred_;
  bool have_cred_ = false;
  std::optional<UnixSeconds> jwt_nbf_, jwt_exp_, jwt_iat_;
  std::string seal_note_;
  bool list_mode_ = false;
  std::string payload_json_;
};

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
      UnsecuredJson(obj);
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
      Revocation();
    }
  }
  SkipRest("not checked: an earlier problem prevents it");
  return std::move(r_);
}

void Verifier::Run::UnsecuredJson(internal::object obj) {
  if (internal::HasMember(obj, "proof")) {
    // Data Integrity proofs are recognised but not verified by this version.
    Fail(CheckId::kSeal, "unsupported_proof",
         "Data Integrity proofs are not supported; seal with JWS (VC-JOSE) or JAdES");
  } else {
    Fail(CheckId::kSeal, "not_sealed", "the credential carries no signature");
  }
  Finding f = internal::ReadCredential(obj, &cred_);
  have_cred_ = true;
  if (!f.ok()) {
    Fail(CheckId::kFormat, f.code, f.message);
    return;
  }
  std::string msg = cred_.version == VcVersion::kV2_0 ? "VC 2.0 credential (unsecured)"
                                                     : "VC 1.1 credential (unsecured)";
  for (const auto& w : cred_.warnings) msg += "; warning: " + w;
  Pass(CheckId::kFormat, "ok", msg);
  Validity();
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
  if (!Base64UrlDecodeInto(p64, &payload)) {
    Fail(CheckId::kFormat, "bad_base64url", "JWS payload is not base64url");
    return;
  }
  bool sig_ok = Base64UrlDecodeInto(s64, &s.signature);
  s.signing_input.assign(jws.data(), d2);
  bool media_ok = true;
  if (Finding f = internal::CheckMediaTypes(s.header, false); !f.ok()) {
    Fail(CheckId::kFormat, f.code, f.message);
    media_ok = false;
  }
  if (media_ok) ReadPayload(payload, true, s.header.typ);
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
    s.signing_input.reserve(raws[i].protected64.size() + 1 + payload_text.size());
    s.signing_input.append(raws[i].protected64).append(".").append(payload_text);
  }
  if (Finding f = internal::CheckMediaTypes(sigs[0].header, true); !f.ok()) {
    Fail(CheckId::kFormat, f.code, f.message);
  } else if (b64) {
    std::string decoded;
    if (!Base64UrlDecodeInto(payload_text, &decoded)) {
      Fail(CheckId::kFormat, "bad_base64url", "JWS payload is not base64url");
    } else {
      ReadPayload(decoded, false, sigs[0].header.typ);
    }
  } else {
    ReadPayload(payload_text, false, sigs[0].header.typ);
  }
  Seal(sigs);
  if (have_cred_ && r_.check(CheckId::kFormat).outcome == Outcome::kPass) Validity();
}

bool Verifier::Run::ReadPayload(std::string_view payload, bool compact, std::string_view typ) {
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
      if (f.ok() && compact) CheckJwtClaims(claims);
    }
  } else if (has_vc) {
    f = internal::ReadCredential(vc, &cred_);
    have_cred_ = true;
    kind = "VC 1.1 JWT";
    if (f.code == "missing_field" || f.code == "bad_issuer") {
      // VC 1.1 JWTs may leave issuer/id to iss/jti; fill from the claims.
      if (cred_.issuer.empty()) {
        if (auto iss = internal::StringMember(claims, "iss")) cred_.issuer = std::string(*iss);
      }
    }
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
  auto numeric = [&](std::string_view name) -> std::optional<UnixSeconds> {
    int64_t i;
    double d;
    if (claims[name].get_int64().get(i) == simdjson::SUCCESS) return i;
    if (claims[name].get_double().get(d) == simdjson::SUCCESS) return static_cast<UnixSeconds>(d);
    return std::nullopt;
  };
  jwt_nbf_ = numeric("nbf");
  jwt_exp_ = numeric("exp");
  jwt_iat_ = numeric("iat");
  if (internal::HasMember(claims, "@context")) return;  // VC 2.0: registered claims tolerated
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
    UnixSeconds at = h.sig_t ? *h.sig_t
                     : h.iat ? *h.iat
                     : jwt_iat_ ? *jwt_iat_
                     : (have_cred_ && cred_.valid_from) ? *cred_.valid_from
                                                        : opts_.at;
    ChainVerdict cv = opts_.anchors->Validate(h.x5c, h.xvals, at);
    using K = ChainVerdict::Kind;
    switch (cv.kind) {
      case K::kTrusted: break;
      case K::kUntrusted: return {"chain_untrusted", cv.message};
      case K::kExpired: return {"certificate_expired", cv.message};
      case K::kNotYetValid: return {"certificate_not_yet_valid", cv.message};
      case K::kKeyUsageUnfit: return {"key_usage_unfit", cv.message};
      case K::kBadCertificate:
        return {cv.key ? "bad_certificate" : (cv.message.find("bits") != std::string::npos
                                                  ? "key_rejected" : "bad_certificate"),
                cv.message};
    }
    Finding f = VerifyWith({cv.key}, s, "of certificate '" + cv.subject + "'");
    if (f.ok()) {
      seal_note_ += " at signing time " + FormatUtc(at);
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

namespace {

bool IsListEntryType(std::string_view t) {
  return t == "BitstringStatusListEntry" || t == "StatusList2021Entry";
}

std::string Plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

void Verifier::Run::Revocation() {
  // Outcomes by severity: a revocation anywhere wins; then suspension; then any
  // failure to establish status (never reported as revoked); then pass.
  std::string revoked, suspended, problem_code, problem, passes;
  auto note = [](std::string* into, const std::string& text) {
    if (!into->empty()) *into += "; ";
    *into += text;
  };
  bool known = false;
  if (opts_.status_index && !cred_.id.empty()) {
    auto rec = opts_.status_index->Lookup(cred_.id);
    if (!rec.ok()) {
      problem_code = "status_index_unavailable";
      note(&problem, "status index: " + rec.status().message());
    } else if (*rec) {
      known = true;
      const StatusRecord& s = **rec;
      std::string text = "status index: " + std::string(StateName(s.state)) + " since " + FormatUtc(s.changed_at) +
                         (s.reason.empty() ? "" : " (" + s.reason + ")");
      if (s.state == CredentialState::kRevoked) note(&revoked, text);
      else if (s.state == CredentialState::kSuspended) note(&suspended, text);
      else note(&passes, text);
    }
  }
  size_t unsupported = 0;
  for (const StatusEntry& e : cred_.status_entries) {
    if (!IsListEntryType(e.type)) {
      ++unsupported;
      continue;
    }
    if (!opts_.status_lists) continue;
    known = true;
    std::string where = "status list " + e.list_url + " [" + e.index_text + "] (" + e.purpose + ")";
    auto fail = [&](const char* code, const std::string& text) {
      if (problem_code.empty() || problem_code == "status_list_unavailable") problem_code = code;
      note(&problem, where + ": " + text);
    };
    if (e.list_url.empty() || !e.index || e.size == 0 || e.size > 32) {
      fail("status_entry_invalid", "the entry needs statusListCredential, a numeric statusListIndex and statusSize 1..32");
      continue;
    }
    auto list = v_.ResolveList(e.list_url);
    if (!list->error_code.empty()) {
      fail(list->error_code.c_str(), list->message);
      continue;
    }
    if (list->issuer != cred_.issuer) {
      fail("status_list_invalid", "the list is issued by '" + list->issuer + "', not by the credential's issuer");
      continue;
    }
    if (std::find(list->purposes.begin(), list->purposes.end(), e.purpose) == list->purposes.end()) {
      fail("status_list_invalid", "the list does not serve the purpose '" + e.purpose + "'");
      continue;
    }
    if (list->valid_until && *list->valid_until < opts_.at) {
      fail("status_list_invalid", "the list expired at " + FormatUtc(*list->valid_until));
      continue;
    }
    if (list->bits.size_bits() < kMinStatusListEntries * e.size) {
      fail("status_list_invalid", "the list has " + std::to_string(list->bits.size_bits() / e.size) +
                                      " entries, fewer than the minimum of 131072");
      continue;
    }
    auto value = list->bits.Get(*e.index, e.size);
    if (!value) {
      fail("status_index_out_of_range", "index beyond the list's " +
                                            std::to_string(list->bits.size_bits() / e.size) + " entries");
      continue;
    }
    if (e.purpose == "revocation" && *value) {
      note(&revoked, where + ": revoked");
    } else if (e.purpose == "suspension" && *value) {
      note(&suspended, where + ": suspended");
    } else if (e.purpose == "message" || e.size > 1) {
      auto m = list->messages.find(*value);
      note(&passes, where + ": status " + std::to_string(*value) +
                        (m != list->messages.end() ? " (" + m->second + ")" : ""));
    } else {
      note(&passes, where + ": not set");
    }
  }
  if (!revoked.empty()) {
    Fail(CheckId::kRevocation, "revoked", revoked);
  } else if (!suspended.empty()) {
    Fail(CheckId::kRevocation, "suspended", suspended);
  } else if (!problem_code.empty()) {
    Fail(CheckId::kRevocation, problem_code, problem);
  } else if (!passes.empty()) {
    Pass(CheckId::kRevocation, "ok", passes);
  } else {
    std::string why = known ? "no usable status" : "the id is not in the status index and the credential has no status list entry";
    if (!opts_.status_lists && !cred_.status_entries.empty()) {
      why += " (" + Plural(cred_.status_entries.size(), "status entry") + " not checked: no status list source configured)";
    } else if (unsupported) {
      why += " (" + Plural(unsupported, "entry") + " of an unsupported status type)";
    }
    Skip(CheckId::kRevocation, "no_status_information", why);
  }
}

std::shared_ptr<const Verifier::ResolvedList> Verifier::ResolveList(const std::string& url) const {
  std::promise<std::shared_ptr<const ResolvedList>> promise;
  std::shared_future<std::shared_ptr<const ResolvedList>> existing;
  {
    std::lock_guard lock(cache_->lists_mu);
    auto it = cache_->lists.find(url);
    if (it != cache_->lists.end()) {
      existing = it->second;
    } else {
      cache_->lists.emplace(url, promise.get_future().share());
    }
  }
  // Another thread fetched (or is fetching) this list: wait for its result. If
  // that thread failed with an exception, get() rethrows into this record's fence.
  if (existing.valid()) return existing.get();
  auto out = std::make_shared<ResolvedList>();
  auto done = [&]() -> std::shared_ptr<const ResolvedList> {
    promise.set_value(out);
    return out;
  };
  auto doc = options_.status_lists->Fetch(url);
  if (!doc.ok()) {
    out->error_code = "status_list_unavailable";
    out->message = "cannot fetch the list: " + doc.status().message();
    return done();
  }
  Record rec;
  rec.source = url;
  rec.data = std::move(doc).value();
  Run run(*this, rec, /*status_list_mode=*/true);
  VerificationResult r = run.Go(rec);
  const CheckResult& seal = r.check(CheckId::kSeal);
  bool unsigned_ok = options_.allow_unsigned_status_lists && seal.code == "not_sealed";
  if (r.check(CheckId::kFormat).outcome != Outcome::kPass) {
    out->error_code = "status_list_invalid";
    out->message = "the list credential is malformed: " + r.check(CheckId::kFormat).message;
    return done();
  }
  if (seal.outcome != Outcome::kPass && !unsigned_ok) {
    out->error_code = "status_list_invalid";
    out->message = "the list credential's seal does not verify (" + seal.code + ": " + seal.message + ")";
    return done();
  }
  out->issuer = run.credential().issuer;
  out->valid_until = run.credential().valid_until;
  simdjson::dom::parser parser;
  internal::object doc_obj, subject;
  internal::element subj;
  if (parser.parse(run.payload_json()).get_object().get(doc_obj) != simdjson::SUCCESS ||
      doc_obj["credentialSubject"].get(subj) != simdjson::SUCCESS) {
    out->error_code = "status_list_invalid";
    out->message = "the list credential has no credentialSubject";
    return done();
  }
  if (subj.is_array()) {
    internal::element first;
    if (subj.at(0).get(first) == simdjson::SUCCESS) subj = first;
  }
  auto type = subj.is_object() ? internal::StringMember(subj.get_object().value_unsafe(), "type") : std::nullopt;
  if (!type || (*type != "BitstringStatusList" && *type != "StatusList2021")) {
    out->error_code = "status_list_invalid";
    out->message = "credentialSubject is not a BitstringStatusList or StatusList2021";
    return done();
  }
  subject = subj.get_object().value_unsafe();
  internal::element purpose;
  if (subject["statusPurpose"].get(purpose) == simdjson::SUCCESS) {
    std::string_view p;
    if (purpose.get_string().get(p) == simdjson::SUCCESS) out->purposes.emplace_back(p);
    simdjson::dom::array arr;
    if (purpose.get_array().get(arr) == simdjson::SUCCESS) {
      for (internal::element x : arr) {
        if (x.get_string().get(p) == simdjson::SUCCESS) out->purposes.emplace_back(p);
      }
    }
  }
  simdjson::dom::array messages;
  if (subject["statusMessage"].get_array().get(messages) == simdjson::SUCCESS) {
    for (internal::element m : messages) {
      std::string_view status, text;
      if (m["status"].get_string().get(status) == simdjson::SUCCESS &&
          m["message"].get_string().get(text) == simdjson::SUCCESS) {
        out->messages[static_cast<uint32_t>(std::strtoul(std::string(status).c_str(), nullptr, 16))] =
            std::string(text);
      }
    }
  }
  auto encoded = internal::StringMember(subject, "encodedList");
  if (!encoded) {
    out->error_code = "status_list_invalid";
    out->message = "the list has no encodedList";
    return done();
  }
  auto bits = StatusBitstring::Decode(*encoded, options_.max_status_list_bytes);
  if (!bits.ok()) {
    out->error_code = "status_list_invalid";
    out->message = bits.status().message();
    return done();
  }
  out->bits = std::move(bits).value();
  return done();
}

void Verifier::Run::Validity() {
  const int64_t skew = std::clamp<int64_t>(opts_.clock_skew_seconds, 0, kMaxClockSkew);
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
