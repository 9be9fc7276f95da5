// credsweep's log lines on stderr: each carries its UTC time. `--log-format json`
// writes one JSON object per line for log collectors:
//   {"time":"2026-12-03T08:15:02.123Z","level":"warning","message":"..."}
#ifndef CREDSWEEP_IO_CLI_LOGGING_H_
#define CREDSWEEP_IO_CLI_LOGGING_H_

#include <string>

namespace credsweep::io::cli {

// Installs the default logger for `format` ("text" or "json"); false for any other name.
bool ConfigureLogging(const std::string& format);

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_LOGGING_H_
