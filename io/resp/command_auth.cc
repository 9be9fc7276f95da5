// AUTH and the authorisation of writes (Commands, io/resp/commands.h).
#include <spdlog/spdlog.h>

#include "io/resp/commands.h"

namespace credsweep::io::resp {

std::shared_ptr<const TokenSet> Commands::Tokens() const {
  std::lock_guard lock(tokens_mu_);
  return tokens_;
}

bool Commands::SetTokens(std::shared_ptr<const TokenSet> tokens) {
  std::lock_guard lock(tokens_mu_);
  if (!tokens_ || !tokens) return false;
  tokens_ = std::move(tokens);
  return true;
}

std::string Commands::Auth(const std::vector<std::string>& cmd, ConnectionState* conn) const {
  if (cmd.size() != 2 && cmd.size() != 3) {
    return Error("ERR wrong number of arguments for 'auth' command");
  }
  auto tokens = Tokens();
  if (!tokens) {
    return Error("ERR AUTH <password> called without any password configured for the default user. "
                 "Are you sure your configuration is correct?");
  }
  std::optional<std::string_view> user;
  if (cmd.size() == 3) user = cmd[1];
  std::optional<std::string> name = tokens->Authenticate(user, cmd.back());
  if (!name) {
    conn->authenticated = false;
    ++counters_->auth_failures;
    int n = ++conn->auth_failures;
    // Who and how often, never what was sent: a mistyped token is nearly the real one.
    spdlog::warn("resp: AUTH failed for connection {} from {} (failure {} of {})", conn->id, conn->peer, n,
                 max_auth_failures_);
    if (n >= max_auth_failures_) {
      conn->quit = true;
      return Error("WRONGPASS invalid username-password pair or user is disabled (too many failures: closing)");
    }
    return Error("WRONGPASS invalid username-password pair or user is disabled.");
  }
  conn->authenticated = true;
  conn->user = *name;
  conn->user_digest = tokens->DigestOf(*name);
  return SimpleString("OK");
}

std::string Commands::WriteActor(ConnectionState* conn, std::string* actor) const {
  // A follower's index is another process's to write (serve --follow).
  if (index_->read_only()) {
    return Error("READONLY this server follows the status index (serve --follow); write through the server that "
                 "holds it");
  }
  auto tokens = Tokens();
  if (!tokens) return Error("READONLY this server is read-only: start it with --auth-token-file to accept writes");
  if (!conn->authenticated) return Error("NOAUTH Authentication required.");
  if (!tokens->Holds(conn->user, conn->user_digest)) {  // the token file was reloaded without it
    conn->authenticated = false;
    return Error("NOAUTH the token this connection authenticated with was removed or changed; AUTH again");
  }
  std::string via = "resp:" + (conn->name.empty() ? conn->peer : conn->name);
  *actor = tokens->named() ? conn->user + " via " + via : via;
  return {};
}

}  // namespace credsweep::io::resp
