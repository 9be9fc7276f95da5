// The status server's HTTP/1.1 side (Boost.Beast). Routes (docs/protocol.md):
//   GET  /v1/credentials/{id}/status   the status record as JSON; 404 when unknown
//   GET  /status-lists/{name}          a published status list (Cache-Control, ETag, 304)
//   POST /v1/verify                    a credential, a JWS, or JSONL: JSONL results
//   GET  /healthz                      "ok"
//   GET  /metrics                      Prometheus text format
// Every connection has a read deadline and a body cap; verification runs on a
// worker pool (oneTBB inside), never on the I/O threads.
#ifndef CREDSWEEP_IO_HTTP_SERVER_H_
#define CREDSWEEP_IO_HTTP_SERVER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "engine/result.h"
#include "engine/verifier.h"
#include "storage/status_index.h"

namespace credsweep::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port
  int threads = 1;
  std::string lists_dir;                    // published lists (lists publish --out); empty: none
  size_t max_body_bytes = 16u << 20;        // POST /v1/verify
  std::chrono::seconds read_timeout{30};
  size_t max_connections = 10000;
  std::string tls_cert_file, tls_key_file;  // PEM; HTTPS only when both are set
};

class HttpServer {
 public:
  // `extra_metrics`, when set, appends other Prometheus text (the RESP side's) to /metrics.
  // `verify`: the keys, anchors and status sources POST /v1/verify uses; a
  // Verifier is built per request with the request's time. Null: no verification.
  HttpServer(std::shared_ptr<storage::StatusIndex> index, std::shared_ptr<const VerifierOptions> verify,
             ServerOptions options, std::function<std::string()> extra_metrics = nullptr);
  ~HttpServer();
  Status Listen();
  uint16_t port() const;
  void Start();     // serves on its own threads
  void Shutdown();  // stops accepting, finishes in-flight requests, joins

  struct Impl;  // defined in server.cc

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace credsweep::http

#endif  // CREDSWEEP_IO_HTTP_SERVER_H_
