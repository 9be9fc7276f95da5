// Data Integrity proofs with the JCS cryptosuites: eddsa-jcs-2022 (Ed25519) and
// ecdsa-jcs-2019 (P-256 with SHA-256, P-384 with SHA-384), per W3C vc-di-eddsa and
// vc-di-ecdsa. The verification method must be a did:key or did:jwk URL, resolved
// offline; the key type must fit the cryptosuite.
#ifndef CREDSWEEP_ENGINE_DATA_INTEGRITY_H_
#define CREDSWEEP_ENGINE_DATA_INTEGRITY_H_

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

// Verifies the single `proof` of a secured JSON document.
DataIntegrityResult VerifyDataIntegrity(std::string_view document_json);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_DATA_INTEGRITY_H_
