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

// The digests a Reference or a XAdES CertDigest may use. SHA-1 and MD5 are out:
// collisions in both can be made, and a digest here is all that binds the list
// content (or the signer's certificate) to the signature.
struct DigestAlgorithm {
  const char* uri;
  const char* openssl_name;
};
constexpr DigestAlgorithm kAcceptedDigests[] = {{"http://www.w3.org/2001/04/xmlenc#sha256", "SHA256"},
                                                {"http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA384"},
                                                {"http://www.w3.org/2001/04/xmlenc#sha512", "SHA512"}};

constexpr char kEnvelopedTransform[] = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
// A Reference may drop the signature and canonicalize, nothing else: an XPath,
// XPath Filter 2.0 or XSLT transform can select nothing, and then URI="" would
// "sign" the list while leaving all of its content open to change.
constexpr const char* kAcceptedTransforms[] = {
    kEnvelopedTransform,
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
    "http://www.w3.org/2006/12/xml-c14n11",
    "http://www.w3.org/2006/12/xml-c14n11#WithComments"};

SignatureCheck Fail(ListVerdict v, std::string message) { return {v, std::move(message), {}}; }

template <typename Table>
bool Contains(const Table& table, const std::string& value) {
  return std::find(std::begin(table), std::end(table), value) != std::end(table);
}

const DigestAlgorithm* AcceptedDigest(const std::string& uri) {
  for (const auto& d : kAcceptedDigests) {
    if (uri == d.uri) return &d;
  }
  return nullptr;
}

// "'URI' is not accepted", naming the broken hash when there is one, so that the
// operator reads "SHA-1" rather than having to decode the URI.
std::string NotAccepted(const std::string& what, const std::string& uri) {
  std::string why = uri.ends_with("sha1") ? ": SHA-1 is not collision resistant"
                    : uri.ends_with("md5") ? ": MD5 is not collision resistant"
                                           : "";
  return what + " '" + uri + "' is not accepted" + why;
}

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

// Every Transform of `ref` is accepted; true through `enveloped` when one of them
// is the enveloped-signature transform. Empty when they hold.
std::string CheckTransforms(const xmlNode* ref, bool* enveloped) {
  *enveloped = false;
  for (const xmlNode* t : Children(Child(ref, kDsNs, "Transforms"), kDsNs, "Transform")) {
    std::string algorithm = Attribute(t, "Algorithm");
    if (!Contains(kAcceptedTransforms, algorithm)) {
      return "transform '" + algorithm + "' is not accepted (only enveloped-signature and canonicalization)";
    }
    *enveloped = *enveloped || algorithm == kEnvelopedTransform;
  }
  return {};
}

// The shape rules that need no cryptography: one Reference to the whole document
// (so the signature covers the list, not a part of it or something beside it),
// the others same-document. Empty when they hold.
std::string CheckReferences(const xmlNode* info, std::vector<std::string>* same_doc_ids) {
  int whole = 0;
  for (const xmlNode* ref : Children(info, kDsNs, "Reference")) {
    xmlChar* uri_attr = xmlGetProp(ref, reinterpret_cast<const xmlChar*>("URI"));
    std::string uri = uri_attr ? reinterpret_cast<const char*>(uri_attr) : "(absent)";
    xmlFree(uri_attr);
    bool enveloped = false;
    if (std::string why = CheckTransforms(ref, &enveloped); !why.empty()) return why;
    if (uri.empty()) {
      if (!enveloped) return "the Reference URI=\"\" has no enveloped-signature transform";
      ++whole;
    } else if (uri.size() > 1 && uri[0] == '#' && uri.find('(') == std::string::npos) {
      same_doc_ids->push_back(uri.substr(1));
    } else {
      return "reference to '" + uri + "' is not a same-document reference";
    }
  }
  if (whole != 1) {
    return "exactly one Reference URI=\"\" (the whole list) is required (found " + std::to_string(whole) + ")";
  }
  return {};
}

