// CONFIG, DBSIZE and the cross-protocol guard (Commands, io/resp/commands.h).
#include <fnmatch.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <chrono>
#include <utility>

#include "io/resp/commands.h"

namespace credsweep::io::resp {

namespace {

// What CONFIG GET reports: the parameters clients read to learn how the server
// behaves (redis-benchmark asks for `save` and `appendonly`). Writes are durable
// as they are acknowledged, which is closest to Redis's appendonly with fsync always.
constexpr std::pair<const char*, const char*> kConfig[] = {
    {"save", ""}, {"appendonly", "yes"}, {"appendfsync", "always"}, {"databases", "1"},
};

std::string ConfigGet(const std::vector<std::string>& cmd) {
  std::string body;
  size_t n = 0;
  for (const auto& [name, value] : kConfig) {
    for (size_t i = 2; i < cmd.size(); ++i) {
      if (fnmatch(cmd[i].c_str(), name, FNM_CASEFOLD) == 0) {
        body += Bulk(name) + Bulk(value);
        n += 2;
        break;
      }
    }
  }
  return ArrayHeader(n) + body;
}

}  // namespace

std::string Commands::Admin(const std::vector<std::string>& cmd, const std::string& name) const {
  if (name == "dbsize") {
    if (cmd.size() != 1) return Error("ERR wrong number of arguments for 'dbsize' command");
    return Integer(static_cast<long long>(index_->ApproximateCount()));
  }
  if (cmd.size() < 2) return Error("ERR wrong number of arguments for 'config' command");
  std::string sub = cmd[1];
  for (auto& c : sub) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (sub == "get") {
    if (cmd.size() < 3) return Error("ERR wrong number of arguments for 'config|get' command");
    return ConfigGet(cmd);
  }
  if (sub == "set" || sub == "resetstat" || sub == "rewrite") {
    return Error("ERR CONFIG " + Printable(cmd[1]) + " is not supported: credsweep serve is configured by its options");
  }
  return Error("ERR unknown subcommand '" + Printable(cmd[1]) + "'. Try CONFIG GET.");
}

Commands::Outcome Commands::CrossProtocolAttempt(ConnectionState* conn) const {
  ++counters_->rejected;
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::steady_clock::now().time_since_epoch()).count();
  int64_t last = attack_logged_at_.load();
  if ((last == 0 || now - last > 60) && attack_logged_at_.compare_exchange_strong(last, now)) {
    spdlog::warn("resp: connection {} from {} sent an HTTP request line (POST or Host:) to the RESP port, as in a "
                 "cross-protocol attack from a web page; connection closed (logged at most once a minute)",
                 conn->id, conn->peer);
  }
  conn->quit = true;
  return {"", {}};
}

}  // namespace credsweep::io::resp
