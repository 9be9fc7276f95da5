// xmlsec1's OpenSSL header declares functions over RSA/DSA/EC_KEY, which the
// project-wide OPENSSL_NO_DEPRECATED hides; this file itself uses EVP only.
#undef OPENSSL_NO_DEPRECATED
#include "io/trust/internal/enveloped_signature.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <xmlsec/app.h>
#include <xmlsec/crypto.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include <algorithm>
#include <memory>

#include "io/trust/internal/xml.h"

namespace credsweep::io::trust::internal {

namespace {

constexpr const char* kAllowedSignatureMethods[] = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",   "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",   "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
    "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1", "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1",
    "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1"};
constexpr char kEnvelopedTransform[] = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

SignatureCheck Fail(ListVerdict v, std::string message) { return {v, std::move(message), {}}; }

std::string SubjectOf(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (!cert) {
    ERR_clear_error();
    return "(undecodable certificate)";
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert.get()), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// The shape rules that need no cryptography. Empty when they hold.
std::string CheckReferences(const xmlNode* sig, std::vector<std::string>* same_doc_ids) {
  const xmlNode* info = Child(sig, kDsNs, "SignedInfo");
  if (!info) return "ds:SignedInfo missing";
  std::string method = Attribute(Child(info, kDsNs, "SignatureMethod"), "Algorithm");
  if (std::find(std::begin(kAllowedSignatureMethods), std::end(kAllowedSignatureMethods), method) ==
      std::end(kAllowedSignatureMethods)) {
    return "signature algorithm not accepted: " + method;
  }
  int whole = 0;
  for (const xmlNode* ref : Children(info, kDsNs, "Reference")) {
    xmlChar* uri_attr = xmlGetProp(ref, reinterpret_cast<const xmlChar*>("URI"));
    std::string uri = uri_attr ? reinterpret_cast<const char*>(uri_attr) : "(absent)";
    xmlFree(uri_attr);
    if (uri.empty()) {
      bool enveloped = false;
      for (const xmlNode* t : Children(Child(ref, kDsNs, "Transforms"), kDsNs, "Transform")) {
        enveloped = enveloped || Attribute(t, "Algorithm") == kEnvelopedTransform;
      }
      if (!enveloped) return "the Reference URI=\"\" has no enveloped-signature transform";
      ++whole;
    } else if (uri.size() > 1 && uri[0] == '#' && uri.find('(') == std::string::npos) {
      same_doc_ids->push_back(uri.substr(1));
    } else {
      return "reference to '" + uri + "' is not a same-document reference";
    }
  }
  if (whole != 1) return "exactly one Reference URI=\"\" is required (found " + std::to_string(whole) + ")";
  return {};
}

// Core validity of `sig` with the key of certificate `der`, by xmlsec1.
bool CoreValid(xmlNode* sig, const std::string& der, std::string* why) {
  ConsumeXmlErrors();
  std::unique_ptr<xmlSecDSigCtx, decltype(&xmlSecDSigCtxDestroy)> ctx(xmlSecDSigCtxCreate(nullptr),
                                                                      xmlSecDSigCtxDestroy);
  if (!ctx) return (*why = "xmlsec: out of memory", false);
  ctx->signKey = xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(der.data()),
                                              static_cast<xmlSecSize>(der.size()), xmlSecKeyDataFormatCertDer,
                                              nullptr, nullptr, nullptr);
  if (!ctx->signKey) {
    *why = "announced certificate not usable as a key: " + ConsumeXmlErrors();
    ERR_clear_error();
    return false;
  }
  ctx->enabledReferenceUris = static_cast<xmlSecTransformUriType>(xmlSecTransformUriTypeEmpty |
                                                                   xmlSecTransformUriTypeSameDocument);
  int rc = xmlSecDSigCtxVerify(ctx.get(), sig);
  std::string errors = ConsumeXmlErrors();
  ERR_clear_error();
  if (rc < 0 || ctx->status != xmlSecDSigStatusSucceeded) {
    *why = rc < 0 ? "xmlsec could not process the signature: " + errors : "signature does not verify: " + errors;
    return false;
  }
  return true;
}

std::optional<std::string> DigestOf(const std::string& algorithm_uri, const std::string& data) {
  static const std::pair<const char*, const char*> kAlgs[] = {
      {"http://www.w3.org/2000/09/xmldsig#sha1", "SHA1"},
      {"http://www.w3.org/2001/04/xmldsig-more#sha224", "SHA224"},
      {"http://www.w3.org/2001/04/xmlenc#sha256", "SHA256"},
      {"http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA384"},
      {"http://www.w3.org/2001/04/xmlenc#sha512", "SHA512"}};
  for (const auto& [uri, name] : kAlgs) {
    if (algorithm_uri != uri) continue;
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (EVP_Digest(data.data(), data.size(), out, &len, EVP_get_digestbyname(name), nullptr) != 1) {
      ERR_clear_error();
      return std::nullopt;
    }
    return std::string(reinterpret_cast<char*>(out), len);
  }
  return std::nullopt;
}

// The signed XAdES SigningCertificate(V2) must name `signer` by digest.
std::string CheckSigningCertificate(const xmlNode* sig, const std::vector<std::string>& signed_ids,
                                    const std::string& signer) {
  auto props = Descendants(sig, kXadesNs, "SignedProperties");
  if (props.size() != 1) return "expected one XAdES SignedProperties, found " + std::to_string(props.size());
  std::string id = Attribute(props[0], "Id");
  if (id.empty() || std::find(signed_ids.begin(), signed_ids.end(), id) == signed_ids.end()) {
    return "the XAdES SignedProperties are not signed (no Reference to #" + id + ")";
  }
  const xmlNode* ssp = Child(props[0], kXadesNs, "SignedSignatureProperties");
  const xmlNode* sc = Child(ssp, kXadesNs, "SigningCertificate");
  if (!sc) sc = Child(ssp, kXadesNs, "SigningCertificateV2");
  if (!sc) return "no XAdES SigningCertificate";
  for (const xmlNode* cert : Children(sc, kXadesNs, "Cert")) {
    const xmlNode* cd = Child(cert, kXadesNs, "CertDigest");
    auto expected = DecodeXmlBase64(Text(Child(cd, kDsNs, "DigestValue")));
    auto actual = DigestOf(Attribute(Child(cd, kDsNs, "DigestMethod"), "Algorithm"), signer);
    if (expected && actual && *expected == *actual) return {};
  }
  return "the XAdES SigningCertificate digest does not match the signing certificate";
}

}  // namespace

