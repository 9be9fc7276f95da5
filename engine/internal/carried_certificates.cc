#include "engine/internal/carried_certificates.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace credsweep::internal {
namespace {

// One DER element: its whole bytes and its contents.
struct Element {
  std::string_view all, contents;
  int tag = 0;
  int cls = 0;
  bool constructed = false;

  bool Is(int want_tag, int want_cls, bool want_constructed) const {
    return tag == want_tag && cls == want_cls && constructed == want_constructed;
  }
};

// Reads the element at the front of `in` and moves past it; nullopt for a header
// OpenSSL refuses, an indefinite length, or contents that run past the end.
std::optional<Element> Next(std::string_view* in) {
  if (in->empty() || in->size() > static_cast<size_t>(INT32_MAX)) return std::nullopt;
  const auto* start = reinterpret_cast<const unsigned char*>(in->data());
  const unsigned char* p = start;
  long length = 0;
  int tag = 0, cls = 0;
  ERR_set_mark();
  const int r = ASN1_get_object(&p, &length, &tag, &cls, static_cast<long>(in->size()));
  ERR_pop_to_mark();  // this thread's earlier errors stay as they were
  if (r & 0x80) return std::nullopt;  // an error, or contents longer than what is left
  if (r & 0x01) return std::nullopt;  // indefinite length: BER, not DER
  const size_t header = static_cast<size_t>(p - start);
  if (length < 0 || header + static_cast<size_t>(length) > in->size()) return std::nullopt;
  Element e;
  e.all = in->substr(0, header + static_cast<size_t>(length));
  e.contents = in->substr(header, static_cast<size_t>(length));
  e.tag = tag;
  e.cls = cls;
  e.constructed = (r & V_ASN1_CONSTRUCTED) != 0;
  in->remove_prefix(e.all.size());
  return e;
}

// The elements that make up `contents`; nullopt if one does not read.
std::optional<std::vector<Element>> Children(std::string_view contents) {
  std::vector<Element> out;
  while (!contents.empty()) {
    auto e = Next(&contents);
    if (!e) return std::nullopt;
    out.push_back(*e);
  }
  return out;
}

// `bytes` as the only element of the input.
std::optional<Element> Whole(std::string_view bytes) {
  auto e = Next(&bytes);
  if (!e || !bytes.empty()) return std::nullopt;
  return e;
}

// A constructed element around `contents`.
std::string Frame(int tag, int cls, std::string_view contents) {
  const int n = static_cast<int>(contents.size());
  std::string out(static_cast<size_t>(ASN1_object_size(1, n, tag)), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  ASN1_put_object(&p, 1, n, tag, cls);
  std::copy(contents.begin(), contents.end(), reinterpret_cast<char*>(p));
  return out;
}

constexpr int kUniversal = V_ASN1_UNIVERSAL;
constexpr int kContext = V_ASN1_CONTEXT_SPECIFIC;

// Each element of `set_contents` must be a plain certificate (a SEQUENCE).
bool AddCertificates(std::string_view set_contents, std::vector<std::string_view>* out) {
  auto certs = Children(set_contents);
  if (!certs) return false;
  for (const Element& c : *certs) {
    if (!c.Is(V_ASN1_SEQUENCE, kUniversal, true)) return false;
    out->push_back(c.all);
  }
  return true;
}

std::optional<SplitCertificates> SplitBasicOcsp(std::string_view der) {
  // BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature,
  //                                  certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
  auto outer = Whole(der);
  if (!outer || !outer->Is(V_ASN1_SEQUENCE, kUniversal, true)) return std::nullopt;
  auto fields = Children(outer->contents);
  if (!fields || (fields->size() != 3 && fields->size() != 4)) return std::nullopt;
  SplitCertificates out;
  if (fields->size() == 3) {
    out.without = std::string(der);
    return out;
  }
  const Element& certs = (*fields)[3];
  if (!certs.Is(0, kContext, true)) return std::nullopt;
  auto sequence = Whole(certs.contents);
  if (!sequence || !sequence->Is(V_ASN1_SEQUENCE, kUniversal, true)) return std::nullopt;
  if (!AddCertificates(sequence->contents, &out.certificates)) return std::nullopt;
  std::string signed_part;
  for (size_t i = 0; i < 3; ++i) signed_part += (*fields)[i].all;
  out.without = Frame(V_ASN1_SEQUENCE, kUniversal, signed_part);
  return out;
}

}  // namespace

std::optional<SplitCertificates> SplitOcspCertificates(std::string_view der) {
  // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED,
  //                             responseBytes [0] EXPLICIT SEQUENCE { responseType OID, response OCTET STRING } OPTIONAL }
  auto outer = Whole(der);
  if (!outer || !outer->Is(V_ASN1_SEQUENCE, kUniversal, true)) return std::nullopt;
  auto fields = Children(outer->contents);
  if (!fields || fields->empty()) return std::nullopt;
  if (!(*fields)[0].Is(V_ASN1_ENUMERATED, kUniversal, false)) return SplitBasicOcsp(der);
  static constexpr std::string_view kSuccessful("\x00", 1);
  static constexpr std::string_view kOcspBasic("\x06\x09\x2b\x06\x01\x05\x05\x07\x30\x01\x01", 11);
  if (fields->size() != 2 || (*fields)[0].contents != kSuccessful || !(*fields)[1].Is(0, kContext, true)) {
    return std::nullopt;
  }
  auto bytes = Whole((*fields)[1].contents);
  if (!bytes || !bytes->Is(V_ASN1_SEQUENCE, kUniversal, true)) return std::nullopt;
  auto parts = Children(bytes->contents);
  if (!parts || parts->size() != 2 || (*parts)[0].all != kOcspBasic ||
      !(*parts)[1].Is(V_ASN1_OCTET_STRING, kUniversal, false)) {
    return std::nullopt;
  }
  return SplitBasicOcsp((*parts)[1].contents);
}

std::optional<SplitCertificates> SplitSignedDataCertificates(std::string_view der) {
  // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData }
  // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
  //                           certificates [0] IMPLICIT CertificateSet OPTIONAL,
  //                           crls [1] IMPLICIT RevocationInfoChoices OPTIONAL, signerInfos }
  static constexpr std::string_view kSignedData("\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 11);
  auto outer = Whole(der);
  if (!outer || !outer->Is(V_ASN1_SEQUENCE, kUniversal, true)) return std::nullopt;
  auto fields = Children(outer->contents);
  if (!fields || fields->size() != 2 || (*fields)[0].all != kSignedData || !(*fields)[1].Is(0, kContext, true)) {
    return std::nullopt;
  }
  auto signed_data = Whole((*fields)[1].contents);
  if (!signed_data || !signed_data->Is(V_ASN1_SEQUENCE, kUniversal, true)) return std::nullopt;
  auto parts = Children(signed_data->contents);
  if (!parts || parts->size() < 4) return std::nullopt;
  SplitCertificates out;
  std::string kept;
  bool found = false;
  for (size_t i = 0; i < parts->size(); ++i) {
    const Element& e = (*parts)[i];
    // Only the fourth field may be the certificates; a second [0] is malformed.
    if (e.tag == 0 && e.cls == kContext && i != 3) return std::nullopt;
    if (i == 3 && e.Is(0, kContext, true)) {
      if (!AddCertificates(e.contents, &out.certificates)) return std::nullopt;
      found = true;
      continue;
    }
    kept += e.all;
  }
  if (!found) {
    out.without = std::string(der);
    return out;
  }
  out.without = Frame(V_ASN1_SEQUENCE, kUniversal,
                      std::string((*fields)[0].all) + Frame(0, kContext, Frame(V_ASN1_SEQUENCE, kUniversal, kept)));
  return out;
}

X509Ptr CarriedCertificate(std::string_view der) {
  if (der.size() > kMaxCarriedCertificateBytes) return X509FromDer(der);
  static std::shared_mutex mu;
  static std::unordered_map<std::string, X509Ptr> decoded;  // SHA-256 of the DER -> certificate
  static size_t bytes = 0;
  const std::string key = Digest(Hash::kSha256, der);
  auto share = [](X509* cert) {
    X509_up_ref(cert);
    return X509Ptr(cert);
  };
  {
    std::shared_lock lock(mu);
    if (auto it = decoded.find(key); it != decoded.end()) return share(it->second.get());
  }
  X509Ptr cert = X509FromDer(der);
  if (!cert) return nullptr;
  // Filled now, while the certificate is this thread's alone (OpenSSL 3.0 locks
  // its lazy extension cache anyway; this keeps the shared object settled).
  X509_check_purpose(cert.get(), -1, 0);
  std::unique_lock lock(mu);
  if (decoded.size() >= kMaxCarriedCertificates || bytes + der.size() > kMaxCarriedBytes) {
    decoded.clear();
    bytes = 0;
  }
  auto [it, inserted] = decoded.emplace(key, std::move(cert));
  if (inserted) bytes += der.size();
  return share(it->second.get());
}

std::optional<std::vector<X509Ptr>> CarriedCertificates(const std::vector<std::string_view>& der) {
  std::vector<X509Ptr> out;
  for (std::string_view d : der) {
    X509Ptr c = CarriedCertificate(d);
    if (!c) return std::nullopt;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace credsweep::internal
