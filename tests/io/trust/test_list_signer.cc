// xmlsec1's OpenSSL header declares functions over RSA/DSA/EC_KEY, which the
// project-wide OPENSSL_NO_DEPRECATED hides; this file itself uses EVP only.
#undef OPENSSL_NO_DEPRECATED
#include "tests/io/trust/test_list_signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <xmlsec/app.h>
#include <xmlsec/crypto.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmltree.h>

#include <memory>

#include "engine/encoding.h"
#include "io/trust/internal/xml.h"

namespace credsweep::testing {
namespace {

using io::trust::internal::ConsumeXmlErrors;
using io::trust::internal::ParseXml;

// The test computes the XAdES CertDigest itself (not with the verifier's table),
// so that a weak algorithm can be written down.
std::string DigestOf(const std::string& algorithm_uri, const std::string& data) {
  const char* name = algorithm_uri == kSha1 ? "SHA1" : algorithm_uri == kMd5 ? "MD5"
                     : algorithm_uri == kSha512 ? "SHA512" : "SHA256";
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_get_digestbyname(name), nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string SignatureTemplate(const TestListSpec& spec, const std::string& certificate) {
  const std::string& named = spec.signing_certificate ? *spec.signing_certificate : certificate;
  const std::string c14n = R"(<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>)";
  std::string enveloping_object =
      spec.list_reference_uri.empty() ? "" : R"(<ds:Object Id="object">signed instead of the list</ds:Object>)";
  return R"(<ds:Signature Id="signature"><ds:SignedInfo>)"
         R"(<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>)"
         R"(<ds:SignatureMethod Algorithm=")" + spec.signature_method + R"("/>)" +
         R"(<ds:Reference URI=")" + spec.list_reference_uri + R"("><ds:Transforms>)" +
         spec.list_reference_transforms + R"(</ds:Transforms><ds:DigestMethod Algorithm=")" +
         spec.reference_digest + R"("/><ds:DigestValue/></ds:Reference>)" +
         R"(<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#signed-properties">)" +
         "<ds:Transforms>" + c14n + R"(</ds:Transforms><ds:DigestMethod Algorithm=")" + spec.reference_digest +
         R"("/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/>)" +
         R"(<ds:Object><xades:QualifyingProperties Target="#signature">)" +
         R"(<xades:SignedProperties Id="signed-properties"><xades:SignedSignatureProperties>)" +
         "<xades:SigningTime>2026-01-01T00:00:00Z</xades:SigningTime>" +
         R"(<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm=")" +
         spec.cert_digest + R"("/><ds:DigestValue>)" + Base64Encode(DigestOf(spec.cert_digest, named)) +
         "</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2>" +
         "</xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object>" +
         enveloping_object + "</ds:Signature>";
}

std::string ListTemplate(const TestListSpec& spec, const std::string& certificate) {
  std::string signature = SignatureTemplate(spec, certificate);
  std::string next_update = "<tsl:NextUpdate/>";  // a closed list
  if (!spec.next_update.empty()) {
    next_update = "<tsl:NextUpdate><tsl:dateTime>" + spec.next_update + "</tsl:dateTime></tsl:NextUpdate>";
  }
  return R"(<?xml version="1.0" encoding="UTF-8"?>)"
         R"(<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#")"
         R"( xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#")"
         R"( Id="list" TSLTag="http://uri.etsi.org/19612/TSLTag"><tsl:SchemeInformation>)"
         "<tsl:TSLVersionIdentifier>5</tsl:TSLVersionIdentifier><tsl:TSLSequenceNumber>7</tsl:TSLSequenceNumber>"
         "<tsl:TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</tsl:TSLType>"
         "<tsl:SchemeTerritory>ZZ</tsl:SchemeTerritory>"
         "<tsl:ListIssueDateTime>2026-01-01T00:00:00Z</tsl:ListIssueDateTime>" +
         next_update + (spec.inside_scheme_information ? signature : "") + "</tsl:SchemeInformation>" +
         (spec.inside_scheme_information ? "" : signature) + spec.after_signature +
         "</tsl:TrustServiceStatusList>";
}

std::string PrivateKeyPem(const PrivateKey& key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key.evp_pkey(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// ds:KeyInfo is outside SignedInfo (EU lists do not sign it), so it is added
// after signing, right after the first ds:SignatureValue.
std::string WithKeyInfo(std::string xml, const std::string& certificate) {
  const std::string end = "</ds:SignatureValue>";
  xml.insert(xml.find(end) + end.size(), "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>" + Base64Encode(certificate) +
                                             "</ds:X509Certificate></ds:X509Data></ds:KeyInfo>");
  return xml;
}

}  // namespace

Result<std::string> SignTestList(const TestListSpec& spec, const PrivateKey& key, const std::string& certificate) {
  auto doc = ParseXml(ListTemplate(spec, certificate), 1u << 20);
  if (!doc.ok()) return doc.status();
  xmlNode* signature = xmlSecFindNode(xmlDocGetRootElement(doc->get()), xmlSecNodeSignature, xmlSecDSigNs);
  std::unique_ptr<xmlSecDSigCtx, decltype(&xmlSecDSigCtxDestroy)> ctx(xmlSecDSigCtxCreate(nullptr),
                                                                      xmlSecDSigCtxDestroy);
  std::string pem = PrivateKeyPem(key);
  ctx->signKey = xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(pem.data()),
                                              static_cast<xmlSecSize>(pem.size()), xmlSecKeyDataFormatPem, nullptr,
                                              nullptr, nullptr);
  if (!ctx->signKey || xmlSecDSigCtxSign(ctx.get(), signature) < 0) {
    return Internal("xmlsec could not sign the test list: " + ConsumeXmlErrors());
  }
  xmlChar* text = nullptr;
  int size = 0;
  xmlDocDumpMemory(doc->get(), &text, &size);
  std::string xml(reinterpret_cast<char*>(text), static_cast<size_t>(size));
  xmlFree(text);
  return spec.key_info ? WithKeyInfo(std::move(xml), certificate) : xml;
}

std::string SignatureElement(const std::string& signed_list) {
  size_t begin = signed_list.find("<ds:Signature ");
  size_t end = signed_list.find("</ds:Signature>", begin);
  return signed_list.substr(begin, end + std::string("</ds:Signature>").size() - begin);
}

}  // namespace credsweep::testing
