// What `serve --http` verifies, in words a person reads on the verification page
// (GET /v1/policy, docs/verification-page.md): one sentence per check and a
// one-line summary, with the request limits the page must respect.
#ifndef CREDSWEEP_IO_CLI_POLICY_DESCRIPTION_H_
#define CREDSWEEP_IO_CLI_POLICY_DESCRIPTION_H_

#include <string>

#include "engine/verifier.h"
#include "io/cli/verifier_builder.h"
#include "io/http/server.h"

namespace credsweep::io::cli {

// The JSON object of GET /v1/policy. `flags` as given to serve, `options` the
// verifier built from them, `trusted_lists` LoadTrustedServices' description
// (empty without trusted lists). Names no file path and no key material.
std::string DescribePolicy(const VerifierFlags& flags, const VerifierOptions& options, unsigned required,
                           const std::string& trusted_lists, const http::ServerOptions& server);

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_POLICY_DESCRIPTION_H_
