// A server process under test (`credsweep serve`, `python3 -m http.server`): started
// with fork/exec, its stderr kept in a file, ready once its port accepts a connection,
// killed with SIGKILL when the test ends unless stopped before.
#ifndef CREDSWEEP_TESTS_IO_SERVE_PROCESS_H_
#define CREDSWEEP_TESTS_IO_SERVE_PROCESS_H_

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "tests/testutil.h"

namespace credsweep::testing {

class ServeProcess {
 public:
  // Runs argv (argv[0] a path) with stderr to `log`; waits up to 20 s for `port`.
  ServeProcess(std::vector<std::string> argv, int port, const std::string& log = "/dev/null") : port_(port) {
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      freopen(log.c_str(), "w", stderr);
      freopen("/dev/null", "w", stdout);
      execv(args[0], args.data());
      _exit(127);
    }
    for (int i = 0; i < 800 && !Ready(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess() {
    if (pid_ > 0) Stop(SIGKILL);
  }
  bool Ready() const {
    int s = ConnectLoopback(port_);
    if (s < 0) return false;
    close(s);
    return true;
  }
  // Sends `sig` and waits for the exit; the wait status.
  int Stop(int sig) {
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }

 private:
  int port_;
  pid_t pid_ = -1;
};

// The output of a shell command (stdout only, unless it redirects).
inline std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

// Everything a server sends on `fd` until it closes the connection (or the socket's
// receive timeout ends the wait: then *closed is false).
inline std::string ReadToClose(int fd, bool* closed) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
  *closed = n == 0 || (n < 0 && errno == ECONNRESET);
  return out;
}

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_IO_SERVE_PROCESS_H_
