// libFuzzer target for the HTTP server's request handling (io/http/server.h): request
// routing, percent-decoding of ids, the status route over a real (temporary) status
// index, published status lists, POST /v1/verify's streaming body and the refusals.
//
// The server has no entry point below its socket, so the input goes over loopback
// TCP, as a client sends it: one server (threads = 1, short deadlines) is started once;
// each input is sent on a fresh connection, the write side is shut down, and the
// response is read to the end. Beast parses the bytes; what is fuzzed is everything
// after. Invariant: the server closes the connection within 10 s (its read deadline
// is 2 s), i.e. no input keeps a connection or a verification slot forever. Slower
// than the in-process targets (a connection per input).
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "engine/key_set.h"
#include "engine/signer.h"
#include "engine/verifier.h"
#include "io/http/server.h"
#include "storage/status_index.h"

namespace {

uint16_t StartServer() {
  using namespace credsweep;
  char tmpl[] = "/tmp/credsweep-http-fuzz-XXXXXX";
  if (!mkdtemp(tmpl)) std::abort();
  const std::string dir = tmpl;
  storage::OpenOptions open;
  open.create_if_missing = true;
  open.block_cache_bytes = 1u << 20;
  auto index = storage::StatusIndex::Open(dir + "/index", open);
  if (!index.ok()) std::abort();
  storage::Change change;
  change.id = "urn:uuid:0f1e2d3c-0000-4000-8000-000000000001";
  change.reason = "fuzz";
  change.time = 1767225600;
  change.register_unknown = true;
  if (!(*index)->Apply(change, "fuzz").ok()) std::abort();
  std::shared_ptr<storage::StatusIndex> shared_index = std::move(*index);

  if (mkdir((dir + "/lists").c_str(), 0700) != 0) std::abort();
  std::ofstream(dir + "/lists/l1.json") << R"({"type":["VerifiableCredential"]})";
  std::ofstream(dir + "/lists/l1.jwt") << "eyJhbGciOiJFUzI1NiJ9.e30.AAAA";

  auto key = PrivateKey::Generate(JwsAlg::kES256);
  if (!key.ok()) std::abort();
  (*key)->set_kid("fuzz");
  auto keys = std::make_shared<KeySet>();
  if (!keys->AddJwks((*key)->ToPublicJwkJson(), "fuzz").ok()) std::abort();
  auto verify = std::make_shared<VerifierOptions>();
  verify->keys = keys;

  io::http::ServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.lists_dir = dir + "/lists";
  options.max_body_bytes = 1u << 20;
  options.read_timeout = std::chrono::seconds(2);
  options.write_timeout = std::chrono::seconds(2);
  auto* server = new io::http::HttpServer(shared_index, verify, options);  // lives for the process
  if (!server->Listen().ok()) std::abort();
  server->Start();
  return server->port();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const uint16_t port = StartServer();
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) std::abort();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
  size_t sent = 0;
  while (sent < size) {
    ssize_t n = send(s, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading everything
    sent += static_cast<size_t>(n);
  }
  shutdown(s, SHUT_WR);
  char buf[16384];
  for (;;) {
    ssize_t n = recv(s, buf, sizeof buf, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == ECONNRESET) break;
      std::abort();  // no close within 10 s
    }
  }
  close(s);
  return 0;
}
