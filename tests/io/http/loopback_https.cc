#include "tests/io/http/loopback_https.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "tests/testutil.h"

namespace credsweep::testing {
namespace {

constexpr const char* kHttpsServer =
    "import functools, http.server, ssl, sys\n"
    "port, root, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]\n"
    "handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)\n"
    "server = http.server.ThreadingHTTPServer(('127.0.0.1', port), handler)\n"
    "tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
    "tls.load_cert_chain(cert, key)\n"
    "server.socket = tls.wrap_socket(server.socket, server_side=True)\n"
    "server.serve_forever()\n";

}  // namespace

bool LoopbackHttpsServer::Start(const std::string& dir) {
  root_ = dir + "/www";
  cert_ = dir + "/cert.pem";
  const std::string key = dir + "/key.pem";
  std::filesystem::create_directories(root_);
  const std::string make_cert = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + key +
                                " -out " + cert_ + " -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost " +
                                "2>/dev/null";
  if (std::system(make_cert.c_str()) != 0) return false;
  port_ = FreeLoopbackPort();
  pid_ = fork();
  if (pid_ == 0) {
    execlp("python3", "python3", "-c", kHttpsServer, std::to_string(port_).c_str(), root_.c_str(), cert_.c_str(),
           key.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (pid_ < 0) return false;
  for (int i = 0; i < 100; ++i) {  // until the server accepts connections
    int s = ConnectLoopback(port_);
    if (s >= 0) {
      close(s);
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void LoopbackHttpsServer::Stop() {
  if (pid_ > 0) {  // never kill(0, ...): that is the whole process group
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }
}

}  // namespace credsweep::testing
