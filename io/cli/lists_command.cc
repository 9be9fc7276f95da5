// credsweep lists publish: signed Bitstring Status List credentials from the index.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "io/cli/commands.h"
#include "io/cli/remote_server.h"
#include "io/status_lists/publisher.h"
#include "storage/status_index.h"

namespace credsweep::io::cli {
namespace {

struct PublishArgs {
  std::string db, key_file, format = "bitstring";
  std::string server, token_file;  // --server: ask the running server to publish
  io::PublishOptions o;
};

// --server: the running server publishes with its own key, issuer and folder.
int RunRemotePublish(const PublishArgs& a) {
  auto c = ConnectServer(a.server, a.token_file, "lists publish");
  if (!c.ok()) return UsageError(c.status().message());
  auto r = (*c)->Call({"LISTS.PUBLISH"});
  if (!r.ok()) return UsageError(r.status().message());
  if (r->type == resp::Reply::Type::kError) return UsageError(a.server + ": " + r->str);
  std::printf("%s: published %s\n", a.server.c_str(), r->str.c_str());
  return 0;
}

int RunPublish(PublishArgs& a) {
  if (!a.server.empty()) {
    if (!a.db.empty() || !a.key_file.empty() || !a.o.issuer.empty() || !a.o.base_url.empty() || !a.o.out_dir.empty()) {
      return UsageError("--server publishes with the server's own --publish-key, issuer, base URL and folder: give "
                        "only --server and --token-file");
    }
    return RunRemotePublish(a);
  }
  if (a.db.empty() || a.key_file.empty() || a.o.issuer.empty() || a.o.base_url.empty() || a.o.out_dir.empty()) {
    return UsageError("lists publish needs --db, --key, --issuer, --base-url and --out (or --server)");
  }
  if (a.format == "token-status-list") a.o.format = io::ListFormat::kTokenStatusList;
  std::ifstream in(a.key_file, std::ios::binary);
  if (!in) return UsageError("cannot read key " + a.key_file);
  std::stringstream ss;
  ss << in.rdbuf();
  auto key = PrivateKey::FromJwk(ss.str());
  if (!key.ok()) return UsageError(a.key_file + ": " + key.status().message());
  auto idx = storage::OpenForWriting(a.db);
  if (!idx.ok()) return UsageError(idx.status().message());
  auto stats = io::PublishStatusLists(**idx, **key, a.o);
  if (!stats.ok()) return UsageError(stats.status().message());
  spdlog::info("{} list(s) for {} credentials of {} ({} newly assigned slots, {} revoked, {} suspended) in {}",
               stats->lists, stats->records, a.o.issuer, stats->newly_assigned, stats->revoked,
               stats->suspended, a.o.out_dir);
  return 0;
}

}  // namespace

void AddListsCommand(CLI::App& app, int* exit_code) {
  CLI::App* lists = app.add_subcommand("lists", "Status lists the engine publishes");
  lists->require_subcommand(1);
  auto a = std::make_shared<PublishArgs>();
  CLI::App* pub = lists->add_subcommand("publish", "Assign list slots and write signed BitstringStatusListCredentials");
  pub->add_option("--db", a->db, "Status index directory");
  pub->add_option("--key", a->key_file, "Private JWK of the issuer (credsweep keygen)");
  pub->add_option("--issuer", a->o.issuer, "Issuer URL: whose credentials, and the lists' issuer");
  pub->add_option("--base-url", a->o.base_url, "Lists are published at BASE/1, BASE/2, ...");
  pub->add_option("--out", a->o.out_dir, "Output folder (list files and index.json)");
  pub->add_option("--list-size", a->o.list_entries, "Entries per list (>= 131072)")->capture_default_str();
  pub->add_option("--ttl", a->o.ttl_seconds, "Seconds a published list stays valid")->capture_default_str();
  pub->add_option("--format", a->format,
                  "bitstring (W3C BitstringStatusListCredentials, default) or token-status-list (IETF Status List "
                  "Tokens, for SD-JWT VCs)")
      ->check(CLI::IsMember({"bitstring", "token-status-list"}))->capture_default_str();
  pub->add_option("--server", a->server,
                  "Ask a running `credsweep serve` (HOST:PORT) started with --publish-key to publish now");
  pub->add_option("--token-file", a->token_file, "With --server: the file holding the server's AUTH token");
  pub->callback([a, exit_code] { *exit_code = RunPublish(*a); });
}

}  // namespace credsweep::io::cli
