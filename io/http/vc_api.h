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
  std::string record;  // what to verify: a JSON credential, a compact JWS or an SD-JWT
  std::string error;   // non-empty: the request is malformed (400), and why
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

}  // namespace credsweep::io::http

#endif  // CREDSWEEP_IO_HTTP_VC_API_H_
