// Data Integrity proofs with the JCS cryptosuites, for `credsweep sample` and the
// tests: the signing side of engine/data_integrity.h. Verification never needs it.
#ifndef CREDSWEEP_TOOLS_DATA_INTEGRITY_SIGNER_H_
#define CREDSWEEP_TOOLS_DATA_INTEGRITY_SIGNER_H_

#include <string>
#include <string_view>

#include "engine/result.h"
#include "engine/signer.h"

namespace credsweep::tools {

struct ProofOptions {
  std::string verification_method;          // a DID URL of the signing key
  std::string purpose = "assertionMethod";  // authentication for a presentation
  std::string created;                      // dateTimeStamp; empty: none
  std::string challenge, domain;            // a presentation's; empty: none
};

// `document_json` (a JSON object without a proof) with a DataIntegrityProof added:
// eddsa-jcs-2022 for an Ed25519 key, ecdsa-jcs-2019 for P-256 and P-384 keys.
Result<std::string> AddDataIntegrityProof(std::string_view document_json, const PrivateKey& key,
                                          const ProofOptions& options);

}  // namespace credsweep::tools

#endif  // CREDSWEEP_TOOLS_DATA_INTEGRITY_SIGNER_H_
