// The status server's HTTP/1.1 side (Boost.Beast). Routes (docs/protocol.md):
//   GET  /v1/credentials/{id}/status   the status record as JSON; 404 when unknown
//   POST /v1/status                    {"ids":[...]}: the records of up to 1,000 ids (io/http/batch_status.h)
//   POST /v1/verify                    a credential, a JWS, or JSONL: JSONL results, streamed
//   GET  /                             the verification page (io/http/ui_assets.h), and /ui/*
//   GET  /v1/policy                    what POST /v1/verify checks, for the page (SetPolicy)
//   GET  /healthz                      "ok"
//   GET  /metrics                      Prometheus text format
//   GET  /{path}                       the published list at the path of its URL: the file
//                                      lists_dir/{path} (io/http/published_lists.h), with
//                                      Cache-Control, ETag, 304 and CORS; OPTIONS preflight
// A method a route does not take gets 405 with `Allow`; HEAD is GET without the body.
// Every connection has read and write deadlines and a body cap; verification runs
// on a worker pool (oneTBB inside), never on the I/O threads.
//
// POST /v1/verify streams: the body is read in chunks, cut into records, verified
// in bounded batches and the results written back before more of the body is read,
// so a request holds about two batches however large its body (JSON Lines; a single
// document is held whole, up to max_body_bytes); reading and writing overlap the
// verification of the batch before. At most max_verify_requests run at once (more
// get 503 with Retry-After). Each request has at most one batch queued on the
// shared worker, which takes batches first come, first served (and verifies the
// queued batches of several requests in one pipeline run), so a small request
// waits for at most one batch of each request ahead of it.
#ifndef CREDSWEEP_IO_HTTP_SERVER_H_
#define CREDSWEEP_IO_HTTP_SERVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "engine/result.h"
#include "engine/verifier.h"
#include "storage/status_index.h"

namespace credsweep::io::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port
  int threads = 1;                          // I/O threads (`serve --http-threads`)
  int verify_threads = 0;                   // threads verifying POST /v1/verify batches; 0: all cores
  unsigned require = 0;                     // VerificationResult::verified(require): `--require`
  std::string lists_dir;                    // published lists (lists publish --out); empty: none
  size_t max_body_bytes = 16u << 20;        // POST /v1/verify; other routes take 64 KiB
  std::chrono::seconds read_timeout{30};    // each read of a request's header or body
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};  // each write of a response
  size_t max_verify_requests = 4;           // POST /v1/verify in progress at once
  size_t max_connections = 10000;
  std::string tls_cert_file, tls_key_file;  // PEM; HTTPS only when both are set
  // false (`--public-reasons no`): no status answer carries the reason of a revocation
  // or suspension (GET /v1/credentials/{id}/status, POST /v1/status). POST /v1/verify
  // is covered by the caller, which hands the verifier a lookup without reasons.
  bool public_reasons = true;
};

class HttpServer {
 public:
  // `extra_metrics`, when set, appends other Prometheus text (the RESP side's) to /metrics.
  // `verify`: the keys, anchors, limits and status sources POST /v1/verify uses
  // (its `at` is ignored). One Verifier serves all requests that start in the same
  // wall-clock second, at that second (io/http/current_verifier.h). Null: no verification.
  HttpServer(std::shared_ptr<storage::StatusIndex> index, std::shared_ptr<const VerifierOptions> verify,
             ServerOptions options, std::function<std::string()> extra_metrics = nullptr);
  ~HttpServer();
  Status Listen();
  uint16_t port() const;
  void Start();     // serves on its own threads
  void Shutdown();  // stops accepting, finishes in-flight requests, joins

  // Thread-safe reloads (SIGHUP). ReloadTls: new connections use the certificate and
  // key now in the configured files, open ones keep theirs; on error nothing changes.
  // SetVerifierOptions: requests that start from now on are verified with `verify`
  // (e.g. a list folder whose index.json changed); requests in flight keep theirs.
  // False when the server was built without verification.
  Status ReloadTls();
  bool SetVerifierOptions(std::shared_ptr<const VerifierOptions> verify);
  // The JSON object GET /v1/policy answers (io/cli/policy_description.h): what the
  // verifier checks, in words a person reads on the page. Thread-safe; until set,
  // {"verification": true|false}.
  void SetPolicy(std::string json);
  const ServerOptions& options() const;

  struct Impl;  // defined in server.cc

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace credsweep::io::http

#endif  // CREDSWEEP_IO_HTTP_SERVER_H_
