// credsweep serve: the status index over the Redis protocol (RESP2).
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>

#include "io/cli/commands.h"
#include "io/http/server.h"
#include "io/resp/server.h"
#include "io/status_list_dir.h"
#include "storage/status_index.h"

namespace credsweep::cli {
namespace {

struct ServeArgs {
  std::string db, resp = "127.0.0.1:6380", token_file;
  int threads = 0;
  size_t max_connections = 10000;
  int idle_timeout = 300;
  size_t cache_entries = 0;  // 0: sized from the index
  bool no_preload = false;
  std::string http, lists_dir;
  std::vector<std::string> jwks, ca;
  size_t max_body = 16u << 20;
  std::string tls_cert, tls_key;
};

bool SplitHostPort(const std::string& addr, std::string* host, uint16_t* port) {
  size_t colon = addr.rfind(':');
  if (colon == std::string::npos) return false;
  *host = addr.substr(0, colon);
  if (host->empty()) *host = "0.0.0.0";
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  try {
    int p = std::stoi(addr.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    *port = static_cast<uint16_t>(p);
  } catch (...) {
    return false;
  }
  return true;
}

int RunServe(const ServeArgs& a) {
  resp::ServerOptions o;
  if (!SplitHostPort(a.resp, &o.host, &o.port)) return UsageError("--resp: expected HOST:PORT, got " + a.resp);
  o.threads = a.threads;
  o.max_connections = a.max_connections;
  o.idle_timeout = std::chrono::seconds(a.idle_timeout);
  if (a.tls_cert.empty() != a.tls_key.empty()) return UsageError("--tls-cert and --tls-key go together");
  o.tls_cert_file = a.tls_cert;
  o.tls_key_file = a.tls_key;
  if (!a.token_file.empty()) {
    std::ifstream in(a.token_file);
    std::string token;
    if (!in || !std::getline(in, token)) return UsageError("cannot read token file " + a.token_file);
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
    if (token.size() < 16) return UsageError("the token in " + a.token_file + " must be at least 16 characters");
    struct stat st {};
    if (stat(a.token_file.c_str(), &st) == 0 && (st.st_mode & 077)) {
      spdlog::warn("{} is readable by other users; chmod 600 it", a.token_file);
    }
    o.auth_token = token;  // never logged
  }
  auto idx = storage::OpenForWriting(a.db);
  if (!idx.ok()) return UsageError(idx.status().message());
  std::shared_ptr<storage::StatusIndex> index = std::move(idx).value();
  uint64_t count = index->ApproximateCount();
  o.cache_entries = a.cache_entries ? a.cache_entries
                                    : std::clamp<size_t>(count + count / 4 + 65536, 65536, size_t{20} << 20);
  resp::RespServer server(index, o);
  if (!a.no_preload) {
    auto t0 = std::chrono::steady_clock::now();
    size_t n = server.Preload();
    spdlog::info("state cache: {} ids loaded in {:.1f} s (capacity {})", n,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), o.cache_entries);
  }
  if (Status s = server.Listen(); !s.ok()) return UsageError(s.message());
  std::unique_ptr<http::HttpServer> web;
  if (!a.http.empty()) {
    http::ServerOptions ho;
    if (!SplitHostPort(a.http, &ho.host, &ho.port)) return UsageError("--http: expected HOST:PORT, got " + a.http);
    ho.lists_dir = a.lists_dir;
    ho.tls_cert_file = a.tls_cert;
    ho.tls_key_file = a.tls_key;
    ho.max_body_bytes = a.max_body;
    auto vo = std::make_shared<VerifierOptions>();
    std::shared_ptr<KeySet> keys;
    std::shared_ptr<ChainValidator> anchors;
    if (Status s = LoadKeysAndAnchors(a.jwks, a.ca, &keys, &anchors); !s.ok()) return UsageError(s.message());
    vo->keys = keys;
    vo->anchors = anchors;
    vo->status_index = index;
    if (!a.lists_dir.empty()) {
      auto dir = io::StatusListDirectory::Open(a.lists_dir);
      if (!dir.ok()) return UsageError(dir.status().message());
      vo->status_lists = std::move(dir).value();
    }
    web = std::make_unique<http::HttpServer>(index, vo, ho, [&server] { return server.PrometheusText(); });
    if (Status s = web->Listen(); !s.ok()) return UsageError(s.message());
    web->Start();
    spdlog::info("{} on {}:{}", a.tls_cert.empty() ? "HTTP" : "HTTPS", ho.host, web->port());
  }
  spdlog::info("serving {} on {}:{} (RESP2{}){}", a.db, o.host, server.port(), a.tls_cert.empty() ? "" : " over TLS",
               o.auth_token ? ", writes need AUTH" : ", read-only (no --auth-token-file)");
  server.Run(/*handle_signals=*/true);
  if (web) web->Shutdown();
  spdlog::info("stopped; index closed cleanly");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve status lookups over the Redis protocol");
  cmd->add_option("--db", a->db, "Status index directory (created when missing)")->required();
  cmd->add_option("--resp", a->resp, "RESP listen address HOST:PORT")->capture_default_str();
  cmd->add_option("--auth-token-file", a->token_file, "File holding the token AUTH must present for writes");
  cmd->add_option("--threads", a->threads, "I/O threads (default: all cores)");
  cmd->add_option("--max-connections", a->max_connections, "Connections served at once")->capture_default_str();
  cmd->add_option("--idle-timeout", a->idle_timeout, "Seconds before an idle connection is closed")
      ->capture_default_str();
  cmd->add_option("--cache-entries", a->cache_entries,
                  "Ids held in the in-memory state cache, 48 bytes each (default: the index's size + 25%, max 20M)");
  cmd->add_flag("--no-preload", a->no_preload, "Do not fill the state cache from the index at start");
  cmd->add_option("--http", a->http, "HTTP listen address HOST:PORT (status JSON, lists, verify, metrics)");
  cmd->add_option("--lists", a->lists_dir, "Folder of published status lists to serve (lists publish --out)");
  cmd->add_option("--jwks", a->jwks, "JWK Sets for POST /v1/verify (repeatable)")->allow_extra_args(false);
  cmd->add_option("--ca", a->ca, "Trust anchors for POST /v1/verify (repeatable)")->allow_extra_args(false);
  cmd->add_option("--max-body-bytes", a->max_body, "Largest HTTP request body")->capture_default_str();
  cmd->add_option("--tls-cert", a->tls_cert, "PEM certificate chain: both protocols speak TLS");
  cmd->add_option("--tls-key", a->tls_key, "PEM private key of --tls-cert");
  cmd->callback([a, exit_code] { *exit_code = RunServe(*a); });
}

}  // namespace credsweep::cli
