// `credsweep sample`: a realistic, reproducible corpus of sealed micro-credentials
// with the keys, trust anchor and manifest needed to verify it.
//
// Layout written under `out_dir`:
//   trust-registry.json       the trusted-issuer registry (verify --trust): each
//                             university's keys, the issuing body's seal
//                             certificate, mandates, status delegates, the root CA
//   keys/jwks.json            public JWK Set of the member universities' keys, and
//                             one key no issuer owns
//   keys/ca.pem               the corpus' test root CA (use with --ca)
//   keys/private/*.jwk        the private keys (test material only)
//   credentials/part-NNNNN.jsonl[.gz]   the records, `per_file` per file
//   manifest.jsonl            one line per result: source, id, expected outcome (a
//                             presentation's line, then one per credential, SOURCE#K)
//   index/                    status index: every credential registered, some
//                             revoked or suspended (verify --db)
//   status-lists/             signed status lists per university (verify --status-lists)
#ifndef CREDSWEEP_TOOLS_SAMPLE_CORPUS_H_
#define CREDSWEEP_TOOLS_SAMPLE_CORPUS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "engine/jws_alg.h"
#include "engine/result.h"
#include "engine/timestamp.h"

namespace credsweep::tools {

enum class Envelope {
  kVcJwt,     // VC 2.0 compact JWS (typ vc+jwt), key by kid from the JWK Set
  kVc11Jwt,   // VC 1.1 JWT with a vc claim (iss/jti/sub/nbf/exp mirror it)
  kJades,     // EDC-style JWS JSON, RS256, b64:false, x5c + etsiU xVals chain
  kSdJwtVc,   // SD-JWT VC (dc+sd-jwt) as a wallet presents it: 10 disclosures and a
              // key binding JWT by the holder key (keys/holder.jwk) for audience
              // kWalletAudience and nonce kWalletNonce, signed at the corpus time
  kPresentation,  // a vp+jwt by the holder (did:jwk of keys/holder.jwk) for the same
                  // audience and nonce, enveloping 5 VC 2.0 vc+jwt credentials issued
                  // to the holder: the record's own (with its planned defect and
                  // status) and 4 clean ones of the same member without status
};

inline constexpr const char* kWalletAudience = "https://verifier.alliance.example";
inline constexpr const char* kWalletNonce = "sample-nonce-7f3a";

struct SampleOptions {
  size_t count = 1000;
  std::string out_dir;
  std::vector<JwsAlg> algs = {JwsAlg::kES256, JwsAlg::kES384, JwsAlg::kEdDSA, JwsAlg::kRS256,
                              JwsAlg::kPS256};
  std::vector<Envelope> envelopes = {Envelope::kVcJwt, Envelope::kVc11Jwt, Envelope::kJades};
  double expired = 0.05;        // share deliberately expired
  double not_yet_valid = 0.02;  // share valid only in the future
  double tampered = 0.03;       // share with a payload changed after sealing
  double revoked = 0.02;        // share revoked (status index and published list)
  double suspended = 0.01;      // share suspended
  double forged = 0.01;         // share claiming an issuer whose key did not seal them (or, JAdES,
                                // an awarding body the issuing body has no mandate for)
  double unbound = 0.01;        // share sealed with a key in keys/jwks.json that no issuer owns
  bool with_status = true;      // status entries, DIR/index and DIR/status-lists
  bool with_accreditations = true;  // accreditation records in the registry, ELM evidence
  uint64_t seed = 1;
  size_t payload_kb = 0;        // pad each credential to about this many KB (0: natural)
  // JAdES seals also carry what long-term validation needs, as Europass seals do: a
  // signature timestamp (sigTst) by the corpus' TSA (certified by keys/ca.pem, so
  // `--tsa-ca keys/ca.pem` trusts it), the OCSP response of the issuing CA's
  // delegated responder for the seal certificate at the signing time and the root's
  // CRL for the issuing CA (rVals). The TSA and the responder have RSA keys, as
  // those of Europass seals do.
  bool jades_long_term = false;
  size_t per_file = 10000;
  bool gzip = false;
  UnixSeconds at = 0;           // reference time the expectations hold at (0: now)
  int threads = 0;
};

struct SampleStats {
  size_t records = 0, expected_verified = 0, files = 0;
};

Result<SampleStats> WriteSampleCorpus(const SampleOptions& options);

Result<Envelope> ParseEnvelope(std::string_view name);

}  // namespace credsweep::tools

#endif  // CREDSWEEP_TOOLS_SAMPLE_CORPUS_H_
