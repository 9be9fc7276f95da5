#include "io/cli/stop_signals.h"

#include <atomic>

namespace credsweep::io::cli {
namespace {

std::atomic<int> g_received{0};

extern "C" void OnStopSignal(int sig) {
  int expected = 0;
  if (!g_received.compare_exchange_strong(expected, sig)) {
    // The second signal: end now, as the signal's default action does.
    signal(sig, SIG_DFL);
    raise(sig);
  }
}

}  // namespace

StopSignals::StopSignals() {
  g_received = 0;
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // reads and writes in progress go on; the run stops between records
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

int StopSignals::received() const { return g_received.load(); }

std::string StopSignals::name() const {
  switch (received()) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "";
  }
}

}  // namespace credsweep::io::cli
