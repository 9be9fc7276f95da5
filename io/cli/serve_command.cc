// credsweep serve: the status index over the Redis protocol (RESP2).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>
#include <mutex>
#include <functional>
#include <filesystem>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <memory>

#include "io/cli/commands.h"
#include "io/cli/policy_description.h"
#include "io/cli/verifier_builder.h"
#include "io/http/server.h"
#include "io/http/withheld_reasons.h"
#include "io/listen_address.h"
#include "io/resp/server.h"
#include "io/resp/tokens.h"
#include "io/status_lists/republisher.h"
#include "storage/status_index.h"

namespace credsweep::io::cli {
namespace {

struct ServeArgs {
  std::string db, resp = "127.0.0.1:6380", token_file;
  bool allow_readable_token_file = false;
  int threads = 0, http_threads = 1, verify_threads = 0;
  size_t max_connections = 10000;
  int idle_timeout = 300;
  double command_timeout = 10, write_timeout = 30;  // seconds
  size_t max_command_bytes = 1u << 20, max_pending_bytes = 256u << 20;
  size_t max_verify_requests = 4;
  size_t cache_entries = 0;  // 0: sized from the index
  bool no_preload = false;
  std::string http, lists_dir;
  VerifierFlags verifier;  // POST /v1/verify; shared with `verify`
  size_t max_body = 16u << 20;
  std::string tls_cert, tls_key;
  std::string public_reasons = "yes";
  // The server publishes (--publish-key): the issuer's lists into --lists after writes.
  std::string publish_key;
  io::PublishOptions publish;  // issuer, base_url, list_entries, ttl_seconds; out_dir is --lists
  double publish_interval = 60;  // seconds
  std::string publish_format = "bitstring";
  // --follow: a read-only follower of the index another `serve` writes.
  bool follow = false;
  std::string follower_dir;
  double catch_up_interval = 1;  // seconds
};

// A follower's catch-up loop: every interval, what the writer made durable becomes
// visible. Stops (and joins) when destroyed.
class CatchUpLoop {
 public:
  CatchUpLoop(std::shared_ptr<storage::StatusIndex> index, std::chrono::milliseconds interval)
      : index_(std::move(index)), interval_(interval), thread_([this] { Run(); }) {}
  ~CatchUpLoop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    bool failing = false;
    while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
      lock.unlock();
      Status st = index_->CatchUp(nullptr);
      if (!st.ok() && !failing) spdlog::error("follower: cannot catch up with the index's writer: {}", st.message());
      if (st.ok() && failing) spdlog::info("follower: caught up again");
      failing = !st.ok();
      lock.lock();
    }
  }
  std::shared_ptr<storage::StatusIndex> index_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: started once the rest is set
};

// HOST:PORT for `option`; a usage message otherwise. Binding all interfaces is
// logged as a warning: the server is then reachable from other machines.
Result<ListenAddress> ListenOn(const std::string& option, const std::string& value) {
  auto addr = ParseListenAddress(value);
  if (!addr.ok()) return InvalidArgument(option + ": " + addr.status().message());
  if (addr->all_interfaces) {
    spdlog::warn("{} {}: listening on all interfaces ({}): reachable from other machines; give 127.0.0.1:PORT "
                 "for this machine only",
                 option, value, addr->host);
  }
  return addr;
}

// POST /v1/verify's options: the verification flags, the index, and the reasons
// withheld when they are not public.
// `policy`, when given, receives GET /v1/policy's description of them.
Result<std::shared_ptr<VerifierOptions>> ServeVerifier(const ServeArgs& a, std::shared_ptr<storage::StatusIndex> index,
                                                       unsigned* require, const http::ServerOptions& server,
                                                       std::string* policy) {
  VerifierFlags flags = a.verifier;
  if (flags.status_lists.empty()) flags.status_lists = a.lists_dir;  // the lists it publishes
  auto built = BuildVerifier(flags, index, ListCacheLifetime::kLongLived);
  if (!built.ok()) return built.status();
  *require = built->required;
  if (built->options.trust_any_configured_key) spdlog::warn("{}", kTrustAnyKeyWarning);
  // The trusted lists are verified at start (and again on the next start or SIGHUP).
  std::string trusted_lists;
  if (Status st = LoadTrustedServices(flags, NowUtc(), &built->options, &trusted_lists); !st.ok()) return st;
  if (a.public_reasons == "no") built->options.status_index = http::WithoutReasons(built->options.status_index);
  *policy = DescribePolicy(flags, built->options, built->required, trusted_lists, server);
  return std::make_shared<VerifierOptions>(std::move(built->options));
}

