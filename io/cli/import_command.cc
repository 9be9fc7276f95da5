// credsweep init --db DIR, import FILE --db DIR and register FILE... --db DIR: the
// ways ids enter the status index.
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <charconv>
#include <cstdio>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>

#include "engine/credential_id.h"
#include "engine/credential_reader.h"
#include "engine/pipeline.h"
#include "io/cli/commands.h"
#include "io/cli/remote_server.h"
#include "io/slot_book.h"
#include "io/record_reader.h"
#include "io/status_import.h"
#include "storage/status_index.h"

namespace credsweep::io::cli {
namespace {

constexpr size_t kBatchRows = 10000;

struct ImportArgs {
  std::string file, db, actor = "import";
  std::string server, token_file;  // --server: import through a running serve
  size_t batch = kBatchRows;
  bool create = false;
};

Result<std::unique_ptr<storage::StatusIndex>> OpenIndex(const std::string& db, bool create) {
  return create ? storage::CreateOrOpenForWriting(db) : storage::OpenForWriting(db);
}

// One line of at most `cap` bytes from `in` into `buffer` (cap + 2 bytes). A longer
// line comes back cut at cap + 1 bytes, its rest skipped, so the caller sees it is
// too long without holding it. False at the end of the input or on a read error
// (in.bad()).
bool ReadBoundedLine(std::istream& in, std::vector<char>* buffer, size_t cap, std::string_view* line) {
  buffer->resize(cap + 2);
  in.getline(buffer->data(), static_cast<std::streamsize>(cap + 2));
  size_t n = static_cast<size_t>(in.gcount());
  if (in.bad()) return false;
  if (in.fail() && !in.eof() && n == cap + 1) {  // no newline within the cap
    in.clear();
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  } else if (n == 0 && in.eof()) {
    return false;
  } else if (!in.eof() && n > 0) {
    --n;  // the newline
  }
  *line = std::string_view(buffer->data(), n);
  return true;
}

// What an import did, for its summary line (docs/status-import.md).
struct ImportCounts {
  size_t imported = 0, new_ids = 0, skipped_existing = 0, unchanged = 0;
  // Malformed rows by code, and rows refused by the index by why: "revocation is
  // final" (a row that would un-revoke).
  std::map<std::string, size_t> malformed, refused;

  // "N what (3 bad_state, 1 future_time)": the total, then the counts by code in
  // code order (left out when there are none).
  static std::string Counted(const std::map<std::string, size_t>& counts, const char* what) {
    size_t total = 0;
    std::string detail;
    for (const auto& [code, n] : counts) {
      total += n;
      detail += (detail.empty() ? "" : ", ") + std::to_string(n) + " " + code;
    }
    return std::to_string(total) + " " + what + (detail.empty() ? "" : " (" + detail + ")");
  }
  std::string Summary(double secs) const {
    return fmt::format("{} rows imported ({} new ids), {}{}, {} unchanged (already in that state), {}, {:.2f} s "
                       "({:.0f} rows/s)",
                       imported, new_ids, Counted(malformed, "malformed skipped"),
                       skipped_existing ? ", " + std::to_string(skipped_existing) + " lines already imported" : "",
                       unchanged, Counted(refused, "refused"), secs, secs > 0 ? imported / secs : 0.0);
  }
};

// Reads the rows of an import file: a UTF-8 byte order mark, blank lines, a header
// row and the first `skip` lines (an earlier import's) are passed over, malformed
// rows counted in *n and logged; each row goes to `apply` with its line number,
// which returns false to stop. *lines: the lines read. False when reading failed.
bool ForEachImportRow(std::istream& in, const std::string& file, uint64_t skip, UnixSeconds now, ImportCounts* n,
                      uint64_t* lines, const std::function<bool(io::StatusRow&&, uint64_t line)>& apply) {
  std::vector<char> buffer;
  uint64_t& line_no = *lines;
  line_no = 0;
  for (std::string_view line; ReadBoundedLine(in, &buffer, io::kMaxImportLineBytes, &line);) {
    ++line_no;
    if (line_no == 1) line = io::StripUtf8Bom(line);
    if (line_no <= skip) {
      ++n->skipped_existing;
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    io::ParsedRow row = io::ParseStatusRow(line, now);
    if (row.kind == io::ParsedRow::Kind::kHeader) continue;
    if (row.kind == io::ParsedRow::Kind::kMalformed) {
      spdlog::warn("{}:{}: malformed row skipped ({}): {}", file, line_no, row.code, row.message);
      ++n->malformed[row.code];
      continue;
    }
    if (!apply(std::move(row.row), line_no)) return true;
  }
  return !in.bad();
}

// Identifies one version of the input file, so an interrupted import resumes where
// its last synced batch ended and a finished one is not applied twice.
std::string ProgressKey(const std::string& file) {
  struct stat st {};
  stat(file.c_str(), &st);
  std::error_code ec;
  return "import:" + std::filesystem::absolute(file, ec).string() + ":" + std::to_string(st.st_size) +
         ":" + std::to_string(st.st_mtime);
}

// The count of lines of this version of the file that an earlier import applied.
Result<uint64_t> ImportedLines(const storage::StatusIndex& idx, const std::string& key, const std::string& file) {
  auto marker = idx.GetMeta(key);
  if (!marker.ok()) return marker.status();
  uint64_t done = 0;
  if (!*marker) return done;
  const std::string& text = **marker;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), done);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return InvalidArgument("the index's import progress for " + file + " is damaged ('" + text +
                           "' is not a line number); nothing imported (touch the file to import it again from its "
                           "first line)");
  }
  return done;
}

