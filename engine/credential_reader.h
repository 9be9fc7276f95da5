// Reading a credential record without verifying it: for the places that need what a
// record *says* (its id, issuer, status entries) before or without the five checks,
// such as registering issued credentials or serving a published status list. Nothing
// read here is verified; the Verifier is the only path to a verdict.
#ifndef CREDSWEEP_ENGINE_CREDENTIAL_READER_H_
#define CREDSWEEP_ENGINE_CREDENTIAL_READER_H_

#include <optional>
#include <string>
#include <string_view>

#include "engine/credential.h"
#include "engine/finding.h"

namespace credsweep {

// The three parts of a compact JWS (RFC 7515 §7.1), as views into the input.
struct CompactJwsParts {
  std::string_view header64, payload64, signature64;
  std::string_view signing_input;  // header64 + "." + payload64
};
// nullopt unless the input has exactly two dots.
std::optional<CompactJwsParts> SplitCompactJws(std::string_view jws);

struct UnverifiedCredential {
  Credential credential;     // what could be read, even when `problem` is set
  std::string payload_json;  // the credential (or JWT claims) as JSON text
  Finding problem;           // the format check's finding; ok() when well formed
};

struct ReadLimits {
  size_t max_record_bytes = 8u << 20;
  size_t max_json_depth = 128;
};

// Reads a record in any envelope the Verifier accepts (compact JWS, JWS JSON, a
// JSON credential with or without a proof) and applies the format check. Never
// checks a signature. Thread-safe.
UnverifiedCredential ReadUnverifiedCredential(std::string_view record, const ReadLimits& limits = {});

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_CREDENTIAL_READER_H_