// SIGHUP: the token file, the TLS certificate and the verifier (with its list folder)
// are read again; what fails to load is logged and the old one kept. Connections stay.
void Reload(const ServeArgs& a, std::shared_ptr<storage::StatusIndex> index, resp::RespServer& server,
            http::HttpServer* web) {
  spdlog::info("SIGHUP: reloading");
  if (!a.token_file.empty()) {
    auto tokens = resp::LoadTokenFile(a.token_file, a.allow_readable_token_file);
    if (!tokens.ok()) {
      spdlog::error("SIGHUP: tokens kept: {}", tokens.status().message());
    } else {
      size_t n = tokens->size();
      server.SetTokens(std::make_shared<const resp::TokenSet>(std::move(tokens).value()));
      spdlog::info("SIGHUP: {} token(s) loaded from {}", n, a.token_file);
    }
  }
  if (!a.tls_cert.empty()) {
    Status r = server.ReloadTls();
    Status h = web ? web->ReloadTls() : Status::Ok();
    if (!r.ok() || !h.ok()) {
      spdlog::error("SIGHUP: TLS certificate kept: {}", (r.ok() ? h : r).message());
    } else {
      spdlog::info("SIGHUP: TLS certificate loaded from {}", a.tls_cert);
    }
  }
  if (web) {
    unsigned require = 0;
    std::string policy;
    auto vo = ServeVerifier(a, index, &require, web->options(), &policy);
    if (!vo.ok()) {
      spdlog::error("SIGHUP: verifier kept: {}", vo.status().message());
    } else {
      web->SetVerifierOptions(std::move(vo).value());
      web->SetPolicy(std::move(policy));
      spdlog::info("SIGHUP: verifier rebuilt (keys, trust, status list folder)");
    }
  }
}

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

// --publish-key: the server publishes the issuer's lists into --lists after writes.
Result<std::unique_ptr<io::Republisher>> StartPublishing(const ServeArgs& a,
                                                         std::shared_ptr<storage::StatusIndex> index,
                                                         std::shared_ptr<std::atomic<uint64_t>> slot_generation) {
  if (a.lists_dir.empty() || a.publish.issuer.empty() || a.publish.base_url.empty()) {
    return InvalidArgument("--publish-key needs --lists, --publish-issuer and --base-url");
  }
  if (!(a.publish_interval > 0 && a.publish_interval <= 86400)) {
    return InvalidArgument("--publish-interval takes seconds, more than 0 and at most 86400");
  }
  std::ifstream in(a.publish_key, std::ios::binary);
  if (!in) return InvalidArgument("--publish-key: cannot read " + a.publish_key);
  std::string jwk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto key = PrivateKey::FromJwk(jwk);
  if (!key.ok()) return InvalidArgument("--publish-key " + a.publish_key + ": " + key.status().message());
  io::PublishOptions o = a.publish;
  o.out_dir = a.lists_dir;
  if (a.publish_format == "token-status-list") o.format = io::ListFormat::kTokenStatusList;
  auto p = std::make_unique<io::Republisher>(std::move(index), std::move(key).value(), o, Millis(a.publish_interval));
  p->set_slot_generation(slot_generation);
  if (Status st = p->Start(); !st.ok()) return InvalidArgument("--publish-key: " + st.message());
  spdlog::info("publishing the status lists of {} into {} at most every {} s", o.issuer, o.out_dir, a.publish_interval);
  return p;
}