// --server: each row goes to the running server as CRED.IMPORT id state reason
// time, which applies the index's rules (revocation is final). No resume marker:
// running it again applies nothing twice (a row whose state is in place is a no-op).
int RunRemoteImport(const ImportArgs& a) {
  std::ifstream in(a.file, std::ios::binary);
  if (!in) return UsageError("cannot open " + a.file);
  auto c = ConnectServer(a.server, a.token_file, a.actor);
  if (!c.ok()) return UsageError(c.status().message());
  auto start = std::chrono::steady_clock::now();
  ImportCounts n;
  const UnixSeconds now = NowUtc();
  uint64_t line_no = 0;
  std::string failure;
  const bool read = ForEachImportRow(in, a.file, 0, now, &n, &line_no, [&](io::StatusRow&& row, uint64_t line) {
    auto reply = (*c)->Call({"CRED.IMPORT", row.id, std::string(StateName(row.state)), row.reason,
                             std::to_string(row.time ? row.time : now)});
    if (!reply.ok() || (reply->type == resp::Reply::Type::kError && !reply->str.starts_with("REFUSED "))) {
      failure = a.server + ": " + (reply.ok() ? reply->str : reply.status().message());
      return false;
    }
    if (reply->type == resp::Reply::Type::kError) {
      spdlog::warn("{}:{}: row refused: {}", a.file, line, reply->str.substr(8));
      ++n.refused["revocation is final"];
    } else if (reply->integer == 0) {
      ++n.unchanged;
    } else {
      ++n.imported;
      n.new_ids += reply->integer == 2;
    }
    return true;
  });
  if (!failure.empty()) return UsageError(failure);
  if (!read) return UsageError("reading " + a.file + " failed after line " + std::to_string(line_no));
  spdlog::info("{} (through {})", n.Summary(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()),
               a.server);
  return n.malformed.empty() && n.refused.empty() ? 0 : 1;
}

int RunImport(const ImportArgs& a) {
  if (a.db.empty() == a.server.empty()) return UsageError("give exactly one of --db and --server");
  if (!a.server.empty()) {
    if (a.create) return UsageError("--create needs --db");
    return RunRemoteImport(a);
  }
  std::ifstream in(a.file, std::ios::binary);
  if (!in) return UsageError("cannot open " + a.file);
  auto idx = OpenIndex(a.db, a.create);
  if (!idx.ok()) return UsageError(idx.status().message());
  const std::string key = ProgressKey(a.file);
  auto progress_line = ImportedLines(**idx, key, a.file);
  if (!progress_line.ok()) return UsageError(progress_line.status().message());
  const uint64_t done = *progress_line;
  if (done) spdlog::info("resuming {} after line {}", a.file, done);
  auto start = std::chrono::steady_clock::now();
  std::vector<storage::Change> batch;
  std::vector<uint64_t> batch_lines;
  ImportCounts n;
  const UnixSeconds now = NowUtc();
  uint64_t line_no = 0;
  auto flush = [&]() -> bool {
    if (batch.empty() && line_no <= done) return true;
    size_t applied = 0, fresh = 0;
    std::vector<std::pair<size_t, Status>> skipped;
    std::pair<std::string, std::string> progress{key, std::to_string(line_no)};
    Status s = (*idx)->ApplyBatch(batch, a.actor, &applied, &skipped, &progress, &fresh);
    if (!s.ok()) {
      spdlog::error("{}", s.message());
      return false;
    }
    for (const auto& [i, why] : skipped) {
      spdlog::warn("{}:{}: row refused: {}", a.file, batch_lines[i], why.message());
      ++n.refused[why.code() == StatusCode::kFailedPrecondition ? "revocation is final" : "unknown credential id"];
    }
    n.imported += applied;
    n.new_ids += fresh;
    n.unchanged += batch.size() - applied - skipped.size();
    batch.clear();
    batch_lines.clear();
    return true;
  };
  bool flushed = true;
  const bool read = ForEachImportRow(in, a.file, done, now, &n, &line_no, [&](io::StatusRow&& row, uint64_t line) {
    batch.push_back({std::move(row.id), storage::Operation::kImport, row.state, std::move(row.reason), row.time});
    batch_lines.push_back(line);
    if (batch.size() >= a.batch) flushed = flush();
    return flushed;
  });
  if (!flushed) return 2;
  if (!read) return UsageError("reading " + a.file + " failed after line " + std::to_string(line_no));
  if (!flush()) return 2;
  spdlog::info("{}", n.Summary(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()));
  // The rest of the file is imported either way; a malformed or refused row fails
  // the command.
  return n.malformed.empty() && n.refused.empty() ? 0 : 1;
}

