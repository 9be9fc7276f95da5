// Parsing the command line and running the chosen command, behind the command
// line's exception fence.
#ifndef CREDSWEEP_IO_CLI_COMMAND_LINE_H_
#define CREDSWEEP_IO_CLI_COMMAND_LINE_H_

#include <CLI/CLI.hpp>

namespace credsweep::io::cli {

// Checks argv (CheckArguments), parses it with `app` and so runs the chosen
// command's callback, which leaves its exit status in *exit_code. Returns the
// process exit status: *exit_code after a command ran; 0 for --help/--version;
// 2 for a usage error (one message on stderr). An exception escaping a command is
// a bug: it is caught here, logged as one "internal error" line, and gives 2,
// never std::terminate. Logs through spdlog's default logger.
int RunCommandLine(CLI::App& app, int argc, const char* const* argv, const int* exit_code);

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_COMMAND_LINE_H_
