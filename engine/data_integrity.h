// Data Integrity proofs with the JCS cryptosuites: eddsa-jcs-2022 (Ed25519) and
// ecdsa-jcs-2019 (P-256 with SHA-256, P-384 with SHA-384), per W3C vc-di-eddsa and
// vc-di-ecdsa. The verification method is resolved offline (did:key, did:jwk)
// unless the caller resolves it; the key type must fit the cryptosuite.
#ifndef CREDSWEEP_ENGINE_DATA_INTEGRITY_H_
#define CREDSWEEP_ENGINE_DATA_INTEGRITY_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/finding.h"
#include "engine/keys.h"
#include "engine/timestamp.h"

namespace credsweep {

struct DataIntegrityResult {
  // ok() with a message saying how the proof verified, or a seal failure code
  // (see docs/output-format.md).
  Finding finding;
  std::string verification_method;  // the DID URL the proof names
  // The proof's own dates, when it carries them; the verifier compares them with
  // the verification time (a proof created in the future or expired fails).
  std::optional<UnixSeconds> created, expires;
  bool ok() const { return finding.ok(); }
};

// Turns the proof's verificationMethod into a key; or returns null and says why
// in `why` with a seal finding (key_not_found, key_unavailable, ...).
using VerificationMethodResolver = std::function<PublicKeyPtr(std::string_view method, Finding* why)>;

// Verifies the single `proof` of a secured JSON document, whose proofPurpose must
// be `purpose` (assertionMethod for a credential, authentication for a
// presentation). Without `resolve`, only did:key and did:jwk methods resolve
// (offline).
DataIntegrityResult VerifyDataIntegrity(std::string_view document_json, const VerificationMethodResolver& resolve = {},
                                        std::string_view purpose = "assertionMethod");

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_DATA_INTEGRITY_H_