struct RegisterArgs {
  std::vector<std::string> inputs;
  std::string db, actor = "register";
  std::string server, token_file;  // --server: register through a running serve
  bool create = false;
};

// --server: each credential goes to the running server as CRED.ENROL id issuer
// [list index], which applies the same slot rules to the index it holds.
int RunRemoteRegister(const RegisterArgs& a) {
  auto reader = io::RecordReader::Open(a.inputs, {});
  if (!reader.ok()) return UsageError(reader.status().message());
  auto c = ConnectServer(a.server, a.token_file, a.actor);
  if (!c.ok()) return UsageError(c.status().message());
  size_t registered = 0, without_id = 0, refused = 0, carried = 0;
  Record r;
  while ((*reader)->Next(&r)) {
    const UnverifiedCredential u = r.error.code.empty() ? ReadUnverifiedCredential(r.data) : UnverifiedCredential{};
    if (u.credential.id.empty()) {
      spdlog::warn("{}: no credential id, not registered", r.source);
      ++without_id;
      continue;
    }
    auto [list, index] = io::CarriedSlot(u.credential, r.source);
    std::vector<std::string> call = {"CRED.ENROL", u.credential.id, u.credential.issuer};
    if (!list.empty()) {
      call.push_back(list);
      call.push_back(std::to_string(index));
    }
    auto reply = (*c)->Call(call);
    if (!reply.ok()) return UsageError(a.server + ": " + reply.status().message());
    if (reply->type == resp::Reply::Type::kError) {
      if (!reply->str.starts_with("REFUSED ")) return UsageError(a.server + ": " + reply->str);
      const std::string why = reply->str.substr(reply->str.find(": ") + 2);
      std::fprintf(stderr, "refused: %s (%s): %s\n", NormalizeCredentialId(u.credential.id).c_str(), r.source.c_str(),
                   why.c_str());
      ++refused;
      continue;
    }
    registered += reply->integer > 0;
    carried += !list.empty();
  }
  spdlog::info("{} credentials newly registered as active ({} at the status list slot they carry) through {}; {} "
               "records without an id; {} refused",
               registered, carried, a.server, without_id, refused);
  return refused > 0 ? 1 : 0;
}

