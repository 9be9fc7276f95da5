// credsweep revoke|suspend|reinstate|status|history|audit: the status index by hand.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "engine/encoding.h"
#include "engine/json_escape.h"

#include "io/cli/commands.h"
#include "io/cli/remote_server.h"
#include "io/resp/client.h"
#include "io/status_json.h"
#include "storage/status_index.h"

namespace credsweep::io::cli {
namespace {

std::string DefaultActor() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user && *user ? user : "unknown");
}

struct ChangeArgs {
  std::vector<std::string> ids;
  std::string reason;
  std::string unrevoke_reason;  // reinstate --allow-unrevoke REASON
  bool allow_unrevoke = false;
  bool register_unknown = false;  // revoke/suspend --register
  std::string db;
  std::string server, token_file;
  std::string actor = DefaultActor();
};

// "ID STATE since T[: reason]" for a change that changed nothing.
void PrintAlready(const std::string& id, const StatusRecord& r) {
  std::printf("%s already %s since %s%s%s (no change, no event)\n", id.c_str(), std::string(StateName(r.state)).c_str(),
              FormatUtc(r.changed_at).c_str(), r.reason.empty() ? "" : ": ", r.reason.c_str());
}

std::optional<StatusRecord> FromReply(const resp::Reply& r);

// Exit 0: every change applied or already in place; 1: a change was refused
// (revocation is final, unknown credential id); 2: any other failure.
int RunRemoteChange(const ChangeArgs& a, const char* command, CredentialState state) {
  auto c = ConnectServer(a.server, a.token_file, a.actor);
  if (!c.ok()) return UsageError(c.status().message());
  int rc = 0;
  for (const auto& id : a.ids) {
    std::vector<std::string> call = {command, id, a.allow_unrevoke ? a.unrevoke_reason : a.reason};
    if (a.allow_unrevoke) call.push_back("UNREVOKE");
    if (a.register_unknown) call.push_back("REGISTER");
    auto r = (*c)->Call(call);
    if (!r.ok()) return UsageError(r.status().message());
    if (r->type == resp::Reply::Type::kError) {
      spdlog::error("{}: {}", id, r->str);
      rc = std::max(rc, r->str.starts_with("REFUSED") || r->str.starts_with("UNKNOWNID") ? 1 : 2);
      continue;
    }
    if (r->integer == 0) {  // nothing changed: say since when
      auto st = (*c)->Call({"CRED.STATUS", id});
      if (!st.ok()) return UsageError(st.status().message());
      if (auto rec = FromReply(*st)) {
        PrintAlready(id, *rec);
        continue;
      }
    }
    std::printf("%s %s (event %lld)\n", id.c_str(), std::string(StateName(state)).c_str(), r->integer);
  }
  return rc;
}

int RunChange(const ChangeArgs& a, storage::Operation op, CredentialState state) {
  if (a.db.empty() == a.server.empty()) return UsageError("give exactly one of --db and --server");
  if (a.allow_unrevoke) {
    if (a.unrevoke_reason.find_first_not_of(" \t") == std::string::npos) {
      return UsageError("--allow-unrevoke needs a reason: why the revocation was a mistake");
    }
    if (!a.reason.empty()) return UsageError("give the reason once: --allow-unrevoke REASON replaces --reason");
  } else if (a.reason.empty()) {
    return UsageError("--reason is required");
  }
  if (!a.server.empty()) {
    const char* cmd = op == storage::Operation::kRevoke    ? "CRED.REVOKE"
                      : op == storage::Operation::kSuspend ? "CRED.SUSPEND"
                                                           : "CRED.REINSTATE";
    return RunRemoteChange(a, cmd, state);
  }
  auto idx = storage::OpenForWriting(a.db);
  if (!idx.ok()) return UsageError(idx.status().message());
  int rc = 0;
  for (const auto& id : a.ids) {
    storage::Change change{id, op, state, a.allow_unrevoke ? a.unrevoke_reason : a.reason, 0};
    change.allow_unrevoke = a.allow_unrevoke;
    change.register_unknown = a.register_unknown;
    auto e = (*idx)->Apply(change, a.actor);
    if (!e.ok()) {
      const StatusCode code = e.status().code();
      spdlog::error("{}: {}{}", id, e.status().message(),
                    code == StatusCode::kNotFound && op != storage::Operation::kReinstate
                        ? "; check the id, or pass --register to record it with this change"
                        : "");
      rc = std::max(rc, code == StatusCode::kFailedPrecondition || code == StatusCode::kNotFound ? 1 : 2);
      continue;
    }
    if (!*e) {
      auto r = (*idx)->Lookup(id);
      if (r.ok() && *r) PrintAlready(id, **r);
      continue;
    }
    // Printed only after the synced write returned: the change is durable.
    std::printf("%s %s (event %llu%s)\n", id.c_str(), std::string(StateName(state)).c_str(),
                static_cast<unsigned long long>((*e)->seq),
                (*e)->op == storage::Operation::kUnrevoke ? ", revocation withdrawn" : "");
  }
  return rc;
}

