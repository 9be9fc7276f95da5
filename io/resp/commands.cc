#include "io/resp/commands.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <tuple>
#include <strings.h>

#include "engine/credential_id.h"
#include "engine/credential_reader.h"

namespace credsweep::io::resp {

const char* const kCommandNames[kCommandKinds] = {
    "get", "mget", "exists", "cred.status", "cred.mstatus", "cred.history", "cred.revoke",
    "cred.suspend", "cred.reinstate", "cred.register", "auth", "ping", "other"};

CommandKind Commands::KindOf(const std::string& name) {
  for (int k = 0; k < kCmdOther; ++k) {
    if (name.size() == std::strlen(kCommandNames[k]) && strncasecmp(name.data(), kCommandNames[k], name.size()) == 0) {
      return static_cast<CommandKind>(k);
    }
  }
  return kCmdOther;
}

std::string SimpleString(std::string_view s) { return "+" + std::string(s) + "\r\n"; }
std::string Error(std::string_view s) {
  std::string out = "-" + std::string(s) + "\r\n";
  std::replace_if(out.begin() + 1, out.end() - 2, [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return out;
}

std::string Printable(std::string_view s, size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s.substr(0, max)) {
    if (c < 0x20 || c == 0x7f || c == '\\' || c == '\'') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}
std::string Integer(long long v) { return ":" + std::to_string(v) + "\r\n"; }
std::string Bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}
std::string Nil() { return "$-1\r\n"; }
std::string ArrayHeader(size_t n) { return "*" + std::to_string(n) + "\r\n"; }

namespace {

// Every command the dispatcher below answers (COMMAND COUNT; tests/io/resp/server_test.cc
// checks each is answered).
constexpr std::array<std::string_view, 26> kAnswered = {
    "get",          "mget",         "exists",     "cred.status", "cred.mstatus", "cred.history",
    "cred.revoke",  "cred.suspend", "cred.reinstate", "cred.register", "ping",   "echo",
    "quit",         "auth",         "select",     "hello",       "command",      "client",
    "info",         "config",       "dbsize",     "cred.stats",  "lists.publish", "index.compact",
    "cred.enrol",   "cred.import"};


constexpr const char* kVersion = "0.1.0";

std::string Lower(std::string_view in) {
  std::string s(in);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string WrongArity(const std::string& name) {
  return Error("ERR wrong number of arguments for '" + name + "' command");
}

// CRED.STATUS reply: a flat field/value array (like HGETALL), nil when unknown.
std::string StatusReply(const std::optional<StatusRecord>& r) {
  if (!r) return Nil();
  size_t fields = r->list_id.empty() ? 3 : 5;
  std::string out = ArrayHeader(fields * 2);
  out += Bulk("state") + Bulk(StateName(r->state));
  out += Bulk("reason") + Bulk(r->reason);
  out += Bulk("changed_at") + Bulk(FormatUtc(r->changed_at));
  if (!r->list_id.empty()) {
    out += Bulk("status_list") + Bulk(r->list_id);
    out += Bulk("status_list_index") + Bulk(std::to_string(r->list_index));
  }
  return out;
}

}  // namespace

Commands::Commands(std::shared_ptr<storage::StatusIndex> index, std::shared_ptr<const TokenSet> tokens,
                   ServerCounters* counters, size_t cache_entries, int max_auth_failures,
                   std::function<Result<std::string>()> publish_lists,
                   std::shared_ptr<const std::atomic<uint64_t>> slot_generation)
    : index_(std::move(index)),
      publish_lists_(std::move(publish_lists)),
      slot_generation_(std::move(slot_generation)),
      tokens_(std::move(tokens)),
      counters_(counters),
      cache_entries_(cache_entries),
      max_auth_failures_(max_auth_failures),
      cache_(std::make_shared<StateCache>(cache_entries)) {}

size_t Commands::Preload() const {
  size_t n = 0;
  // Loading stops at the cache's capacity: past it, shards would start evicting.
  Status s = index_->ForEach([&](std::string_view id, const StatusRecord& r) {
    if (n >= cache_entries_) return;
    cache_->Put(id, static_cast<int8_t>(r.state));
    ++n;
  });
  (void)s;  // a failed scan only means a colder cache
  return n;
}

std::string Commands::Info() const {
  std::string s = "# Server\r\nredis_version:7.0.0\r\ncredsweep_version:" + std::string(kVersion) +
                  "\r\nredis_mode:standalone\r\n# Clients\r\nconnected_clients:" +
                  std::to_string(counters_->connections.load()) + "\r\npending_command_bytes:" +
                  std::to_string(counters_->pending_bytes.load()) + "\r\n# Stats\r\ntotal_connections_received:" +
                  std::to_string(counters_->connections_total.load()) + "\r\ntotal_commands_processed:" +
                  std::to_string(counters_->commands.load()) + "\r\n# Keyspace\r\ndb0:keys=" +
                  std::to_string(index_->ApproximateCount()) + ",expires=0,avg_ttl=0\r\n";
  return Bulk(s);
}

Result<int8_t> Commands::State(const std::string& given) const {
  // The cache is keyed by the id's normal form, as the index is.
  const std::string id = NormalizeCredentialId(given);
  // A follower's index changes under it (another process writes): no cache, every
  // answer is read from the index as it stands after the last catch-up.
  if (index_->read_only()) {
    auto r = index_->Lookup(id);
    if (!r.ok()) return r.status();
    return *r ? static_cast<int8_t>((*r)->state) : StateCache::kUnknown;
  }
  if (auto hit = cache_->Get(id)) return *hit;
  auto r = index_->Lookup(id);
  if (!r.ok()) return r.status();
  int8_t state = *r ? static_cast<int8_t>((*r)->state) : StateCache::kUnknown;
  cache_->Put(id, state);
  return state;
}

// Encoded once: GET replies are the hot path.
const std::string& StateReply(int8_t s) {
  static const std::string kReplies[] = {Bulk("active"), Bulk("revoked"), Bulk("suspended"), Nil()};
  return s == StateCache::kUnknown || s < 0 || s > 2 ? kReplies[3] : kReplies[s];
}

std::string Commands::Lookup(const std::vector<std::string>& cmd, const std::string& name) const {
  auto state_reply = [](int8_t s) -> const std::string& { return StateReply(s); };
  auto lookup = [this](const std::string& id, std::string* err) -> std::optional<StatusRecord> {
    auto r = index_->Lookup(id);
    if (!r.ok()) {
      *err = Error("ERR index unavailable: " + r.status().message());
      return std::nullopt;
    }
    return *r;
  };
  std::string err;
  if (name == "get") {
    if (cmd.size() != 2) return WrongArity(name);
    auto s = State(cmd[1]);
    return s.ok() ? state_reply(*s) : Error("ERR index unavailable: " + s.status().message());
  }
  if (name == "mget") {
    if (cmd.size() < 2) return WrongArity(name);
    std::string out = ArrayHeader(cmd.size() - 1);
    for (size_t i = 1; i < cmd.size(); ++i) {
      auto s = State(cmd[i]);
      if (!s.ok()) return Error("ERR index unavailable: " + s.status().message());
      out += state_reply(*s);
    }
    return out;
  }
  if (name == "cred.mstatus") {
    if (cmd.size() < 2) return WrongArity(name);
    std::string out = ArrayHeader(cmd.size() - 1);
    for (size_t i = 1; i < cmd.size(); ++i) {
      auto r = lookup(cmd[i], &err);
      if (!err.empty()) return err;
      out += StatusReply(r);
    }
    return out;
  }
  if (name == "exists") {
    if (cmd.size() < 2) return WrongArity(name);
    long long n = 0;
    for (size_t i = 1; i < cmd.size(); ++i) {
      auto s = State(cmd[i]);
      if (!s.ok()) return Error("ERR index unavailable: " + s.status().message());
      n += *s != StateCache::kUnknown;
    }
    return Integer(n);
  }
  if (name == "cred.status") {
    if (cmd.size() != 2) return WrongArity(name);
    auto r = lookup(cmd[1], &err);
    return err.empty() ? StatusReply(r) : err;
  }
  // cred.history
  if (cmd.size() != 2) return WrongArity(name);
  auto h = index_->History(cmd[1]);
  if (!h.ok()) return Error("ERR index unavailable: " + h.status().message());
  std::string out = ArrayHeader(h->size());
  for (const auto& e : *h) {
    out += ArrayHeader(7) + Integer(static_cast<long long>(e.seq)) + Bulk(FormatUtc(e.time)) +
           Bulk(storage::OperationName(e.op)) + Bulk(e.old_state ? StateName(*e.old_state) : "unknown") +
           Bulk(StateName(e.new_state)) + Bulk(e.actor) + Bulk(e.reason);
  }
  return out;
}

Commands::Outcome Commands::Write(const std::vector<std::string>& cmd, const std::string& name,
                                  ConnectionState* conn) const {
  std::string actor;
  if (std::string refused = WriteActor(conn, &actor); !refused.empty()) return {refused, {}};
  auto index = index_;
  auto* counters = counters_;
  auto cache = cache_;
  if (name == "cred.register") {
    if (cmd.size() < 2) return {WrongArity(name), {}};
    std::vector<storage::Change> changes;
    for (size_t i = 1; i < cmd.size(); ++i) {
      changes.push_back({NormalizeCredentialId(cmd[i]), storage::Operation::kRegister, CredentialState::kActive, "", 0, ""});
    }
    return {"", [index, counters, cache, changes = std::move(changes), actor]() {
              size_t applied = 0;
              Status s = index->ApplyBatch(changes, actor, &applied);
              for (const auto& c : changes) {  // whatever happened, re-read on next GET
                auto r = index->Lookup(c.id);
                if (r.ok()) cache->Put(c.id, *r ? static_cast<int8_t>((*r)->state) : StateCache::kUnknown);
              }
              if (!s.ok()) return Error("ERR write failed: " + s.message());
              counters->writes += applied;
              return Integer(static_cast<long long>(applied));
            }};
  }
  // CRED.REINSTATE id reason UNREVOKE: also a revoked id (reinstate --allow-unrevoke).
  // CRED.REVOKE|CRED.SUSPEND id reason REGISTER: also an id never seen (--register).
  const std::string flag = cmd.size() == 4 ? Lower(cmd[3]) : "";
  const bool unrevoke = name == "cred.reinstate" && flag == "unrevoke";
  const bool register_unknown = name != "cred.reinstate" && flag == "register";
  if (cmd.size() != 3 && !unrevoke && !register_unknown) {
    if (cmd.size() != 4) return {WrongArity(name), {}};
    return {Error("ERR syntax error: '" + Printable(cmd[3]) + "' is not " +
                  (name == "cred.reinstate" ? "UNREVOKE" : "REGISTER")),
            {}};
  }
  if (unrevoke && cmd[2].find_first_not_of(" \t") == std::string::npos) {
    return {Error("ERR UNREVOKE needs a reason: why the revocation was a mistake"), {}};
  }
  storage::Change c{NormalizeCredentialId(cmd[1]), storage::Operation::kRevoke, CredentialState::kRevoked, cmd[2], 0,
                    ""};
  c.allow_unrevoke = unrevoke;
  c.register_unknown = register_unknown;
  if (name == "cred.suspend") {
    c.op = storage::Operation::kSuspend;
    c.new_state = CredentialState::kSuspended;
  } else if (name == "cred.reinstate") {
    c.op = storage::Operation::kReinstate;
    c.new_state = CredentialState::kActive;
  }
  return {"", [index, counters, cache, c, actor]() {
            auto e = index->Apply(c, actor);
            if (e.ok() && *e) cache->Put(c.id, static_cast<int8_t>((*e)->new_state));
            if (!e.ok()) {
              // Refused (revocation is final): the message names the id.
              if (e.status().code() == StatusCode::kFailedPrecondition) return Error("REFUSED " + e.status().message());
              // A typo, most likely: the id was never registered.
              if (e.status().code() == StatusCode::kNotFound) {
                return Error("UNKNOWNID " + e.status().message() +
                             (c.op == storage::Operation::kReinstate ? "" : "; check the id, or add REGISTER"));
              }
              return Error(std::string(e.status().code() == StatusCode::kInvalidArgument ? "ERR " : "ERR write failed: ") +
                           e.status().message());
            }
            // Nothing changed (already in that state): 0, no event.
            if (!*e) return Integer(0);
            ++counters->writes;
            // Acknowledged only now: the change is durable (WAL synced).
            return Integer(*e ? static_cast<long long>((*e)->seq) : 0);
          }};
}

Commands::Outcome Commands::Enrol(const std::vector<std::string>& cmd, ConnectionState* conn) const {
  if (cmd.size() != 2 && cmd.size() != 3 && cmd.size() != 5) return {WrongArity("cred.enrol"), {}};
  std::string actor;
  if (std::string refused = WriteActor(conn, &actor); !refused.empty()) return {refused, {}};
  uint64_t slot_index = 0;
  std::string id, issuer, list;
  if (cmd.size() == 2) {  // CRED.ENROL credential: its id, issuer and slot read here
    const UnverifiedCredential u = ReadUnverifiedCredential(cmd[1]);
    if (u.credential.id.empty()) return {Error("ERR the credential has no id (or cannot be read)"), {}};
    id = NormalizeCredentialId(u.credential.id);
    issuer = u.credential.issuer;
    std::tie(list, slot_index) = io::CarriedSlot(u.credential, "CRED.ENROL " + id);
  } else {
    if (cmd.size() == 5) {
      auto [end, ec] = std::from_chars(cmd[4].data(), cmd[4].data() + cmd[4].size(), slot_index);
      if (ec != std::errc() || end != cmd[4].data() + cmd[4].size()) {
        return {Error("ERR the slot index '" + Printable(cmd[4]) + "' is not a non-negative integer"), {}};
      }
      list = cmd[3];
    }
    id = NormalizeCredentialId(cmd[1]);
    issuer = cmd[2];
  }
  return {"", [index = index_, counters = counters_, cache = cache_, slots = slots_, generation = slot_generation_,
               id, issuer, list, slot_index, actor]() {
            std::lock_guard lock(slots->mu);
            const uint64_t now = generation ? generation->load() : 0;
            if (!slots->book || slots->generation != now) {
              auto book = io::SlotBook::Read(*index);
              if (!book.ok()) return Error("ERR reading the index's slots failed: " + book.status().message());
              slots->book = std::make_unique<io::SlotBook>(std::move(book).value());
              slots->generation = now;
            }
            auto existing = index->Lookup(id);
            if (!existing.ok()) return Error("ERR write failed: " + existing.status().message());
            if (!list.empty()) {
              std::string why = slots->book->Refusal(id, issuer, list, slot_index, *existing);
              if (!why.empty()) return Error("REFUSED " + id + ": " + why);
            }
            size_t applied = 0;
            Status s = index->ApplyBatch({{id, storage::Operation::kRegister, CredentialState::kActive, "", 0, issuer}},
                                         actor, &applied);
            if (s.ok() && !list.empty()) s = index->AssignSlots({{id, list, slot_index}});
            if (!s.ok()) return Error("ERR write failed: " + s.message());
            if (!list.empty()) slots->book->Hold(id, issuer, list, slot_index);
            auto r = index->Lookup(id);
            if (r.ok() && *r) cache->Put(id, static_cast<int8_t>((*r)->state));
            counters->writes += applied;
            return Integer(static_cast<long long>(applied));
          }};
}

Commands::Outcome Commands::Import(const std::vector<std::string>& cmd, ConnectionState* conn) const {
  if (cmd.size() != 5) return {WrongArity("cred.import"), {}};
  std::string actor;
  if (std::string refused = WriteActor(conn, &actor); !refused.empty()) return {refused, {}};
  const std::string state_name = Lower(cmd[2]);
  CredentialState state;
  if (state_name == "active") {
    state = CredentialState::kActive;
  } else if (state_name == "revoked") {
    state = CredentialState::kRevoked;
  } else if (state_name == "suspended") {
    state = CredentialState::kSuspended;
  } else {
    return {Error("ERR the state '" + Printable(cmd[2]) + "' is not active, revoked or suspended"), {}};
  }
  int64_t time = 0;
  auto [end, ec] = std::from_chars(cmd[4].data(), cmd[4].data() + cmd[4].size(), time);
  if (ec != std::errc() || end != cmd[4].data() + cmd[4].size() || time <= 0) {
    return {Error("ERR the time '" + Printable(cmd[4]) + "' is not Unix seconds"), {}};
  }
  storage::Change c{NormalizeCredentialId(cmd[1]), storage::Operation::kImport, state, cmd[3], time, ""};
  return {"", [index = index_, counters = counters_, cache = cache_, c, actor]() {
            auto e = index->Apply(c, actor);
            if (!e.ok()) {
              if (e.status().code() == StatusCode::kFailedPrecondition) return Error("REFUSED " + e.status().message());
              return Error("ERR " + e.status().message());
            }
            if (!*e) return Integer(0);  // already in that state
            cache->Put(c.id, static_cast<int8_t>((*e)->new_state));
            ++counters->writes;
            return Integer((*e)->old_state ? 1 : 2);  // 2: the id is new to the index
          }};
}

Commands::Outcome Commands::Operate(const std::vector<std::string>& cmd, const std::string& name,
                                    ConnectionState* conn) const {
  if (cmd.size() != 1) return {WrongArity(name), {}};
  std::string actor;
  if (std::string refused = WriteActor(conn, &actor); !refused.empty()) return {refused, {}};
  if (name == "lists.publish") {
    if (!publish_lists_) {
      return {Error("ERR this server does not publish status lists (start it with --lists, --publish-key, "
                    "--publish-issuer and --base-url)"),
              {}};
    }
    auto publish = publish_lists_;
    spdlog::info("LISTS.PUBLISH by {}", actor);
    return {"", [publish]() {
              auto r = publish();
              return r.ok() ? Bulk(*r) : Error("ERR publishing failed: " + r.status().message());
            }};
  }
  auto index = index_;
  spdlog::info("INDEX.COMPACT by {}", actor);
  return {"", [index]() {
            Status s = index->Compact();
            return s.ok() ? SimpleString("OK") : Error("ERR compaction failed: " + s.message());
          }};
}

Commands::Outcome Commands::Execute(const std::vector<std::string>& cmd, ConnectionState* conn) const {
  ++conn->commands;
  if (cmd.empty()) return {"", {}};
  // The hot path first, without building a lower-case copy of the name.
  if (cmd.size() == 2 && cmd[0].size() == 3 && strncasecmp(cmd[0].data(), "get", 3) == 0) {
    auto st = State(cmd[1]);
    return {st.ok() ? StateReply(*st) : Error("ERR index unavailable: " + st.status().message()), {}};
  }
  const std::string name = Lower(cmd[0]);
  if (name == "post" || name == "host:") return CrossProtocolAttempt(conn);
  if (name == "get" || name == "mget" || name == "exists" || name == "cred.status" ||
      name == "cred.mstatus" || name == "cred.history") {
    return {Lookup(cmd, name), {}};
  }
  if (name == "cred.revoke" || name == "cred.suspend" || name == "cred.reinstate" || name == "cred.register") {
    return Write(cmd, name, conn);
  }
  if (name == "ping") {
    if (cmd.size() > 2) return {WrongArity(name), {}};
    return {cmd.size() == 2 ? Bulk(cmd[1]) : SimpleString("PONG"), {}};
  }
  if (name == "echo") return {cmd.size() == 2 ? Bulk(cmd[1]) : WrongArity(name), {}};
  if (name == "quit") {
    conn->quit = true;
    return {SimpleString("OK"), {}};
  }
  if (name == "auth") return {Auth(cmd, conn), {}};
  if (name == "select") {
    if (cmd.size() != 2) return {WrongArity(name), {}};
    return {cmd[1] == "0" ? SimpleString("OK") : Error("ERR DB index is out of range"), {}};
  }
  if (name == "hello") {
    if (cmd.size() >= 2 && cmd[1] != "2") return {Error("NOPROTO unsupported protocol version"), {}};
    for (size_t i = 2; i < cmd.size(); ++i) {
      std::string opt = Lower(cmd[i]);
      if (opt == "auth" && i + 2 < cmd.size()) {
        std::string r = Auth({"auth", cmd[i + 1], cmd[i + 2]}, conn);
        if (r[0] == '-') return {r, {}};
        i += 2;
      } else if (opt == "setname" && i + 1 < cmd.size()) {
        conn->name = cmd[++i];
      } else {
        return {Error("ERR Syntax error in HELLO option '" + Printable(cmd[i]) + "'"), {}};
      }
    }
    std::string out = ArrayHeader(14) + Bulk("server") + Bulk("credsweep") + Bulk("version") + Bulk(kVersion) +
                      Bulk("proto") + Integer(2) + Bulk("id") + Integer(static_cast<long long>(conn->id)) +
                      Bulk("mode") + Bulk("standalone") + Bulk("role") + Bulk("master") + Bulk("modules") +
                      ArrayHeader(0);
    return {out, {}};
  }
  if (name == "command") {
    if (cmd.size() >= 2 && Lower(cmd[1]) == "count") return {Integer(static_cast<int64_t>(kAnswered.size())), {}};
    return {ArrayHeader(0), {}};  // no command table: clients fall back to plain calls
  }
  if (name == "client") {
    std::string sub = cmd.size() >= 2 ? Lower(cmd[1]) : "";
    if (sub == "setname" && cmd.size() == 3) {
      conn->name = cmd[2];
      return {SimpleString("OK"), {}};
    }
    if (sub == "getname") return {conn->name.empty() ? Nil() : Bulk(conn->name), {}};
    if (sub == "id") return {Integer(static_cast<long long>(conn->id)), {}};
    if (sub == "setinfo") return {SimpleString("OK"), {}};
    if (sub == "info") {
      return {Bulk("id=" + std::to_string(conn->id) + " addr=" + conn->peer + " name=" + conn->name + " db=0\n"), {}};
    }
    return {Error("ERR unknown subcommand '" + (cmd.size() >= 2 ? Printable(cmd[1]) : std::string()) + "'"), {}};
  }
  if (name == "info") return {Info(), {}};
  if (name == "config" || name == "dbsize") return {Admin(cmd, name), {}};
  if (name == "lists.publish" || name == "index.compact") return Operate(cmd, name, conn);
  if (name == "cred.enrol") return Enrol(cmd, conn);
  if (name == "cred.import") return Import(cmd, conn);
  if (name == "cred.stats") {
    std::string out = ArrayHeader(12) + Bulk("records_estimate") +
                      Integer(static_cast<long long>(index_->ApproximateCount())) + Bulk("events") +
                      Integer(static_cast<long long>(index_->last_sequence())) + Bulk("connections") +
                      Integer(static_cast<long long>(counters_->connections.load())) + Bulk("commands") +
                      Integer(static_cast<long long>(counters_->commands.load())) + Bulk("errors") +
                      Integer(static_cast<long long>(counters_->errors.load())) + Bulk("writes") +
                      Integer(static_cast<long long>(counters_->writes.load()));
    return {out, {}};
  }
  ++counters_->errors;
  std::string args;
  for (size_t i = 1; i < cmd.size() && i < 4; ++i) args += "'" + Printable(cmd[i]) + "' ";
  return {Error("ERR unknown command '" + Printable(cmd[0]) + "', with args beginning with: " + args), {}};
}

}  // namespace credsweep::io::resp
