// Small trusted lists signed in the tests with the test CA's keys, in the shape
// of the EU lists (an enveloped XML-DSig signature with XAdES SigningCertificateV2),
// with one knob per signature rule so that a test breaks exactly one of them.
// Signing is xmlsec1's (OpenSSL back end), the same library that verifies.
#ifndef CREDSWEEP_TESTS_IO_TRUST_TEST_LIST_SIGNER_H_
#define CREDSWEEP_TESTS_IO_TRUST_TEST_LIST_SIGNER_H_

#include <optional>
#include <string>

#include "engine/result.h"
#include "engine/signer.h"

namespace credsweep::testing {

inline constexpr char kSha1[] = "http://www.w3.org/2000/09/xmldsig#sha1";
inline constexpr char kMd5[] = "http://www.w3.org/2001/04/xmldsig-more#md5";
inline constexpr char kSha256[] = "http://www.w3.org/2001/04/xmlenc#sha256";
inline constexpr char kSha512[] = "http://www.w3.org/2001/04/xmlenc#sha512";
inline constexpr char kEcdsaSha256[] = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
inline constexpr char kRsaSha1[] = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
inline constexpr char kRsaSha256[] = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr char kRsaSha512[] = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";

// The Transforms of the EU lists' whole-list Reference.
inline constexpr char kEnvelopedTransforms[] =
    R"(<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>)"
    R"(<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>)";

// Every default is what a correct EU list does.
struct TestListSpec {
  std::string signature_method = kEcdsaSha256;
  std::string reference_digest = kSha256;  // both References
  std::string cert_digest = kSha256;       // the XAdES CertDigest
  // The first Reference: URI="" (the whole list) and its Transforms. "#object"
  // names a ds:Object inside the signature (an enveloping signature).
  std::string list_reference_uri;
  std::string list_reference_transforms = kEnvelopedTransforms;
  bool inside_scheme_information = false;  // the ds:Signature not a child of the root
  std::string after_signature;             // XML written after the ds:Signature, e.g. a second one
  std::string next_update = "2026-06-30T00:00:00Z";  // empty: a closed list
  bool key_info = true;                              // the signer's certificate in ds:KeyInfo
  std::optional<std::string> signing_certificate;    // DER the XAdES names; default: the signer's
};

// A signed list (territory "ZZ", sequence 7, issued 2026-01-01) as XML text.
// `key` signs; `certificate` is its certificate (DER).
Result<std::string> SignTestList(const TestListSpec& spec, const PrivateKey& key, const std::string& certificate);

// The first ds:Signature element of a signed list, as XML text.
std::string SignatureElement(const std::string& signed_list);

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_IO_TRUST_TEST_LIST_SIGNER_H_
