// A look over the command line before CLI11 parses it, so that a mistake gets a
// message that says what was probably meant:
//   - an unknown subcommand or option names the nearest known one
//     ("unknown command 'verfy'; did you mean 'verify'?");
//   - an option that takes a value, followed by something that looks like an
//     option ("-o -q"), is refused: the value would silently swallow the option.
//     "--out=-q" (or "-o-q") still says it on purpose; "-" and negative numbers
//     are values.
// Everything else (required options, value checks) is left to CLI11.
#ifndef CREDSWEEP_IO_CLI_ARGUMENT_CHECK_H_
#define CREDSWEEP_IO_CLI_ARGUMENT_CHECK_H_

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace credsweep::io::cli {

// The problem with `args` (argv without the program name) for `app`, or nullopt.
std::optional<std::string> CheckArguments(const CLI::App& app, const std::vector<std::string>& args);

// The candidate nearest to `given` by edit distance, if it is near enough to be a
// plausible typo (or `given` is a prefix of it); empty otherwise.
std::string Nearest(std::string_view given, const std::vector<std::string>& candidates);

// "; did you mean 'X'?" for the nearest candidate, or empty.
std::string DidYouMean(std::string_view given, const std::vector<std::string>& candidates);

// The names of `app`'s subcommands.
std::vector<std::string> SubcommandNames(const CLI::App& app);

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_ARGUMENT_CHECK_H_
