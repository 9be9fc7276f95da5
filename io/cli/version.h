// credsweep's version, as `--version` prints it and sweep runs record it.
#ifndef CREDSWEEP_IO_CLI_VERSION_H_
#define CREDSWEEP_IO_CLI_VERSION_H_

namespace credsweep::io::cli {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_VERSION_H_
