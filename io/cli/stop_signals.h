// SIGINT and SIGTERM as a request to stop a batch run cleanly (systemd stops,
// Ctrl-C): while a StopSignals lives, the first signal only sets a flag, which
// the run checks between records; a second one ends the process as the signal
// normally would. The previous handlers are restored on destruction.
#ifndef CREDSWEEP_IO_CLI_STOP_SIGNALS_H_
#define CREDSWEEP_IO_CLI_STOP_SIGNALS_H_

#include <signal.h>

#include <string>

namespace credsweep::io::cli {

class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // The signal received (SIGINT or SIGTERM), or 0.
  int received() const;
  // "SIGINT" / "SIGTERM"; empty when none was received.
  std::string name() const;
  // The conventional exit status after the signal: 128 + its number (130, 143).
  int exit_status() const { return 128 + received(); }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_STOP_SIGNALS_H_
