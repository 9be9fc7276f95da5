// The status lookup server's RESP2 (Redis protocol) listener, on Boost.Asio.
// Protocol: docs/protocol.md.
//
// Every connection has an idle deadline, a deadline for completing a command (from
// its first byte to its last, however it is split), a deadline for each write of
// replies (a client that stops reading is cut), a byte budget for an incomplete
// command, a bound on pipelined commands and on pending output, and the decoder's
// limits on announced sizes. All incomplete commands together share a global byte
// budget; the client whose input crosses it is disconnected. A misbehaving client
// is answered with an error and disconnected without affecting others. Lookups run
// on the I/O threads (microseconds each); durable writes run on one writer thread
// so fsyncs never stall the I/O threads.
#ifndef CREDSWEEP_IO_RESP_SERVER_H_
#define CREDSWEEP_IO_RESP_SERVER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/result.h"
#include "io/resp/decoder.h"
#include "io/resp/tokens.h"
#include "storage/status_index.h"

namespace credsweep::io::resp {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 6380;  // 0: any free port (see RespServer::port())
  int threads = 0;       // I/O threads; 0: hardware concurrency
  // Writes need AUTH with one of these tokens; without any the server is read-only.
  std::shared_ptr<const TokenSet> tokens;
  size_t max_connections = 10000;
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
  // From a command's first byte until its last (and for the TLS handshake).
  std::chrono::milliseconds command_timeout{std::chrono::seconds(10)};
  // For the client to accept one batch of replies (a write to the socket).
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
  size_t max_pipelined = 4096;          // commands buffered from one connection
  size_t max_output_bytes = 64u << 20;  // replies pending for one connection
  DecoderLimits limits;                 // limits.max_command_bytes: one incomplete command
  size_t max_pending_bytes = 256u << 20;  // all connections' incomplete commands together
  int max_auth_failures = 3;            // failed AUTHs before a connection is closed
  size_t cache_entries = 1u << 20;  // in-memory state cache (48 bytes per id)
  std::string tls_cert_file, tls_key_file;  // PEM; TLS only when both are set
  // LISTS.PUBLISH: publishes the status lists now and says what it wrote (the
  // server's --publish-key publisher); null when this server does not publish.
  std::function<Result<std::string>()> publish_lists;
  // Moved on by the server's publisher whenever it assigned slots itself, so that
  // CRED.ENROL reads the index's slots again. May be null (no publisher).
  std::shared_ptr<const std::atomic<uint64_t>> slot_generation;
};

class RespServer {
 public:
  RespServer(std::shared_ptr<storage::StatusIndex> index, ServerOptions options);
  ~RespServer();

  // Fills the state cache from the index; returns the number of ids loaded.
  size_t Preload();
  // Binds and listens; after this port() is the bound port.
  Status Listen();
  uint16_t port() const;
  // Serves until Shutdown() (or SIGINT/SIGTERM when handle_signals), then drains
  // in-flight commands and returns. With handle_signals, SIGHUP runs `on_hangup`
  // (when set) on a thread of its own, one reload at a time; connections stay open.
  void Run(bool handle_signals, std::function<void()> on_hangup = nullptr);
  // Thread-safe reloads (SIGHUP). ReloadTls: new connections use the certificate
  // and key now in the configured files; open connections keep theirs; on error
  // nothing changes. SetTokens: see Commands::SetTokens; false on a read-only server.
  Status ReloadTls();
  bool SetTokens(std::shared_ptr<const TokenSet> tokens);
  // Thread-safe; stops accepting and closes idle connections.
  void Shutdown();
  // RESP counters in Prometheus text format (for the HTTP /metrics page).
  std::string PrometheusText() const;

  struct Impl;  // defined in server.cc

 private:
  void WaitForSignal(std::function<void()> on_hangup);
  std::unique_ptr<Impl> impl_;
};

}  // namespace credsweep::io::resp

#endif  // CREDSWEEP_IO_RESP_SERVER_H_