int RunServe(const ServeArgs& a) {
  resp::ServerOptions o;
  auto resp_addr = ListenOn("--resp", a.resp);
  if (!resp_addr.ok()) return UsageError(resp_addr.status().message());
  o.host = resp_addr->host;
  o.port = resp_addr->port;
  Result<ListenAddress> http_addr = ListenAddress{};
  if (!a.http.empty()) http_addr = ListenOn("--http", a.http);
  if (!http_addr.ok()) return UsageError(http_addr.status().message());
  if (a.public_reasons != "yes" && a.public_reasons != "no") return UsageError("--public-reasons takes yes or no");
  o.threads = a.threads;
  o.max_connections = a.max_connections;
  o.idle_timeout = std::chrono::seconds(a.idle_timeout);
  if (a.command_timeout <= 0 || a.write_timeout <= 0 || a.command_timeout > 86400 || a.write_timeout > 86400) {
    return UsageError("--command-timeout and --write-timeout take seconds, more than 0 and at most 86400");
  }
  o.command_timeout = Millis(a.command_timeout);
  o.write_timeout = Millis(a.write_timeout);
  if (a.max_command_bytes == 0 || a.max_pending_bytes < a.max_command_bytes) {
    return UsageError("--max-command-bytes must be more than 0 and at most --max-pending-bytes");
  }
  o.limits.max_command_bytes = a.max_command_bytes;
  o.max_pending_bytes = a.max_pending_bytes;
  if (a.max_verify_requests == 0) return UsageError("--max-verify-requests must be at least 1");
  if (a.tls_cert.empty() != a.tls_key.empty()) return UsageError("--tls-cert and --tls-key go together");
  o.tls_cert_file = a.tls_cert;
  o.tls_key_file = a.tls_key;
  if (!a.token_file.empty()) {
    auto tokens = resp::LoadTokenFile(a.token_file, a.allow_readable_token_file);  // never logged
    if (!tokens.ok()) return UsageError(tokens.status().message());
    o.tokens = std::make_shared<const resp::TokenSet>(std::move(tokens).value());
  }
  std::signal(SIGHUP, SIG_IGN);  // until Run() handles it: a reload during the preload is no exit
  if (a.follow && !a.publish_key.empty()) return UsageError("--follow and --publish-key go apart: the writer publishes");
  if (a.follow && !(a.catch_up_interval > 0 && a.catch_up_interval <= 3600)) {
    return UsageError("--catch-up-interval takes seconds, more than 0 and at most 3600");
  }
  // A follower keeps RocksDB's secondary-instance files in a folder of its own: the
  // one given, or a temporary one removed at exit.
  std::string follower_dir = a.follower_dir;
  std::unique_ptr<void, std::function<void(void*)>> remove_follower_dir(nullptr, [](void*) {});
  if (a.follow && follower_dir.empty()) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "credsweep-follower-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return UsageError("cannot create a temporary folder for the follower");
    follower_dir = tmpl;
    remove_follower_dir = {reinterpret_cast<void*>(1), [follower_dir](void*) {
                             std::error_code ec;
                             std::filesystem::remove_all(follower_dir, ec);
                           }};
  }
  storage::OpenOptions open_options;
  open_options.follower_dir = a.follow ? follower_dir : std::string();
  auto idx = a.follow ? storage::StatusIndex::Open(a.db, open_options) : storage::OpenForWriting(a.db);
  if (!idx.ok()) return UsageError(idx.status().message());
  std::shared_ptr<storage::StatusIndex> index = std::move(idx).value();
  std::unique_ptr<CatchUpLoop> catch_up;
  if (a.follow) {
    catch_up = std::make_unique<CatchUpLoop>(index, Millis(a.catch_up_interval));
    spdlog::info("following the index at {} (catching up every {} s; writes are refused)", a.db, a.catch_up_interval);
  }
  uint64_t count = index->ApproximateCount();
  o.cache_entries = a.cache_entries ? a.cache_entries
                                    : std::clamp<size_t>(count + count / 4 + 65536, 65536, size_t{20} << 20);
  std::unique_ptr<io::Republisher> publisher;  // before the servers: it outlives them
  if (!a.publish_key.empty()) {
    auto generation = std::make_shared<std::atomic<uint64_t>>(0);
    o.slot_generation = generation;
    auto p = StartPublishing(a, index, generation);
    if (!p.ok()) return UsageError(p.status().message());
    publisher = std::move(p).value();
    o.publish_lists = [p = publisher.get()]() -> Result<std::string> {
      auto stats = p->PublishNow();
      if (!stats.ok()) return stats.status();
      return std::to_string(stats->lists) + " list(s) for " + std::to_string(stats->records) + " credentials (" +
             std::to_string(stats->revoked) + " revoked, " + std::to_string(stats->suspended) + " suspended, " +
             std::to_string(stats->newly_assigned) + " newly assigned slots)";
    };
  }
  resp::RespServer server(index, o);
  if (!a.no_preload && !a.follow) {  // a follower answers from the index itself
    auto t0 = std::chrono::steady_clock::now();
    size_t n = server.Preload();
    spdlog::info("state cache: {} ids loaded in {:.1f} s (capacity {})", n,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), o.cache_entries);
  }
  if (Status s = server.Listen(); !s.ok()) return UsageError(s.message());
  std::unique_ptr<http::HttpServer> web;
  if (!a.http.empty()) {
    http::ServerOptions ho;
    ho.host = http_addr->host;
    ho.port = http_addr->port;
    ho.public_reasons = a.public_reasons == "yes";
    ho.lists_dir = a.lists_dir;
    ho.tls_cert_file = a.tls_cert;
    ho.tls_key_file = a.tls_key;
    ho.max_body_bytes = a.max_body;
    ho.max_verify_requests = a.max_verify_requests;
    ho.write_timeout = Millis(a.write_timeout);
    ho.threads = CapThreads(a.http_threads, "--http-threads");
    ho.verify_threads = CapThreads(a.verify_threads, "--verify-threads");
    std::string policy;
    auto vo = ServeVerifier(a, index, &ho.require, ho, &policy);
    if (!vo.ok()) return UsageError(vo.status().message());
    web = std::make_unique<http::HttpServer>(index, *vo, ho, [&server, p = publisher.get()] {
      return server.PrometheusText() + (p ? p->PrometheusText() : std::string());
    });
    web->SetPolicy(std::move(policy));
    if (Status s = web->Listen(); !s.ok()) return UsageError(s.message());
    web->Start();
    spdlog::info("{} on {}:{}", a.tls_cert.empty() ? "HTTP" : "HTTPS", ho.host, web->port());
  }
  spdlog::info("serving {} on {}:{} (RESP2{}){}", a.db, o.host, server.port(), a.tls_cert.empty() ? "" : " over TLS",
               o.tokens ? ", writes need AUTH" : ", read-only (no --auth-token-file)");
  server.Run(/*handle_signals=*/true, [&a, index, &server, w = web.get()] { Reload(a, index, server, w); });
  if (web) web->Shutdown();
  spdlog::info("stopped; index closed cleanly");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve status lookups over the Redis protocol");
  cmd->add_option("--db", a->db, "Status index directory (must exist: `credsweep init`)")->required();
  cmd->add_option("--resp", a->resp, "RESP listen address HOST:PORT")->capture_default_str();
  cmd->add_option("--auth-token-file", a->token_file,
                  "File of the tokens AUTH must present for writes: NAME TOKEN lines (or one token); SIGHUP reloads it");
  cmd->add_flag("--allow-readable-token-file", a->allow_readable_token_file,
               "Accept a token file that group or others can read (refused by default)");
  cmd->add_option("--threads", a->threads, "I/O threads (default: all cores)");
  cmd->add_option("--max-connections", a->max_connections, "Connections served at once")->capture_default_str();
  cmd->add_option("--idle-timeout", a->idle_timeout, "Seconds before an idle connection is closed")
      ->capture_default_str();
  cmd->add_option("--command-timeout", a->command_timeout,
                  "Seconds a RESP command may take from its first byte to its last")
      ->capture_default_str();
  cmd->add_option("--write-timeout", a->write_timeout,
                  "Seconds a client may take to accept a batch of replies before it is cut")
      ->capture_default_str();
  cmd->add_option("--max-command-bytes", a->max_command_bytes, "Bytes one incomplete RESP command may hold")
      ->capture_default_str();
  cmd->add_option("--max-pending-bytes", a->max_pending_bytes,
                  "Bytes all incomplete RESP commands together may hold")
      ->capture_default_str();
  cmd->add_option("--cache-entries", a->cache_entries,
                  "Ids held in the in-memory state cache, 48 bytes each (default: the index's size + 25%, max 20M)");
  cmd->add_flag("--no-preload", a->no_preload, "Do not fill the state cache from the index at start");
  cmd->add_option("--http", a->http, "HTTP listen address HOST:PORT (status JSON, lists, verify, metrics)");
  cmd->add_option("--lists", a->lists_dir,
                  "Folder of published status lists (lists publish --out), served at the paths of their URLs");
  cmd->add_option("--http-threads", a->http_threads, "HTTP I/O threads")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--verify-threads", a->verify_threads,
                  "Threads that verify POST /v1/verify batches (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  AddVerifierFlags(cmd, &a->verifier);  // what POST /v1/verify checks, as `verify` takes them
  cmd->add_option("--max-body-bytes", a->max_body, "Largest HTTP request body")->capture_default_str();
  cmd->add_option("--max-verify-requests", a->max_verify_requests,
                  "POST /v1/verify requests served at once; more get 503 with Retry-After")
      ->capture_default_str();
  cmd->add_option("--public-reasons", a->public_reasons,
                  "yes|no: whether HTTP answers (status, verification results) carry revocation reasons")
      ->capture_default_str();
  cmd->add_option("--publish-key", a->publish_key,
                  "Private JWK of --publish-issuer: the server publishes its status lists into --lists after writes");
  cmd->add_option("--publish-issuer", a->publish.issuer, "With --publish-key: whose credentials' lists, and their issuer");
  cmd->add_option("--base-url", a->publish.base_url, "With --publish-key: lists are published at BASE/1, BASE/2, ...");
  cmd->add_option("--publish-interval", a->publish_interval,
                  "With --publish-key: seconds between publications at most (a write is published within this)")
      ->capture_default_str();
  cmd->add_option("--list-size", a->publish.list_entries, "With --publish-key: entries per list (>= 131072)")
      ->capture_default_str();
  cmd->add_option("--list-ttl", a->publish.ttl_seconds, "With --publish-key: seconds a published list stays valid")
      ->capture_default_str();
  cmd->add_option("--list-format", a->publish_format,
                  "With --publish-key: bitstring (W3C) or token-status-list (IETF, for SD-JWT VCs)")
      ->check(CLI::IsMember({"bitstring", "token-status-list"}))->capture_default_str();
  cmd->add_flag("--follow", a->follow,
                "Serve lookups from the index another `serve` writes (same machine or shared volume), read-only, "
                "catching up with its writes");
  cmd->add_option("--follower-dir", a->follower_dir,
                  "With --follow: folder for the follower's own files (default: a temporary folder, removed at exit)");
  cmd->add_option("--catch-up-interval", a->catch_up_interval,
                  "With --follow: seconds between catch-ups with the writer (a write is seen within this)")
      ->capture_default_str();
  cmd->add_option("--tls-cert", a->tls_cert, "PEM certificate chain: both protocols speak TLS; SIGHUP reloads it");
  cmd->add_option("--tls-key", a->tls_key, "PEM private key of --tls-cert");
  cmd->callback([a, exit_code] { *exit_code = RunServe(*a); });
}

}  // namespace credsweep::io::cli