std::string RecordJson(std::string_view id, const std::optional<StatusRecord>& r) {
  return io::StatusJson(id, r);
}

struct StatusArgs {
  std::vector<std::string> ids;
  std::string db, at, server;
  bool json = false;
};

// CRED.STATUS reply (field/value pairs) back into a record.
std::optional<StatusRecord> FromReply(const resp::Reply& r) {
  if (r.type != resp::Reply::Type::kArray) return std::nullopt;
  StatusRecord rec;
  for (size_t i = 0; i + 1 < r.elements.size(); i += 2) {
    const std::string& k = r.elements[i].str;
    const std::string& v = r.elements[i + 1].str;
    if (k == "state") rec.state = StateFromName(v).value_or(CredentialState::kActive);
    else if (k == "reason") rec.reason = v;
    else if (k == "changed_at") rec.changed_at = ParseDateTimeStamp(v).value_or(0);
    else if (k == "status_list") rec.list_id = v;
    else if (k == "status_list_index") rec.list_index = std::strtoull(v.c_str(), nullptr, 10);
  }
  return rec;
}

int RunStatus(const StatusArgs& a) {
  if (a.db.empty() == a.server.empty()) return UsageError("give exactly one of --db and --server");
  if (!a.server.empty()) {
    if (!a.at.empty()) return UsageError("--at needs --db (the server answers the current state)");
    auto c = ConnectServer(a.server, "", "");
    if (!c.ok()) return UsageError(c.status().message());
    for (const auto& id : a.ids) {
      auto r = (*c)->Call({"CRED.STATUS", id});
      if (!r.ok()) return UsageError(r.status().message());
      if (r->type == resp::Reply::Type::kError) return UsageError(id + ": " + r->str);
      auto rec = FromReply(*r);
      if (a.json) {
        std::printf("%s\n", RecordJson(id, rec).c_str());
      } else if (!rec) {
        std::printf("%s unknown\n", id.c_str());
      } else {
        std::printf("%s %s since %s%s%s\n", id.c_str(), std::string(StateName(rec->state)).c_str(),
                    FormatUtc(rec->changed_at).c_str(), rec->reason.empty() ? "" : ": ", rec->reason.c_str());
      }
    }
    return 0;
  }
  std::optional<UnixSeconds> at;
  if (!a.at.empty()) {
    at = ParseTimeOption(a.at);
    if (!at) return UsageError("--at: '" + a.at + "' is not an RFC 3339 date-time");
  }
  auto idx = storage::OpenForReading(a.db);
  if (!idx.ok()) return UsageError(idx.status().message());
  for (const auto& id : a.ids) {
    auto r = at ? (*idx)->StateAt(id, *at) : (*idx)->Lookup(id);
    if (!r.ok()) return UsageError(id + ": " + r.status().message());
    if (a.json) {
      std::printf("%s\n", RecordJson(id, *r).c_str());
    } else if (!*r) {
      std::printf("%s unknown\n", id.c_str());
    } else {
      std::printf("%s %s since %s%s%s\n", id.c_str(), std::string(StateName((*r)->state)).c_str(),
                  FormatUtc((*r)->changed_at).c_str(), (*r)->reason.empty() ? "" : ": ",
                  (*r)->reason.c_str());
    }
  }
  return 0;
}

int RunHistory(const std::string& db, const std::string& id) {
  auto idx = storage::OpenForReading(db);
  if (!idx.ok()) return UsageError(idx.status().message());
  auto h = (*idx)->History(id);
  if (!h.ok()) return UsageError(h.status().message());
  if (h->empty()) std::printf("%s: no events (unknown)\n", id.c_str());
  for (const auto& e : *h) {
    std::printf("%llu %s %s %s %s -> %s by %s%s%s\n", static_cast<unsigned long long>(e.seq),
                FormatUtc(e.time).c_str(), std::string(storage::OperationName(e.op)).c_str(), e.id.c_str(),
                e.old_state ? std::string(StateName(*e.old_state)).c_str() : "unknown",
                std::string(StateName(e.new_state)).c_str(), e.actor.c_str(), e.reason.empty() ? "" : ": ",
                e.reason.c_str());
  }
  return 0;
}