SignatureCheck VerifyEnvelopedSignature(xmlDoc* doc, const std::vector<std::string>& announced) {
  xmlNode* root = xmlDocGetRootElement(doc);
  auto sigs = Descendants(root, kDsNs, "Signature");
  if (sigs.empty()) return Fail(ListVerdict::kUnsigned, "the list has no signature");
  if (sigs.size() > 1) {
    return Fail(ListVerdict::kBadSignature,
                "exactly one signature is required (found " + std::to_string(sigs.size()) + ")");
  }
  auto* sig = const_cast<xmlNode*>(sigs[0]);
  if (sig->parent != root) return Fail(ListVerdict::kBadSignature, "the signature is not enveloped by the root element");
  std::vector<std::string> signed_ids;
  if (std::string why = CheckReferences(sig, &signed_ids); !why.empty()) {
    return Fail(ListVerdict::kBadSignature, why);
  }
  std::vector<std::string> key_info;
  for (const xmlNode* c : Descendants(Child(sig, kDsNs, "KeyInfo"), kDsNs, "X509Certificate")) {
    if (auto der = DecodeXmlBase64(Text(c))) key_info.push_back(std::move(*der));
  }
  auto in_key_info = [&](const std::string& der) {
    return std::find(key_info.begin(), key_info.end(), der) != key_info.end();
  };
  if (!key_info.empty() && std::none_of(announced.begin(), announced.end(), in_key_info)) {
    return Fail(ListVerdict::kSignerNotAnnounced,
                "signed by '" + SubjectOf(key_info.front()) + "', which is not among the " +
                    std::to_string(announced.size()) + " certificates announced for this list");
  }
  // Announced certificates that ds:KeyInfo names are tried first.
  std::vector<const std::string*> order;
  for (const auto& a : announced) if (in_key_info(a)) order.push_back(&a);
  if (key_info.empty()) for (const auto& a : announced) order.push_back(&a);
  std::string first_why;
  for (const std::string* candidate : order) {
    std::string why;
    if (!CoreValid(sig, *candidate, &why)) {
      if (first_why.empty()) first_why = why;
      continue;
    }
    if (std::string bad = CheckSigningCertificate(sig, signed_ids, *candidate); !bad.empty()) {
      return Fail(ListVerdict::kSigningCertificateMismatch, bad);
    }
    return {ListVerdict::kAccepted, "signed by '" + SubjectOf(*candidate) + "'", *candidate};
  }
  return Fail(ListVerdict::kBadSignature, first_why.empty() ? "no announced certificate" : first_why);
}

}  // namespace credsweep::io::trust::internal