int RunRegister(const RegisterArgs& a) {
  if (a.db.empty() == a.server.empty()) return UsageError("give exactly one of --db and --server");
  if (!a.server.empty()) {
    if (a.create) return UsageError("--create needs --db");
    return RunRemoteRegister(a);
  }
  auto reader = io::RecordReader::Open(a.inputs, {});
  if (!reader.ok()) return UsageError(reader.status().message());
  auto idx = OpenIndex(a.db, a.create);
  if (!idx.ok()) return UsageError(idx.status().message());
  auto slots_held = io::SlotBook::Read(**idx);
  if (!slots_held.ok()) return UsageError(slots_held.status().message());
  io::SlotBook& held = *slots_held;
  // Ids and issuers are read the way verify reads them (any envelope), without
  // checking signatures: registering records what was issued, with the status
  // list slot the credential carries, if any (lists publish sets that bit).
  std::vector<storage::Change> batch;
  std::vector<std::tuple<std::string, std::string, uint64_t>> slots;
  size_t registered = 0, without_id = 0, refused = 0, carried = 0;
  Status failure;
  auto flush = [&] {
    size_t applied = 0;
    if (failure.ok()) failure = (*idx)->ApplyBatch(batch, a.actor, &applied);
    if (failure.ok()) failure = (*idx)->AssignSlots(slots);
    registered += applied;
    carried += failure.ok() ? slots.size() : 0;
    batch.clear();
    slots.clear();
  };
  Record r;
  while ((*reader)->Next(&r)) {
    const UnverifiedCredential c =
        r.error.code.empty() ? ReadUnverifiedCredential(r.data) : UnverifiedCredential{};
    if (c.credential.id.empty()) {
      spdlog::warn("{}: no credential id, not registered", r.source);
      ++without_id;
      continue;
    }
    const std::string id = NormalizeCredentialId(c.credential.id);
    auto [list, index] = io::CarriedSlot(c.credential, r.source);
    if (!list.empty()) {
      auto existing = (*idx)->Lookup(id);
      if (!existing.ok()) return UsageError(existing.status().message());
      const std::string why = held.Refusal(id, c.credential.issuer, list, index, *existing);
      if (!why.empty()) {
        std::fprintf(stderr, "refused: %s (%s): %s\n", id.c_str(), r.source.c_str(), why.c_str());
        ++refused;
        continue;
      }
      held.Hold(id, c.credential.issuer, list, index);
      slots.emplace_back(id, list, index);
    }
    batch.push_back({c.credential.id, storage::Operation::kRegister, CredentialState::kActive, "", 0, c.credential.issuer});
    if (batch.size() >= kBatchRows) flush();
  }
  flush();
  if (!failure.ok()) return UsageError(failure.message());
  spdlog::info("{} credentials newly registered as active ({} at the status list slot they carry); {} records "
               "without an id; {} refused",
               registered, carried, without_id, refused);
  return refused > 0 ? 1 : 0;
}

// `init`: the one command whose purpose is to create an index; an existing one is
// left as it is.
int RunInit(const std::string& db) {
  bool created = false;
  auto idx = storage::CreateOrOpenForWriting(db, &created);
  if (!idx.ok()) return UsageError(idx.status().message());
  if (created) {
    std::printf("%s: new empty status index\n", db.c_str());
  } else {
    std::printf("%s: already a status index (%llu events); nothing changed\n", db.c_str(),
                static_cast<unsigned long long>((*idx)->last_sequence()));
  }
  return 0;
}

constexpr const char* kCreateHelp = "Create the index when DIR does not exist (as `credsweep init` does)";

}  // namespace

void AddImportCommands(CLI::App& app, int* exit_code) {
  auto db = std::make_shared<std::string>();
  CLI::App* init = app.add_subcommand("init", "Create an empty status index (every other command needs one)");
  init->add_option("--db", *db, "Status index directory to create (missing or empty)")->required();
  init->callback([db, exit_code] { *exit_code = RunInit(*db); });

  auto a = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand("import", "Bulk-load states from CSV (id,state,reason[,time]) or JSONL");
  cmd->add_option("file", a->file, "CSV or JSON Lines file")->required();
  cmd->add_option("--db", a->db, "Status index directory (must exist, see --create)");
  cmd->add_option("--server", a->server, "Import through a running `credsweep serve` (HOST:PORT) instead");
  cmd->add_option("--token-file", a->token_file, "With --server: the file holding the server's AUTH token");
  cmd->add_flag("--create", a->create, kCreateHelp);
  cmd->add_option("--actor", a->actor, "Actor recorded in the event log")->capture_default_str();
  cmd->add_option("--batch", a->batch, "Rows per synced batch")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->callback([a, exit_code] { *exit_code = RunImport(*a); });

  auto r = std::make_shared<RegisterArgs>();
  CLI::App* reg = app.add_subcommand("register", "Record issued credentials as active");
  reg->add_option("inputs", r->inputs, "Credential files or directories, as verify reads them")->required();
  reg->add_option("--db", r->db, "Status index directory (must exist, see --create)");
  reg->add_option("--server", r->server, "Register through a running `credsweep serve` (HOST:PORT) instead");
  reg->add_option("--token-file", r->token_file, "With --server: the file holding the server's AUTH token");
  reg->add_flag("--create", r->create, kCreateHelp);
  reg->add_option("--actor", r->actor, "Actor recorded in the event log")->capture_default_str();
  reg->callback([r, exit_code] { *exit_code = RunRegister(*r); });
}

}  // namespace credsweep::io::cli