struct AuditArgs {
  std::string db;
  bool head = false;
  std::string expect_head;  // HEX[:SEQ]
};

// "HEX" or "HEX:SEQ": 64 hex digits, then an optional decimal sequence (>= 1).
bool ParseAnchor(const std::string& text, storage::AuditOptions* o) {
  size_t colon = text.find(':');
  std::string hex = text.substr(0, colon);
  if (hex.size() != 64) return false;
  std::string hash;
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned v = 0;
    for (char c : hex.substr(i, 2)) {
      int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
              : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
              : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                          : -1;
      if (d < 0) return false;
      v = v * 16 + static_cast<unsigned>(d);
    }
    hash.push_back(static_cast<char>(v));
  }
  o->expect_hash = hash;
  if (colon == std::string::npos) return true;
  std::string seq = text.substr(colon + 1);
  if (seq.empty() || seq.size() > 19 || seq.find_first_not_of("0123456789") != std::string::npos) return false;
  o->expect_seq = std::stoull(seq);
  return *o->expect_seq > 0;
}

// Exit 0: chain intact, every record agrees with it, the anchor (if any) is in it.
// Exit 1: any of those fails. Exit 2: the index cannot be opened or read.
int RunAudit(const AuditArgs& a) {
  storage::AuditOptions o;
  if (!a.expect_head.empty() && !ParseAnchor(a.expect_head, &o)) {
    return UsageError("--expect-head: '" + a.expect_head + "' is not HASH or HASH:SEQ (64 hex digits, SEQ >= 1)");
  }
  auto idx = storage::OpenForReading(a.db);
  if (!idx.ok()) return UsageError(idx.status().message());
  auto report = (*idx)->Audit(o);
  if (!report.ok()) return UsageError(report.status().message());
  const storage::AuditReport& r = *report;
  if (r.first_broken) std::printf("BROKEN at %s\n", r.message.c_str());
  else std::printf("%s\n", r.message.c_str());
  if (r.problem_count == 0) {
    std::printf("%llu state records agree with the log\n", static_cast<unsigned long long>(r.records));
  } else {
    std::printf("MISMATCH: %llu problems in %llu state records and the by-id listing:\n",
                static_cast<unsigned long long>(r.problem_count), static_cast<unsigned long long>(r.records));
    for (const auto& p : r.problems) std::printf("  %s\n", p.c_str());
    if (r.problems.size() < r.problem_count) {
      std::printf("  ... and %llu more\n", static_cast<unsigned long long>(r.problem_count - r.problems.size()));
    }
  }
  if (r.anchor_found) {
    std::printf(*r.anchor_found ? "expected head %s is in the chain\n"
                                : "ANCHOR MISSING: expected head %s is not in the verified chain\n",
                a.expect_head.c_str());
  }
  if (a.head) {
    // The last verified event: store it elsewhere and pass it to --expect-head later.
    std::printf("head %s:%llu\n", HexEncode(r.head_hash).c_str(), static_cast<unsigned long long>(r.head_seq));
  }
  return r.ok() ? 0 : 1;
}

void AddChange(CLI::App& app, const char* name, const char* help, storage::Operation op,
               CredentialState state, int* exit_code) {
  auto a = std::make_shared<ChangeArgs>();
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->add_option("ids", a->ids, "Credential ids")->required();
  auto* reason = cmd->add_option("--reason", a->reason, "Why (stored in the record and the event log)");
  CLI::Option* unrevoke = nullptr;
  if (op == storage::Operation::kReinstate) {
    unrevoke = cmd->add_option(
        "--allow-unrevoke", a->unrevoke_reason,
        "Also reinstate revoked credentials, correcting a mistaken revocation: REASON (required) says why; "
        "the event is logged as `unrevoke`");
    unrevoke->excludes(reason);
  } else {
    cmd->add_flag("--register", a->register_unknown,
                  "Also record ids the index has never seen (without it they are refused: a typo?)");
  }
  cmd->add_option("--db", a->db, "Status index directory (must exist: `credsweep init`)");
  cmd->add_option("--server", a->server, "Send the change to a running `credsweep serve` (HOST:PORT)");
  cmd->add_option("--token-file", a->token_file, "With --server: the file holding the server's AUTH token");
  cmd->add_option("--actor", a->actor, "Who makes the change (default: cli:$USER)");
  cmd->callback([a, op, state, exit_code, unrevoke] {
    a->allow_unrevoke = unrevoke && unrevoke->count() > 0;
    *exit_code = RunChange(*a, op, state);
  });
}

}  // namespace

