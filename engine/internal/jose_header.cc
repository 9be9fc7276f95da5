#include "engine/internal/jose_header.h"

#include <algorithm>
#include <array>

#include "engine/encoding.h"

namespace credsweep::internal {
namespace {

// adoTst (a timestamp over the signed data) is verified by the seal check.
constexpr std::array<std::string_view, 3> kUnderstoodCrit = {"b64", "sigT", "adoTst"};

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
    if (alg == "S256" || alg == "http://www.w3.org/2001/04/xmlenc#sha256") h->x5t_o_alg = Hash::kSha256;
    if (alg == "S384" || alg == "http://www.w3.org/2001/04/xmldsig-more#sha384") h->x5t_o_alg = Hash::kSha384;
    if (alg == "S512" || alg == "http://www.w3.org/2001/04/xmlenc#sha512") h->x5t_o_alg = Hash::kSha512;
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
        if (auto decoded = Base64UrlDecode(s)) etsi_entries.push_back(std::move(*decoded));
      } else if (item.is_object()) {
        etsi_entries.push_back(simdjson::minify(item));
      }
    }
  }
  // etsiU entries are separate JSON texts; parsing them invalidates `o`, so it is
  // done only once the header has been read.
  for (const auto& entry : etsi_entries) {
    object eo;
    if (parser.parse(entry).get_object().get(eo) != simdjson::SUCCESS) continue;
    element xvals;
    if (eo["xVals"].get(xvals) == simdjson::SUCCESS) ReadXVals(xvals, &h->xvals);
    element rvals;
    if (eo["rVals"].get(rvals) == simdjson::SUCCESS && !ReadRVals(rvals, &h->crl_vals, &h->ocsp_vals)) {
      return Malformed("etsiU rVals must hold crlVals and ocspVals, each an array of base64 vals");
    }
    element sig_tst;
    if (eo["sigTst"].get(sig_tst) == simdjson::SUCCESS && !ReadTstTokens(sig_tst, &h->sig_tst)) {
      return Malformed("etsiU sigTst must hold tstTokens, each with a base64 val");
    }
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

Finding CheckMediaTypes(const JoseHeader& h, bool json_serialization) {
  static constexpr std::array<std::string_view, 7> kTyp = {
      "vc+jwt", "vc+ld+jwt", "application/vc+jwt", "application/vc+ld+jwt", "JWT", "jwt", ""};
  static constexpr std::array<std::string_view, 6> kCty = {
      "vc", "vc+ld+json", "application/vc", "application/vc+ld+json", "credential+claims", ""};
  bool typ_ok = std::find(kTyp.begin(), kTyp.end(), h.typ) != kTyp.end() ||
                (json_serialization && (h.typ == "jose+json" || h.typ == "JOSE+JSON"));
  bool cty_ok = std::find(kCty.begin(), kCty.end(), h.cty) != kCty.end() ||
                (json_serialization && (h.cty == "octet-stream" || h.cty == "json" ||
                                        h.cty == "application/json"));
  static constexpr std::array<std::string_view, 4> kPresentationTyp = {
      "vp+jwt", "vp+ld+jwt", "application/vp+jwt", "application/vp+ld+jwt"};
  if (std::find(kPresentationTyp.begin(), kPresentationTyp.end(), h.typ) != kPresentationTyp.end()) {
    return {"unsupported_envelope", "typ '" + h.typ + "': verifiable presentations are not supported yet"};
  }
  if (!typ_ok) return {"bad_media_type", "typ '" + h.typ + "' is not a credential media type"};
  if (!cty_ok) return {"bad_media_type", "cty '" + h.cty + "' is not a credential content type"};
  return {};
}

}  // namespace credsweep::internal
