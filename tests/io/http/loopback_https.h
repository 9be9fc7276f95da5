// A real HTTPS server on loopback for `--online` tests: python3's http.server
// behind TLS, serving a folder, with a certificate for `localhost` made for it.
// A credsweep process trusts that certificate through SSL_CERT_FILE (the system
// trust store OpenSSL's default paths read), so the client's host name and chain
// checks run exactly as against a public server.
#ifndef CREDSWEEP_TESTS_IO_HTTP_LOOPBACK_HTTPS_H_
#define CREDSWEEP_TESTS_IO_HTTP_LOOPBACK_HTTPS_H_

#include <sys/types.h>

#include <string>

namespace credsweep::testing {

class LoopbackHttpsServer {
 public:
  // Makes `dir` (the certificate, the key and `dir`/www, the served root) and
  // starts serving; returns once the server accepts connections. false when it
  // could not start.
  bool Start(const std::string& dir);
  // Stops the server; the folder stays (the caller owns it).
  void Stop();
  ~LoopbackHttpsServer() { Stop(); }

  int port() const { return port_; }
  const std::string& root() const { return root_; }     // the served folder
  const std::string& cert() const { return cert_; }     // PEM, for SSL_CERT_FILE
  std::string Origin() const { return "https://localhost:" + std::to_string(port_); }

 private:
  std::string root_, cert_;
  int port_ = 0;
  pid_t pid_ = 0;
};

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_IO_HTTP_LOOPBACK_HTTPS_H_
