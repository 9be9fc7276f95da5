// The credsweep subcommands. Each Add*Command registers its options on `app`; the
// command runs from CLI11's callback and stores its process exit code in *exit_code
// (0 success, 1 not all verified, 2 usage or I/O error).
#ifndef CREDSWEEP_IO_CLI_COMMANDS_H_
#define CREDSWEEP_IO_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "engine/jws_alg.h"
#include "engine/key_set.h"
#include "engine/timestamp.h"
#include "engine/x509_chain.h"

namespace credsweep::io::cli {

void AddVerifyCommand(CLI::App& app, int* exit_code);
void AddSweepCommand(CLI::App& app, int* exit_code);
void AddKeygenCommand(CLI::App& app, int* exit_code);
void AddSampleCommand(CLI::App& app, int* exit_code);
void AddStatusCommands(CLI::App& app, int* exit_code);
void AddImportCommands(CLI::App& app, int* exit_code);
void AddListsCommand(CLI::App& app, int* exit_code);
void AddServeCommand(CLI::App& app, int* exit_code);
void AddTrustCommands(CLI::App& app, int* exit_code);
void AddCanonicalizeCommand(CLI::App& app, int* exit_code);

// Prints "credsweep: error: MESSAGE" on stderr and returns 2.
int UsageError(const std::string& message);

// Loads --jwks and --ca files into a key set and a chain validator.
Status LoadKeysAndAnchors(const std::vector<std::string>& jwks, const std::vector<std::string>& ca,
                          std::shared_ptr<KeySet>* keys, std::shared_ptr<ChainValidator>* anchors);

// Parses an --at value: RFC 3339 date-time, or "now".
std::optional<UnixSeconds> ParseTimeOption(const std::string& text);

// An algorithm named on the command line, case-insensitively ("es256", "eddsa").
// (In tokens, JOSE alg names stay case-sensitive: see JwsAlgFromName.)
std::optional<JwsAlg> ParseAlgOption(const std::string& name);

// `requested` threads, at most the cores this process may run on; past that,
// one warning line naming `option` ("-j 64: this machine has 8 core(s); ...").
int CapThreads(int requested, const std::string& option);

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_COMMANDS_H_
