#include "engine/internal/jose_header.h"

#include <algorithm>
#include <array>

#include "engine/encoding.h"

namespace credsweep::internal {
namespace {

// adoTst (a timestamp over the signed data) is verified by the seal check.
// Header parameters credsweep processes (JAdES: TS 119 182-1 §5.2); `etsiU` is
// unprotected and may never be critical.
constexpr std::array<std::string_view, 11> kUnderstoodCrit = {"b64",   "sigT",  "adoTst", "x5t#o", "sigX5ts", "sigPId",
                                                              "srCms", "srAts", "sigPl",  "exp",   "sigD"};

Finding Malformed(std::string m) { return {"malformed_jws", std::move(m)}; }

bool ReadCertArray(element e, std::vector<std::string>* out) {
  simdjson::dom::array arr;
  if (e.get_array().get(arr) != simdjson::SUCCESS) return false;
  for (element c : arr) {
    std::string_view s;
    if (c.get_string().get(s) != simdjson::SUCCESS) return false;
    auto der = Base64Decode(s);
    if (!der) return false;
    out->push_back(std::move(*der));
  }
  return true;
}

// xVals: [{"x509Cert": {"val": base64}} | {"x509Cert": base64} ...]
void ReadXVals(element xvals, std::vector<std::string>* out) {
  simdjson::dom::array arr;
  if (xvals.get_array().get(arr) != simdjson::SUCCESS) return;
  for (element item : arr) {
    std::string_view b64;
    if (item["x509Cert"]["val"].get_string().get(b64) != simdjson::SUCCESS &&
        item["x509Cert"].get_string().get(b64) != simdjson::SUCCESS) {
      continue;
    }
    if (auto der = Base64Decode(b64)) out->push_back(std::move(*der));
  }
}

// rVals: {"crlVals": [{"val": base64}, ...], "ocspVals": [{"val": base64}, ...]}
// (ETSI TS 119 182-1 §5.3.5.2). False when it is not that shape.
bool ReadRVals(element rvals, std::vector<std::string>* crls, std::vector<std::string>* ocsp) {
  if (!rvals.is_object()) return false;
  for (auto [name, out] : {std::pair{"crlVals", crls}, std::pair{"ocspVals", ocsp}}) {
    element list;
    if (rvals[name].get(list) != simdjson::SUCCESS) continue;
    simdjson::dom::array arr;
    if (list.get_array().get(arr) != simdjson::SUCCESS) return false;
    for (element item : arr) {
      std::string_view b64;
      if (item["val"].get_string().get(b64) != simdjson::SUCCESS && item.get_string().get(b64) != simdjson::SUCCESS) {
        return false;
      }
      auto der = Base64Decode(b64);
      if (!der) return false;
      out->push_back(std::move(*der));
    }
  }
  return true;
}

// A JAdES digAlg: S256/S384/S512 or the hash's XML Signature URI.
std::optional<Hash> DigestAlgorithm(std::string_view alg) {
  if (alg == "S256" || alg == "http://www.w3.org/2001/04/xmlenc#sha256") return Hash::kSha256;
  if (alg == "S384" || alg == "http://www.w3.org/2001/04/xmldsig-more#sha384") return Hash::kSha384;
  if (alg == "S512" || alg == "http://www.w3.org/2001/04/xmlenc#sha512") return Hash::kSha512;
  return std::nullopt;
}

// A JAdES timestamp (sigTst, adoTst): {"tstTokens": [{"val": base64 DER, ...}, ...], ...}.
// False when it is not that shape.
bool ReadTstTokens(element e, std::vector<std::string>* out) {
  simdjson::dom::array tokens;
  if (e["tstTokens"].get_array().get(tokens) != simdjson::SUCCESS || tokens.size() == 0) return false;
  for (element t : tokens) {
    std::string_view b64;
    if (t["val"].get_string().get(b64) != simdjson::SUCCESS) return false;
    auto der = Base64Decode(b64);
    if (!der) return false;
    out->push_back(std::move(*der));
  }
  return true;
}

}  // namespace

Finding ReadProtectedHeader(std::string_view json, simdjson::dom::parser& parser, JoseHeader* h) {
  object o;
  auto err = parser.parse(json.data(), json.size(), true).get_object().get(o);
  if (err != simdjson::SUCCESS) return Malformed("protected header is not a JSON object");
  if (auto dup = DuplicateMember(o)) return {"duplicate_member", "protected header: " + *dup};
  auto alg = StringMember(o, "alg");
  if (!alg) return Malformed("protected header has no alg");
  h->alg_name = std::string(*alg);
  h->alg = JwsAlgFromName(*alg);
  if (auto v = StringMember(o, "kid")) h->kid = std::string(*v);
  if (auto v = StringMember(o, "typ")) h->typ = std::string(*v);
  if (auto v = StringMember(o, "cty")) h->cty = std::string(*v);
  element e;
  if (o["b64"].get(e) == simdjson::SUCCESS) {
    bool b;
    if (e.get_bool().get(b) != simdjson::SUCCESS) return Malformed("b64 must be a boolean");
    h->b64 = b;
  }
  if (o["crit"].get(e) == simdjson::SUCCESS) {
    simdjson::dom::array arr;
    if (e.get_array().get(arr) != simdjson::SUCCESS || arr.size() == 0) {
      return Malformed("crit must be a non-empty array");
    }
    for (element c : arr) {
      std::string_view s;
      if (c.get_string().get(s) != simdjson::SUCCESS) return Malformed("crit entries must be strings");
      h->crit.emplace_back(s);
      if (!HasMember(o, s)) return Malformed("crit names '" + std::string(s) + "', which is absent");
    }
  }
  if (o["x5c"].get(e) == simdjson::SUCCESS && !ReadCertArray(e, &h->x5c)) {
    return Malformed("x5c must be an array of base64 DER certificates");
  }
  if (auto v = StringMember(o, "x5t#S256")) {
    h->x5t_s256 = Base64UrlDecode(*v);
    if (!h->x5t_s256) return Malformed("x5t#S256 is not base64url");
  }
  if (o["x5t#o"].get(e) == simdjson::SUCCESS) {
    // {"digAlg": "S256" | "S384" | "S512" (or the URI of the hash), "digVal": base64url}
    std::string_view alg, val;
    if (e["digAlg"].get_string().get(alg) != simdjson::SUCCESS || e["digVal"].get_string().get(val) != simdjson::SUCCESS) {
      return Malformed("x5t#o must hold digAlg and digVal strings");
    }
    h->x5t_o_alg = DigestAlgorithm(alg);
    if (!h->x5t_o_alg) return {"unsupported_header", "x5t#o digAlg '" + std::string(alg) + "' is not supported"};
    h->x5t_o = Base64UrlDecode(val);
    if (!h->x5t_o) return Malformed("x5t#o digVal is not base64url");
  }
  if (auto v = StringMember(o, "sigT")) {
    h->sig_t = ParseDateTimeStamp(*v);
    if (!h->sig_t) return Malformed("sigT '" + std::string(*v) + "' is not a UTC date-time");
  }
  if (o["adoTst"].get(e) == simdjson::SUCCESS && !ReadTstTokens(e, &h->ado_tst)) {
    return Malformed("adoTst must hold tstTokens, each with a base64 val");
  }
  if (h->ado_tst.size() > kMaxTimestampTokens) {
    return Malformed("more than " + std::to_string(kMaxTimestampTokens) + " timestamp tokens in one signature");
  }
  if (o["exp"].get(e) == simdjson::SUCCESS) {
    // A NumericDate, or (as JAdES signers write it) a UTC date-time like sigT.
    std::string_view text;
    h->exp = e.get_string().get(text) == simdjson::SUCCESS ? ParseDateTimeStamp(text) : NumericDate(e);
    if (!h->exp) return {"bad_date", "header exp " + simdjson::minify(e) + " is neither a NumericDate nor a UTC date-time"};
  }
  if (o["sigX5ts"].get(e) == simdjson::SUCCESS) {
    simdjson::dom::array arr;
    if (e.get_array().get(arr) != simdjson::SUCCESS || arr.size() == 0) {
      return Malformed("sigX5ts must be a non-empty array of {digAlg, digVal}");
    }
    for (element d : arr) {
      std::string_view alg, val;
      if (d["digAlg"].get_string().get(alg) != simdjson::SUCCESS || d["digVal"].get_string().get(val) != simdjson::SUCCESS) {
        return Malformed("sigX5ts entries must hold digAlg and digVal strings");
      }
      auto hash = DigestAlgorithm(alg);
      auto digest = Base64UrlDecode(val);
      if (!hash) return {"unsupported_header", "sigX5ts digAlg '" + std::string(alg) + "' is not supported"};
      if (!digest) return Malformed("sigX5ts digVal is not base64url");
      h->sig_x5ts.emplace_back(*hash, std::move(*digest));
    }
  }
  if (o["sigPId"].get(e) == simdjson::SUCCESS) {
    // id: a URI, or {"id": URI, "desc": ...} (TS 119 182-1 §5.2.7).
    std::string_view id;
    if (e["id"].get_string().get(id) != simdjson::SUCCESS && e["id"]["id"].get_string().get(id) != simdjson::SUCCESS) {
      return Malformed("sigPId must hold an id");
    }
    h->policy_id = std::string(id);
  }
  if (o["srCms"].get(e) == simdjson::SUCCESS) {
    simdjson::dom::array arr;
    if (e.get_array().get(arr) != simdjson::SUCCESS) return Malformed("srCms must be an array");
    for (element c : arr) {
      std::string_view id;
      if (c["commId"]["id"].get_string().get(id) != simdjson::SUCCESS &&
          c["commId"].get_string().get(id) != simdjson::SUCCESS) {
        return Malformed("srCms entries must hold a commId");
      }
      h->commitments.emplace_back(id);
    }
  }
  if (o["sigD"].get(e) == simdjson::SUCCESS) {
    h->detached = true;
    std::string_view mid;
    if (e["mId"].get_string().get(mid) == simdjson::SUCCESS) h->detached_mechanism = std::string(mid);
  }
  h->signer_attributes = HasMember(o, "srAts");
  h->production_place = HasMember(o, "sigPl");
  if (o["iat"].get(e) == simdjson::SUCCESS) {
    h->iat = NumericDate(e);
    if (!h->iat) return {"bad_date", "header iat " + simdjson::minify(e) + " is not a NumericDate between 1970 and 9999"};
  }
  return {};
}

Finding ReadUnprotectedHeader(std::string_view json, simdjson::dom::parser& parser,
                              JoseHeader* h) {
  object o;
  if (parser.parse(json.data(), json.size(), true).get_object().get(o) != simdjson::SUCCESS) {
    return Malformed("unprotected header is not a JSON object");
  }
  if (auto dup = DuplicateMember(o)) return {"duplicate_member", "unprotected header: " + *dup};
  std::vector<std::string> etsi_entries;
  std::vector<std::string> etsi_encoded;  // each entry as base64url, when it was one
  bool all_encoded = true;
  for (auto [key, value] : o) {
    static constexpr std::array<std::string_view, 10> kProtectedOnly = {
        "alg", "crit", "b64", "x5c", "x5t#S256", "x5t#o", "sigT", "kid", "typ", "adoTst"};
    if (std::find(kProtectedOnly.begin(), kProtectedOnly.end(), key) != kProtectedOnly.end()) {
      return Malformed("header parameter '" + std::string(key) + "' must be integrity protected");
    }
    if (key != "etsiU") continue;
    simdjson::dom::array arr;
    if (value.get_array().get(arr) != simdjson::SUCCESS) return Malformed("etsiU must be an array");
    for (element item : arr) {
      std::string_view s;
      if (item.get_string().get(s) == simdjson::SUCCESS) {
        if (auto decoded = Base64UrlDecode(s)) {
          etsi_entries.push_back(std::move(*decoded));
          etsi_encoded.emplace_back(s);
        }
      } else if (item.is_object()) {
        etsi_entries.push_back(simdjson::minify(item));
        etsi_encoded.emplace_back();
        all_encoded = false;
      }
    }
  }
  // etsiU entries are separate JSON texts; parsing them invalidates `o`, so it is
  // done only once the header has been read.
  // A sigRTst covers the signature value, '.', then the sigTst, xRefs, rRefs, axRefs
  // and arRefs entries before it; an rfsTst every xRefs, rRefs, axRefs and arRefs
  // entry; each entry base64url-encoded as it stands in etsiU (A.1.5.1, A.1.5.2.2).
  h->sig_r_covers = ".";
  for (size_t i = 0; i < etsi_entries.size(); ++i) {
    const std::string& entry = etsi_entries[i];
    object eo;
    if (parser.parse(entry).get_object().get(eo) != simdjson::SUCCESS) continue;
    const bool refs = internal::HasMember(eo, "xRefs") || internal::HasMember(eo, "rRefs") ||
                      internal::HasMember(eo, "axRefs") || internal::HasMember(eo, "arRefs");
    for (const char* name : {"sigRTst", "rfsTst"}) {
      element tst;
      if (eo[name].get(tst) != simdjson::SUCCESS) continue;
      if (!all_encoded) {
        ++h->unverified_data_timestamps;
        continue;
      }
      std::vector<std::string> tokens;
      if (!ReadTstTokens(tst, &tokens)) return Malformed("etsiU " + std::string(name) + " must hold tstTokens, each with a base64 val");
      const bool sig_r = name[0] == 's';
      for (std::string& der : tokens) h->data_tst.push_back({sig_r, std::move(der), h->sig_r_covers.size()});
    }
    if (all_encoded && (refs || internal::HasMember(eo, "sigTst"))) h->sig_r_covers += etsi_encoded[i];
    if (all_encoded && refs) h->references += etsi_encoded[i];
    element xvals;
    if (eo["xVals"].get(xvals) == simdjson::SUCCESS) ReadXVals(xvals, &h->xvals);
    element rvals;
    if (eo["rVals"].get(rvals) == simdjson::SUCCESS && !ReadRVals(rvals, &h->crl_vals, &h->ocsp_vals)) {
      return Malformed("etsiU rVals must hold crlVals and ocspVals, each an array of base64 vals");
    }
    h->counter_signatures += internal::HasMember(eo, "cSig");
    h->archive_timestamps += internal::HasMember(eo, "arcTst");
    element sig_tst;
    if (eo["sigTst"].get(sig_tst) == simdjson::SUCCESS && !ReadTstTokens(sig_tst, &h->sig_tst)) {
      return Malformed("etsiU sigTst must hold tstTokens, each with a base64 val");
    }
  }
  // Each token is a signature check: a bound on them is a bound on the work a
  // record can ask for.
  if (h->sig_tst.size() + h->ado_tst.size() + h->data_tst.size() > kMaxTimestampTokens) {
    return Malformed("more than " + std::to_string(kMaxTimestampTokens) + " timestamp tokens in one signature");
  }
  return {};
}

Finding CheckHeaderPolicy(const JoseHeader& h) {
  if (h.alg_name == "none") return {"alg_none", "alg 'none': an unsecured JWS is never a seal"};
  if (h.alg_name.starts_with("HS")) {
    return {"alg_hmac", "alg '" + h.alg_name + "': a shared-secret MAC cannot seal a credential"};
  }
  if (!h.alg) return {"unsupported_alg", "alg '" + h.alg_name + "' is not supported"};
  for (const auto& c : h.crit) {
    if (std::find(kUnderstoodCrit.begin(), kUnderstoodCrit.end(), c) == kUnderstoodCrit.end()) {
      return {"crit_not_understood", "critical header parameter '" + c + "' is not understood"};
    }
  }
  if (!h.b64 && std::find(h.crit.begin(), h.crit.end(), "b64") == h.crit.end()) {
    return {"crit_not_understood", "b64:false must be listed in crit (RFC 7797)"};
  }
  return {};
}

bool IsPresentationMediaType(std::string_view typ) {
  static constexpr std::array<std::string_view, 4> kPresentationTyp = {
      "vp+jwt", "vp+ld+jwt", "application/vp+jwt", "application/vp+ld+jwt"};
  return std::find(kPresentationTyp.begin(), kPresentationTyp.end(), typ) != kPresentationTyp.end();
}

Finding CheckMediaTypes(const JoseHeader& h, bool json_serialization) {
  static constexpr std::array<std::string_view, 7> kTyp = {
      "vc+jwt", "vc+ld+jwt", "application/vc+jwt", "application/vc+ld+jwt", "JWT", "jwt", ""};
  static constexpr std::array<std::string_view, 6> kCty = {
      "vc", "vc+ld+json", "application/vc", "application/vc+ld+json", "credential+claims", ""};
  static constexpr std::array<std::string_view, 5> kPresentationCty = {
      "vp", "vp+ld+json", "application/vp", "application/vp+ld+json", ""};
  if (IsPresentationMediaType(h.typ)) {
    if (std::find(kPresentationCty.begin(), kPresentationCty.end(), h.cty) == kPresentationCty.end()) {
      return {"bad_media_type", "cty '" + h.cty + "' is not a presentation content type"};
    }
    return {};
  }
  bool typ_ok = std::find(kTyp.begin(), kTyp.end(), h.typ) != kTyp.end() ||
                (json_serialization && (h.typ == "jose+json" || h.typ == "JOSE+JSON"));
  bool cty_ok = std::find(kCty.begin(), kCty.end(), h.cty) != kCty.end() ||
                (json_serialization && (h.cty == "octet-stream" || h.cty == "json" ||
                                        h.cty == "application/json"));
  if (!typ_ok) return {"bad_media_type", "typ '" + h.typ + "' is not a credential media type"};
  if (!cty_ok) return {"bad_media_type", "cty '" + h.cty + "' is not a credential content type"};
  return {};
}

}  // namespace credsweep::internal
