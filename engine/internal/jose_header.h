// JOSE header reading and the header policy (alg, crit, b64) for compact and JSON
// serialized JWS, including the JAdES members credsweep understands.
#ifndef CREDSWEEP_ENGINE_INTERNAL_JOSE_HEADER_H_
#define CREDSWEEP_ENGINE_INTERNAL_JOSE_HEADER_H_

#include <optional>
#include <string>
#include <vector>

#include "engine/internal/credential_format.h"
#include "engine/internal/openssl.h"
#include "engine/jws_alg.h"
#include "engine/timestamp.h"

namespace credsweep::internal {

// At most this many RFC 3161 tokens (adoTst, sigTst, sigRTst, rfsTst) in one
// signature's headers; more is malformed_jws.
inline constexpr size_t kMaxTimestampTokens = 64;

struct JoseHeader {
  std::string alg_name;
  std::optional<JwsAlg> alg;
  std::string kid, typ, cty;
  bool b64 = true;
  std::vector<std::string> crit;
  std::vector<std::string> x5c;      // DER, leaf first
  std::optional<std::string> x5t_s256;  // decoded digest
  // JAdES x5t#o: the signing certificate's digest by another algorithm.
  std::optional<Hash> x5t_o_alg;
  std::optional<std::string> x5t_o;  // decoded digest
  std::optional<UnixSeconds> sig_t;  // JAdES signing time
  std::optional<UnixSeconds> iat;    // numeric iat in the header, rarely used
  std::vector<std::string> xvals;    // DER, from unsigned etsiU xVals
  std::vector<std::string> ado_tst;  // DER TimeStampTokens over the signed data (protected adoTst)
  std::vector<std::string> sig_tst;  // DER TimeStampTokens over the signature value (etsiU sigTst)
  // etsiU entries credsweep reads but does not verify: counter signatures (cSig)
  // and archive timestamps (arcTst); the seal message names them.
  size_t counter_signatures = 0, archive_timestamps = 0;
  // JAdES validation-data timestamps (etsiU sigRTst and rfsTst, TS 119 182-1 A.1.5).
  // A sigRTst covers the base64url JWS Signature Value followed by the first
  // `prefix` bytes of `sig_r_covers` (what preceded it in etsiU); an rfsTst covers
  // `references`. The covered texts are shared, so crafted headers grow them
  // linearly, not once per token.
  struct DataTimestamp {
    bool after_signature = false;  // sigRTst
    std::string der;
    size_t prefix = 0;             // sigRTst: bytes of sig_r_covers
  };
  std::vector<DataTimestamp> data_tst;
  std::string sig_r_covers, references;
  // Validation-data timestamps in clear-JSON etsiU entries, whose imprint needs a
  // JSON canonicalization credsweep does not do: named, not verified.
  size_t unverified_data_timestamps = 0;
  // JAdES signed header parameters (ETSI TS 119 182-1 §5.2).
  std::optional<UnixSeconds> exp;          // the signature's own expiry (NumericDate)
  std::vector<std::pair<Hash, std::string>> sig_x5ts;  // digests of signing certificates
  std::string policy_id;                   // sigPId id (an OID URN or URI)
  std::vector<std::string> commitments;    // srCms commId ids
  bool detached = false;                   // sigD, or a JWS JSON without payload: the signed content is elsewhere
  std::string detached_mechanism;          // sigD mId
  bool payload_omitted = false;            // a JWS JSON without a payload member (RFC 7515 Appendix F)
  bool signer_attributes = false;          // srAts
  bool production_place = false;           // sigPl
  std::vector<std::string> crl_vals;   // DER CRLs, from etsiU rVals crlVals
  std::vector<std::string> ocsp_vals;  // DER OCSP responses, from etsiU rVals ocspVals
};

// Reads a protected header. Structural problems are `malformed_jws` findings;
// policy is checked separately by CheckHeaderPolicy.
Finding ReadProtectedHeader(std::string_view json, simdjson::dom::parser& parser, JoseHeader* out);

// Reads a JWS JSON unprotected header: names shared with the protected header are
// refused (RFC 7515 §7.2.1), and etsiU xVals certificates, rVals revocation data
// and sigTst timestamps are collected.
Finding ReadUnprotectedHeader(std::string_view json, simdjson::dom::parser& parser,
                              JoseHeader* out);

// alg (none, HMAC, unknown), crit (understood and present), b64 (must be critical).
Finding CheckHeaderPolicy(const JoseHeader& h);

// typ/cty acceptable for a credential, or for a presentation (typ vp+jwt and the
// like, cty vp); `json_serialization` admits JAdES's jose+json.
Finding CheckMediaTypes(const JoseHeader& h, bool json_serialization);

// typ names a verifiable presentation (VC-JOSE vp+jwt, vp+ld+jwt).
bool IsPresentationMediaType(std::string_view typ);

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_JOSE_HEADER_H_
