// RESP command semantics (docs/protocol.md): what each command does to the status
// index and what it replies, independent of the network.
#ifndef CREDSWEEP_IO_RESP_COMMANDS_H_
#define CREDSWEEP_IO_RESP_COMMANDS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "io/resp/state_cache.h"
#include "io/resp/tokens.h"
#include "io/slot_book.h"
#include "storage/status_index.h"

namespace credsweep::io::resp {

// Reply encoders (RESP2).
std::string SimpleString(std::string_view s);
// s starts with the error prefix, e.g. "ERR ..."; any CR or LF in it becomes a space,
// so an error can never end early and forge a reply.
std::string Error(std::string_view s);
// At most `max` bytes of a client's argument for quoting in a message: control
// bytes (CR, LF, NUL, ...), `\` and `'` are written as \xHH.
std::string Printable(std::string_view s, size_t max = 64);
std::string Integer(long long v);
std::string Bulk(std::string_view s);
std::string Nil();
std::string ArrayHeader(size_t n);

// Commands counted by name in the metrics; everything else is "other".
enum CommandKind {
  kCmdGet, kCmdMget, kCmdExists, kCmdStatus, kCmdMstatus, kCmdHistory, kCmdRevoke, kCmdSuspend,
  kCmdReinstate, kCmdRegister, kCmdAuth, kCmdPing, kCmdOther, kCommandKinds
};
extern const char* const kCommandNames[kCommandKinds];

struct ConnectionState {
  uint64_t commands = 0;  // counted here, added to ServerCounters per read batch
  uint64_t by_kind[kCommandKinds][2] = {};  // [kind][0 ok, 1 error reply]
  uint64_t id = 0;
  std::string peer;   // "127.0.0.1:53422"
  std::string name;   // CLIENT SETNAME
  bool authenticated = false;
  std::string user, user_digest;  // the token AUTH matched: its name and SHA-256
  int auth_failures = 0;
  bool quit = false;  // close after the reply
};

struct ServerCounters {
  std::atomic<uint64_t> connections{0};       // open now
  std::atomic<uint64_t> connections_total{0};
  std::atomic<uint64_t> commands{0};
  std::atomic<uint64_t> writes{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<uint64_t> rejected{0};          // over limits or protocol errors
  std::atomic<uint64_t> auth_failures{0};     // AUTH with a wrong token
  std::atomic<uint64_t> accept_errors{0};     // failed accept() calls (e.g. out of descriptors)
  std::atomic<uint64_t> pending_bytes{0};     // held by incomplete commands, all connections
  std::atomic<uint64_t> by_kind[kCommandKinds][2] = {};  // commands by kind and outcome
};

class Commands {
 public:
  // `tokens`: who may write (null: the server is read-only).
  // `cache_entries`: ids the in-memory state cache holds (48 bytes each).
  // `max_auth_failures`: the failed AUTH that closes the connection (after its reply);
  // each failure is logged with the connection and peer, never the token.
  // `publish_lists`: what LISTS.PUBLISH runs (ServerOptions::publish_lists); may be null.
  Commands(std::shared_ptr<storage::StatusIndex> index, std::shared_ptr<const TokenSet> tokens,
           ServerCounters* counters, size_t cache_entries = 1u << 20, int max_auth_failures = 3,
           std::function<Result<std::string>()> publish_lists = nullptr,
           std::shared_ptr<const std::atomic<uint64_t>> slot_generation = nullptr);

  // Replaces the tokens (SIGHUP). Thread-safe. Connections authenticated with a token
  // that is gone or changed must AUTH again before their next write; the others
  // keep their authentication. Ignored (false) on a read-only server.
  bool SetTokens(std::shared_ptr<const TokenSet> tokens);

  // Loads every known id's state into the cache (when they fit), so lookups of
  // known ids never reach the disk. Returns how many were loaded.
  size_t Preload() const;

  // A reply now, or (for durable writes) a job for the writer thread that returns
  // the reply. Never throws on client input.
  struct Outcome {
    std::string reply;
    std::function<std::string()> write;
  };
  Outcome Execute(const std::vector<std::string>& cmd, ConnectionState* conn) const;
  static CommandKind KindOf(const std::string& name);

 private:
  std::string Lookup(const std::vector<std::string>& cmd, const std::string& name) const;
  Outcome Write(const std::vector<std::string>& cmd, const std::string& name, ConnectionState* conn) const;
  // CRED.ENROL id issuer [list index]: register a credential with the status list
  // slot it carries, under the slot rules of `credsweep register` (io/slot_book.h).
  Outcome Enrol(const std::vector<std::string>& cmd, ConnectionState* conn) const;
  // CRED.IMPORT id state reason time: one row of `credsweep import --server`.
  Outcome Import(const std::vector<std::string>& cmd, ConnectionState* conn) const;
  // LISTS.PUBLISH and INDEX.COMPACT: operator writes, run by the write job.
  Outcome Operate(const std::vector<std::string>& cmd, const std::string& name, ConnectionState* conn) const;
  std::string Auth(const std::vector<std::string>& cmd, ConnectionState* conn) const;
  // Empty when `conn` may write, with the event's actor in *actor; else the error reply.
  std::string WriteActor(ConnectionState* conn, std::string* actor) const;
  std::shared_ptr<const TokenSet> Tokens() const;
  std::string Info() const;
  // CONFIG and DBSIZE (io/resp/admin_commands.cc).
  std::string Admin(const std::vector<std::string>& cmd, const std::string& name) const;
  // A "POST" or "Host:" line: HTTP sent to the RESP port (a browser tricked into
  // cross-protocol scripting). As Redis does: no reply, the connection is closed,
  // and a warning is logged at most once a minute.
  Outcome CrossProtocolAttempt(ConnectionState* conn) const;

  // A state for GET/MGET/EXISTS: from the cache, else from the index (then cached).
  Result<int8_t> State(const std::string& id) const;

  std::shared_ptr<storage::StatusIndex> index_;
  std::function<Result<std::string>()> publish_lists_;
  // CRED.ENROL's slot book: read from the index on first use, kept up to date by
  // the enrolments (all writes run on the one write job), read again when the
  // publisher's slot generation moved.
  std::shared_ptr<const std::atomic<uint64_t>> slot_generation_;
  struct Slots {
    std::mutex mu;
    std::unique_ptr<io::SlotBook> book;
    uint64_t generation = 0;
  };
  std::shared_ptr<Slots> slots_ = std::make_shared<Slots>();
  mutable std::mutex tokens_mu_;
  std::shared_ptr<const TokenSet> tokens_;
  ServerCounters* counters_;
  size_t cache_entries_;
  int max_auth_failures_;
  std::shared_ptr<StateCache> cache_;
  mutable std::atomic<int64_t> attack_logged_at_{0};  // steady seconds of the last warning
};

}  // namespace credsweep::io::resp

#endif  // CREDSWEEP_IO_RESP_COMMANDS_H_