void AddStatusCommands(CLI::App& app, int* exit_code) {
  AddChange(app, "revoke", "Revoke credentials (durable when printed)", storage::Operation::kRevoke,
            CredentialState::kRevoked, exit_code);
  AddChange(app, "suspend", "Suspend credentials", storage::Operation::kSuspend, CredentialState::kSuspended,
            exit_code);
  AddChange(app, "reinstate", "Make suspended credentials active again (revoked ones only with --allow-unrevoke)",
            storage::Operation::kReinstate, CredentialState::kActive, exit_code);

  auto s = std::make_shared<StatusArgs>();
  CLI::App* status = app.add_subcommand("status", "Show the state of credentials: active, revoked, suspended or unknown");
  status->add_option("ids", s->ids, "Credential ids")->required();
  status->add_option("--db", s->db, "Status index directory");
  status->add_option("--server", s->server, "Ask a running `credsweep serve` (HOST:PORT) instead");
  status->add_option("--at", s->at, "The state at this past time (RFC 3339)");
  status->add_flag("--json", s->json, "One JSON object per id");
  status->callback([s, exit_code] { *exit_code = RunStatus(*s); });

  auto h = std::make_shared<std::pair<std::string, std::string>>();
  CLI::App* history = app.add_subcommand("history", "Print the event log of one credential");
  history->add_option("id", h->second, "Credential id")->required();
  history->add_option("--db", h->first, "Status index directory")->required();
  history->callback([h, exit_code] { *exit_code = RunHistory(h->first, h->second); });

  auto cdb = std::make_shared<std::array<std::string, 3>>();  // db, server, token file
  CLI::App* compact = app.add_subcommand("compact", "Reorganise the index for the fastest lookups (after a bulk import)");
  compact->add_option("--db", (*cdb)[0], "Status index directory");
  compact->add_option("--server", (*cdb)[1], "Ask a running `credsweep serve` (HOST:PORT) to compact its index");
  compact->add_option("--token-file", (*cdb)[2], "With --server: the file holding the server's AUTH token");
  compact->callback([cdb, exit_code] {
    const auto& [db, server, token_file] = *cdb;
    if (db.empty() == server.empty()) {
      *exit_code = UsageError("give exactly one of --db and --server");
      return;
    }
    if (!server.empty()) {
      auto c = ConnectServer(server, token_file, "compact");
      auto r = c.ok() ? (*c)->Call({"INDEX.COMPACT"}) : Result<resp::Reply>(c.status());
      if (!r.ok() || r->type == resp::Reply::Type::kError) {
        *exit_code = UsageError(server + ": " + (r.ok() ? r->str : r.status().message()));
        return;
      }
      std::printf("%s: index compacted\n", server.c_str());
      *exit_code = 0;
      return;
    }
    auto idx = storage::StatusIndex::Open(db, {});
    if (!idx.ok()) {
      *exit_code = UsageError(idx.status().message());
      return;
    }
    std::string before = (*idx)->DescribeLevels();
    if (Status s = (*idx)->Compact(); !s.ok()) {
      *exit_code = UsageError(s.message());
      return;
    }
    std::printf("status records: %s -> %s\n", before.c_str(), (*idx)->DescribeLevels().c_str());
    *exit_code = 0;
  });

  auto au = std::make_shared<AuditArgs>();
  CLI::App* audit = app.add_subcommand(
      "audit", "Verify the hash chain of the event log and every state record against it");
  audit->add_option("--db", au->db, "Status index directory")->required();
  audit->add_flag("--head", au->head, "Also print the chain head as HASH:SEQ, to anchor it elsewhere");
  audit->add_option("--expect-head", au->expect_head,
                    "Fail unless the chain holds this earlier head (HASH or HASH:SEQ from --head)");
  audit->callback([au, exit_code] { *exit_code = RunAudit(*au); });
}

}  // namespace credsweep::io::cli