// The signature method and every Reference digest, before any cryptography: a
// list signed with SHA-1 is refused as such, not as a signature that fails.
// Empty when they hold.
std::string CheckAlgorithms(const xmlNode* info) {
  std::string method = Attribute(Child(info, kDsNs, "SignatureMethod"), "Algorithm");
  if (!Contains(kAllowedSignatureMethods, method)) return NotAccepted("signature algorithm", method);
  for (const xmlNode* ref : Children(info, kDsNs, "Reference")) {
    std::string digest = Attribute(Child(ref, kDsNs, "DigestMethod"), "Algorithm");
    if (!AcceptedDigest(digest)) return NotAccepted("Reference digest algorithm", digest);
  }
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

std::optional<std::string> DigestOf(const DigestAlgorithm& algorithm, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_get_digestbyname(algorithm.openssl_name), nullptr) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

// The signed XAdES SigningCertificate(V2) must name `signer` by a digest of an
// accepted algorithm. The Cert digests use the same table as the References: a
// SHA-1 CertDigest is refused even when it matches, since it is what ties the
// signature to one certificate rather than to any with a colliding digest.
SignatureCheck CheckSigningCertificate(const xmlNode* sig, const std::vector<std::string>& signed_ids,
                                       const std::string& signer) {
  const ListVerdict mismatch = ListVerdict::kSigningCertificateMismatch;
  auto props = Descendants(sig, kXadesNs, "SignedProperties");
  if (props.size() != 1) {
    return Fail(mismatch, "expected one XAdES SignedProperties, found " + std::to_string(props.size()));
  }
  std::string id = Attribute(props[0], "Id");
  if (id.empty() || std::find(signed_ids.begin(), signed_ids.end(), id) == signed_ids.end()) {
    return Fail(mismatch, "the XAdES SignedProperties are not signed (no Reference to #" + id + ")");
  }
  const xmlNode* ssp = Child(props[0], kXadesNs, "SignedSignatureProperties");
  const xmlNode* sc = Child(ssp, kXadesNs, "SigningCertificate");
  if (!sc) sc = Child(ssp, kXadesNs, "SigningCertificateV2");
  if (!sc) return Fail(mismatch, "no XAdES SigningCertificate");
  for (const xmlNode* cert : Children(sc, kXadesNs, "Cert")) {
    const xmlNode* cd = Child(cert, kXadesNs, "CertDigest");
    std::string method = Attribute(Child(cd, kDsNs, "DigestMethod"), "Algorithm");
    const DigestAlgorithm* algorithm = AcceptedDigest(method);
    if (!algorithm) return Fail(ListVerdict::kAlgorithmNotAccepted, NotAccepted("XAdES CertDigest algorithm", method));
    auto expected = DecodeXmlBase64(Text(Child(cd, kDsNs, "DigestValue")));
    auto actual = DigestOf(*algorithm, signer);
    if (expected && actual && *expected == *actual) return {};
  }
  return Fail(mismatch, "the XAdES SigningCertificate digest does not match the signing certificate");
}

// Rules that need no cryptography, in the order a reader would check them: one
// signature, enveloped by the root, its References, then its algorithms.
SignatureCheck CheckShape(const xmlNode* root, const std::vector<const xmlNode*>& sigs,
                          std::vector<std::string>* signed_ids) {
  if (sigs.empty()) return Fail(ListVerdict::kUnsigned, "the list has no signature");
  if (sigs.size() > 1) {
    return Fail(ListVerdict::kBadSignature,
                "exactly one signature is required (found " + std::to_string(sigs.size()) + ")");
  }
  if (sigs[0]->parent != root) {
    return Fail(ListVerdict::kBadSignature, "the signature is not enveloped by the root element");
  }
  const xmlNode* info = Child(sigs[0], kDsNs, "SignedInfo");
  if (!info) return Fail(ListVerdict::kBadSignature, "ds:SignedInfo missing");
  if (std::string why = CheckReferences(info, signed_ids); !why.empty()) return Fail(ListVerdict::kBadSignature, why);
  if (std::string why = CheckAlgorithms(info); !why.empty()) return Fail(ListVerdict::kAlgorithmNotAccepted, why);
  return {};
}

}  // namespace

SignatureCheck VerifyEnvelopedSignature(xmlDoc* doc, const std::vector<std::string>& announced) {
  xmlNode* root = xmlDocGetRootElement(doc);
  auto sigs = Descendants(root, kDsNs, "Signature");
  std::vector<std::string> signed_ids;
  if (SignatureCheck shape = CheckShape(root, sigs, &signed_ids); shape.verdict != ListVerdict::kAccepted) {
    return shape;
  }
  auto* sig = const_cast<xmlNode*>(sigs[0]);
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
    if (SignatureCheck xades = CheckSigningCertificate(sig, signed_ids, *candidate);
        xades.verdict != ListVerdict::kAccepted) {
      return xades;
    }
    return {ListVerdict::kAccepted, "signed by '" + SubjectOf(*candidate) + "'", *candidate};
  }
  return Fail(ListVerdict::kBadSignature, first_why.empty() ? "no announced certificate" : first_why);
}

}  // namespace credsweep::io::trust::internal
