#include "engine/internal/envelope.h"

#include <algorithm>

#include "engine/credential_reader.h"
#include "engine/encoding.h"
#include "engine/internal/sd_jwt.h"

namespace credsweep::internal {

// One set of parsers per thread, with the calling Verifier's depth limit. Sizes
// are enforced before parsing (a payload is never larger than its record), so the
// parsers keep simdjson's default capacity ceiling.
Parsers& ThreadParsers(size_t max_bytes, size_t max_depth) {
  thread_local Parsers p;
  for (auto* parser : {&p.document, &p.header}) {
    if (parser->max_depth() != max_depth) {
      p.ForgetHeaders();  // read under the other depth limit
      if (parser->allocate(std::min<size_t>(max_bytes, 1 << 16), max_depth) != simdjson::SUCCESS) {
        throw std::bad_alloc();  // caught at the pipeline's task fence
      }
    }
  }
  return p;
}

const JoseHeader* Parsers::FindHeader(std::string_view header64) const {
  for (const KeptHeader& k : kept_headers) {
    if (!k.text.empty() && k.text == header64) return &k.header;
  }
  return nullptr;
}

void Parsers::KeepHeader(std::string_view header64, const JoseHeader& header) {
  KeptHeader& k = kept_headers[next_kept_header];
  next_kept_header = (next_kept_header + 1) % kept_headers.size();
  k.text.assign(header64);
  k.header = header;
}

void Parsers::ForgetHeaders() {
  for (KeptHeader& k : kept_headers) k.text.clear();
}

std::string_view TrimRecord(std::string_view s) {
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

namespace {

// A copy with simdjson's padding after it, so that the format check's parse of a
// payload reads it where it lies (simdjson copies a std::string without the room).
void PaddedCopy(std::string_view text, std::string* out) {
  out->reserve(text.size() + simdjson::SIMDJSON_PADDING);
  out->assign(text);
}

// Base64url decoding with the same padding after the bytes.
bool PaddedDecode(std::string_view text64, std::string* out) {
  out->reserve(text64.size() / 4 * 3 + 2 + simdjson::SIMDJSON_PADDING);
  return Base64UrlDecodeInto(text64, out);
}

// An SD-JWT VC's issuer JWS names its own media type (SD-JWT VC §3.2.1; vc+sd-jwt
// is the earlier drafts' name).
Finding CheckSdJwtMediaType(const JoseHeader& h) {
  if (h.typ == "dc+sd-jwt" || h.typ == "vc+sd-jwt" || h.typ == "application/dc+sd-jwt" ||
      h.typ == "application/vc+sd-jwt") {
    return {};
  }
  return {"bad_media_type", "typ '" + h.typ + "': an SD-JWT VC's issuer JWS has typ dc+sd-jwt (or vc+sd-jwt)"};
}

void OpenCompact(std::string_view jws, Parsers& p, Envelope* env, bool sd_jwt = false) {
  env->kind = Envelope::Kind::kCompactJws;
  auto parts = SplitCompactJws(jws);
  if (!parts) {
    size_t dots = static_cast<size_t>(std::count(jws.begin(), jws.end(), '.'));
    env->problem = dots == 4 ? Finding{"unsupported_envelope", "JWE (encrypted) records are not supported"}
                             : Finding{"malformed_jws", "not a JSON record and not a compact JWS (three base64url parts)"};
    return;
  }
  env->signatures.resize(1);
  SignatureParts& s = env->signatures[0];
  if (const JoseHeader* kept = p.FindHeader(parts->header64)) {
    s.header = *kept;
  } else {
    std::string header_json;
    if (!Base64UrlDecodeInto(parts->header64, &header_json)) {
      env->problem = {"bad_base64url", "JWS header is not base64url"};
      return;
    }
    if (Finding f = ReadProtectedHeader(header_json, p.header, &s.header); !f.ok()) {
      env->problem = std::move(f);
      return;
    }
    // A JAdES header (certificates, a signing time of its own) is long and seldom
    // repeats: not kept.
    constexpr size_t kKeptHeaderChars = 512;
    if (!parts->header64.empty() && parts->header64.size() <= kKeptHeaderChars) p.KeepHeader(parts->header64, s.header);
  }
  if (!s.header.b64) {
    PaddedCopy(parts->payload64, &env->payload);  // RFC 7797: the unencoded payload as is
  } else if (!PaddedDecode(parts->payload64, &env->payload)) {
    env->problem = {"bad_base64url", "JWS payload is not base64url"};
    return;
  }
  s.signing_input = parts->signing_input;  // a view into the record
  env->sealable = true;
  if (!Base64UrlDecodeInto(parts->signature64, &s.signature)) {
    env->seal_problem = {"signature_malformed", "JWS signature is not base64url"};
  }
  if (Finding f = sd_jwt ? CheckSdJwtMediaType(s.header) : CheckMediaTypes(s.header, false); !f.ok()) {
    env->problem = std::move(f);
  }
}

// The issuer JWS opens as a compact JWS; its payload then gets the disclosed claims.
// A disclosure problem is a format problem: the issuer's seal is still judged.
void OpenSdJwt(std::string_view data, Parsers& p, Envelope* env) {
  auto parts = SplitSdJwt(data);
  OpenCompact(parts->issuer_jws, p, env, /*sd_jwt=*/true);
  env->kind = Envelope::Kind::kSdJwt;
  env->sd.disclosures = parts->disclosures.size();
  env->sd.kb_jwt = parts->kb_jwt;
  env->sd.sd_hash_input = parts->sd_hash_input;
  if (!env->problem.ok()) return;
  DisclosedPayload disclosed;
  if (Finding f = ProcessDisclosures(env->payload, parts->disclosures, p.document.max_depth(), &disclosed); !f.ok()) {
    env->problem = std::move(f);
    return;
  }
  env->payload = std::move(disclosed.json);
}

// A JWS JSON signature's header: the base64url protected header, then the
// unprotected one (minified JSON; empty when absent) over it.
Finding ReadSignatureHeader(std::string_view protected64, std::string_view unprotected, Parsers& p, JoseHeader* out) {
  std::string header_json;
  if (!Base64UrlDecodeInto(protected64, &header_json)) return {"bad_base64url", "protected header is not base64url"};
  Finding f = ReadProtectedHeader(header_json, p.header, out);
  if (f.ok() && !unprotected.empty()) f = ReadUnprotectedHeader(unprotected, p.header, out);
  return f;
}

// A signature of a general JSON serialization SD-JWT after its first.
struct ExtraSignature {
  std::string protected64, unprotected, signature64;
};

// An SD-JWT in the JSON serialization (RFC 9901 §8): a JWS JSON object whose
// unprotected header holds `disclosures` (and `kb_jwt`): the flattened form, or in
// the general form the first signature's. It is the compact SD-JWT
// `<protected>.<payload>.<signature>~<disclosures>~[<kb_jwt>]` of that (first)
// signature, over which its key binding JWT's sd_hash is computed, written into
// *compact; the general form's other signatures go to *more (false in *well_formed
// when one is not a signature object, or carries disclosures or kb_jwt itself).
// False when `obj` is not one.
bool SdJwtFromJson(object obj, std::string* compact, std::vector<ExtraSignature>* more, bool* well_formed) {
  object first = obj, header;
  simdjson::dom::array signatures, disclosures;
  const bool general = obj["signatures"].get_array().get(signatures) == simdjson::SUCCESS;
  if (general && (signatures.size() == 0 || signatures.at(0).get_object().get(first) != simdjson::SUCCESS)) return false;
  if (first["header"].get_object().get(header) != simdjson::SUCCESS ||
      header["disclosures"].get_array().get(disclosures) != simdjson::SUCCESS) {
    return false;
  }
  auto prot = StringMember(first, "protected"), payload = StringMember(obj, "payload"),
       signature = StringMember(first, "signature");
  if (!prot || !payload || !signature) return false;
  *compact = std::string(*prot) + "." + std::string(*payload) + "." + std::string(*signature) + "~";
  for (element d : disclosures) {
    std::string_view text;
    if (d.get_string().get(text) != simdjson::SUCCESS) text = {};  // an empty disclosure: refused as invalid
    compact->append(text).append("~");
  }
  compact->append(StringMember(header, "kb_jwt").value_or(""));
  *well_formed = true;
  if (!general) return true;
  for (size_t i = 1; i < signatures.size(); ++i) {
    object sig, extra_header;
    ExtraSignature x;
    if (signatures.at(i).get_object().get(sig) != simdjson::SUCCESS || !StringMember(sig, "protected") ||
        !StringMember(sig, "signature")) {
      *well_formed = false;
      return true;
    }
    x.protected64 = std::string(*StringMember(sig, "protected"));
    x.signature64 = std::string(*StringMember(sig, "signature"));
    element h;
    if (sig["header"].get(h) == simdjson::SUCCESS) {
      if (h.get_object().get(extra_header) != simdjson::SUCCESS || HasMember(extra_header, "disclosures") ||
          HasMember(extra_header, "kb_jwt")) {
        *well_formed = false;
        return true;
      }
      x.unprotected = simdjson::minify(extra_header);
    }
    more->push_back(std::move(x));
  }
  return true;
}

// The general form's other signatures, each over `<protected>.<payload>`, beside the
// first (already opened).
void AddSdJwtSignatures(const std::vector<ExtraSignature>& more, Parsers& p, Envelope* env) {
  if (more.empty() || env->signatures.empty()) return;
  const std::string_view first_input = env->signatures[0].signing_input;
  const std::string_view payload64 = first_input.substr(first_input.find('.') + 1);
  const size_t first = env->signatures.size();
  env->signatures.resize(first + more.size());
  for (size_t i = 0; i < more.size(); ++i) {
    SignatureParts& s = env->signatures[first + i];
    Finding f = ReadSignatureHeader(more[i].protected64, more[i].unprotected, p, &s.header);
    if (f.ok()) f = CheckSdJwtMediaType(s.header);
    if (!f.ok()) {
      f.message = "signature " + std::to_string(first + i + 1) + ": " + f.message;
      if (env->problem.ok()) env->problem = std::move(f);
      continue;
    }
    if (!Base64UrlDecodeInto(more[i].signature64, &s.signature)) s.signature.clear();
    s.owned_input.append(more[i].protected64).append(".").append(payload64);
    s.signing_input = s.owned_input;  // the vector no longer grows
  }
}

void OpenJsonSerialization(object obj, Parsers& p, Envelope* env) {
  env->kind = Envelope::Kind::kJwsJson;
  // Copy what is needed out of the record's DOM: parsing the headers and the
  // payload reuses the parsers.
  struct RawSig {
    std::string protected64, unprotected, signature64;
  };
  std::vector<RawSig> raws;
  // Without a payload member the signed content is detached (RFC 7515 Appendix F):
  // the signatures are read, and the seal check says what is missing.
  const bool payload_omitted = !HasMember(obj, "payload");
  std::string_view payload_view;
  if (!payload_omitted && obj["payload"].get_string().get(payload_view) != simdjson::SUCCESS) {
    env->problem = {"malformed_jws", "JWS JSON payload must be a string"};
    return;
  }
  std::string payload_text;
  PaddedCopy(payload_view, &payload_text);
  auto read_sig = [&raws](object so) {
    RawSig raw;
    auto prot = StringMember(so, "protected");
    auto sig = StringMember(so, "signature");
    if (!prot || !sig) return false;
    raw.protected64 = std::string(*prot);
    raw.signature64 = std::string(*sig);
    element hdr;
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
    for (element e : arr) {
      object so;
      ok = ok && e.get_object().get(so) == simdjson::SUCCESS && read_sig(so);
    }
    ok = ok && !raws.empty();
  } else {
    ok = read_sig(obj);
  }
  if (!ok) {
    env->problem = {"malformed_jws", "each JWS signature needs protected and signature strings (and an object header)"};
    return;
  }
  env->signatures.resize(raws.size());
  bool b64 = true;
  for (size_t i = 0; i < raws.size(); ++i) {
    SignatureParts& s = env->signatures[i];
    Finding f = ReadSignatureHeader(raws[i].protected64, raws[i].unprotected, p, &s.header);
    if (f.ok() && i > 0 && s.header.b64 != b64) f = {"malformed_jws", "signatures disagree on b64"};
    if (!f.ok()) {
      env->signatures.clear();
      env->problem = std::move(f);
      return;
    }
    b64 = s.header.b64;
    if (payload_omitted) {
      s.header.detached = true;
      s.header.payload_omitted = true;
    }
    if (!Base64UrlDecodeInto(raws[i].signature64, &s.signature)) s.signature.clear();
    s.owned_input.reserve(raws[i].protected64.size() + 1 + payload_text.size());
    s.owned_input.append(raws[i].protected64).append(".").append(payload_text);
    s.signing_input = s.owned_input;
  }
  env->sealable = true;
  for (size_t i = 0; i < env->signatures.size(); ++i) {
    Finding media = CheckMediaTypes(env->signatures[i].header, true);
    if (media.ok()) continue;
    if (env->signatures.size() > 1) {
      media.message = "signature " + std::to_string(i + 1) + " of " + std::to_string(env->signatures.size()) +
                      ": " + media.message;
    }
    env->problem = std::move(media);
    return;
  }
  if (!b64) {
    env->payload = std::move(payload_text);
  } else if (!PaddedDecode(payload_text, &env->payload)) {
    env->problem = {"bad_base64url", "JWS payload is not base64url"};
  }
}

}  // namespace

// A JWS JSON serialization without a payload member (RFC 7515 Appendix F: the
// content is detached): no @context or proof of a credential document, and every
// signature object (or the flattened object itself) with protected and signature
// strings. Anything else stays a JSON document.
bool IsDetachedJwsJson(object obj) {
  if (HasMember(obj, "payload") || HasMember(obj, "@context") || HasMember(obj, "proof")) return false;
  auto is_signature = [](object o) { return StringMember(o, "protected") && StringMember(o, "signature"); };
  simdjson::dom::array signatures;
  if (obj["signatures"].get_array().get(signatures) != simdjson::SUCCESS) {
    return !HasMember(obj, "signatures") && is_signature(obj);
  }
  if (signatures.size() == 0) return false;
  for (element e : signatures) {
    object so;
    if (e.get_object().get(so) != simdjson::SUCCESS || !is_signature(so)) return false;
  }
  return true;
}

namespace {

// `spare`: how many bytes past the end of `record` may be read.
void Open(std::string_view record, size_t spare, Parsers& p, Envelope* env) {
  std::string_view data = TrimRecord(record);
  // What may be read past the trimmed record's end: what it trimmed, and the spare.
  const size_t readable_after = spare + static_cast<size_t>((record.data() + record.size()) - (data.data() + data.size()));
  if (data.empty()) {
    env->problem = {"empty_record", "the record is empty"};
  } else if (data.front() == '{') {
    object obj;
    auto err = p.document.parse(data.data(), data.size(), readable_after < simdjson::SIMDJSON_PADDING).get_object().get(obj);
    if (err != simdjson::SUCCESS) {
      env->problem = JsonError(err, "record");
    } else if ((HasMember(obj, "payload") && (HasMember(obj, "signatures") || HasMember(obj, "signature"))) ||
               IsDetachedJwsJson(obj)) {
      std::string compact;
      std::vector<ExtraSignature> more;
      bool well_formed = false;
      if (SdJwtFromJson(obj, &compact, &more, &well_formed)) {
        env->owned_record = std::move(compact);  // the next parses reuse the parser's buffers
        OpenSdJwt(env->owned_record, p, env);
        AddSdJwtSignatures(more, p, env);
        if (!well_formed && env->problem.ok()) {
          env->problem = {"malformed_jws", "in an SD-JWT's general JSON serialization every signature after the first "
                                           "needs protected and signature strings, and no disclosures or kb_jwt"};
        }
      } else {
        OpenJsonSerialization(obj, p, env);
      }
    } else {
      env->kind = Envelope::Kind::kJsonDocument;
      env->has_proof = HasMember(obj, "proof");
      PaddedCopy(data, &env->payload);
      env->sealable = true;
    }
  } else if (data.front() == '"') {
    std::string_view inner;
    auto err = p.document.parse(data.data(), data.size(), true).get_string().get(inner);
    if (err != simdjson::SUCCESS) {
      env->problem = JsonError(err, "record");
    } else {
      env->owned_record = std::string(inner);  // the next parse reuses the parser's string buffer
      OpenCompact(TrimRecord(env->owned_record), p, env);
    }
  } else if (data.front() == '[') {
    env->problem = {"not_a_credential", "a JSON array is not one credential record"};
  } else if (data.find('~') != std::string_view::npos) {
    OpenSdJwt(data, p, env);
  } else {
    OpenCompact(data, p, env);
  }
}

}  // namespace

void OpenEnvelope(std::string_view record, Parsers& p, Envelope* env) { Open(record, 0, p, env); }

void OpenEnvelope(const std::string& record, Parsers& p, Envelope* env) {
  Open(record, record.capacity() - record.size(), p, env);
}

}  // namespace credsweep::internal
