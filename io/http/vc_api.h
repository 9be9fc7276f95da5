// The W3C VC API's verifier endpoint (`POST /credentials/verify`, docs/protocol.md):
// the request is cut down to the record credsweep verifies, and the result put in
// the VC API's response shape. Pure functions; the server does the I/O.
#ifndef CREDSWEEP_IO_HTTP_VC_API_H_
#define CREDSWEEP_IO_HTTP_VC_API_H_

#include <string>
#include <string_view>

#include "engine/verification_result.h"

namespace credsweep::io::http {

struct VcApiRequest {
  std::string record;  // what to verify: a JSON credential or presentation, a compact JWS or an SD-JWT
  std::string error;   // non-empty: the request is malformed (400), and why
  // POST /presentations/verify: options.domain and options.challenge (the
  // presentation must name them), and the presentation as sent when
  // options.returnPresentation asks for it back (else empty).
  std::string domain, challenge, returned;
};

// Reads `{"verifiableCredential": ..., "options": {...}}`: a credential object (a
// Data Integrity or unsecured credential, or a JWS JSON serialization), a string
// (a compact JWS or SD-JWT), or an EnvelopedVerifiableCredential whose id is a
// `data:` URL (application/vc+jwt, vc+sd-jwt, dc+sd-jwt, jwt; base64 or plain).
// `options` must be an object if present; its members are not used.
VcApiRequest ParseVerifyCredentialRequest(std::string_view body, size_t max_depth);

// The response body: {"verified", "problemDetails": [one per failed check],
// "results": the result object POST /v1/verify writes (its five checks)}.
std::string VerifyCredentialResponse(const VerificationResult& r, bool verified);

// Reads `{"verifiablePresentation": ..., "options": {"challenge", "domain",
// "returnPresentation"}}`: a presentation object (Data Integrity or unsecured), a
// string (a compact vp+jwt or VC 1.1 JWT presentation), or an
// EnvelopedVerifiablePresentation whose id is a `data:` URL
// (application/vp+jwt, jwt).
VcApiRequest ParseVerifyPresentationRequest(std::string_view body, size_t max_depth);

// The response body for a presentation's result (`r` of kind kPresentation, its
// credentials still enclosed; `required` as --require): {"verified",
// "verifiablePresentation" (when asked back), "problemDetails": [the
// presentation's failed checks, then each credential's as "credential K: ..."],
// "results": {"holder", "proof", "challenge", "domain" (when given) as the VC API
// names them, "presentation": its result object, "credentials": theirs}}.
// *verified is the verdict (200 when true, else 422).
std::string VerifyPresentationResponse(VerificationResult r, unsigned required, const VcApiRequest& request,
                                       bool* verified);

}  // namespace credsweep::io::http

#endif  // CREDSWEEP_IO_HTTP_VC_API_H_
