// credsweep import FILE --db DIR  and  credsweep register FILE... --db DIR
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "engine/credential_reader.h"
#include "engine/pipeline.h"
#include "io/cli/commands.h"
#include "io/record_reader.h"
#include "io/status_import.h"
#include "storage/status_index.h"

namespace credsweep::io::cli {
namespace {

constexpr size_t kBatchRows = 10000;

struct ImportArgs {
  std::string file, db, actor = "import";
  size_t batch = kBatchRows;
};

// Identifies one version of the input file, so an interrupted import resumes where
// its last synced batch ended and a finished one is not applied twice.
std::string ProgressKey(const std::string& file) {
  struct stat st {};
  stat(file.c_str(), &st);
  std::error_code ec;
  return "import:" + std::filesystem::absolute(file, ec).string() + ":" + std::to_string(st.st_size) +
         ":" + std::to_string(st.st_mtime);
}

int RunImport(const ImportArgs& a) {
  std::ifstream in(a.file, std::ios::binary);
  if (!in) return UsageError("cannot open " + a.file);
  auto idx = storage::OpenForWriting(a.db);
  if (!idx.ok()) return UsageError(idx.status().message());
  const std::string key = ProgressKey(a.file);
  uint64_t done = 0;
  auto marker = (*idx)->GetMeta(key);
  if (!marker.ok()) return UsageError(marker.status().message());
  if (*marker) {
    const std::string& text = **marker;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), done);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
      return UsageError("the index's import progress for " + a.file + " is damaged ('" + text +
                        "' is not a line number); nothing imported (touch the file to import it again from its first line)");
    }
  }
  if (done) spdlog::info("resuming {} after line {}", a.file, done);
  auto start = std::chrono::steady_clock::now();
  std::vector<storage::Change> batch;
  std::vector<uint64_t> batch_lines;
  size_t imported = 0, malformed = 0, skipped_existing = 0, unchanged = 0;
  // Rows refused by the index, counted by why: "revocation is final" (a row that
  // would un-revoke), "not in the index" (reinstate of an unknown id).
  std::map<std::string, size_t> refused;
  uint64_t line_no = 0;
  auto flush = [&]() -> bool {
    if (batch.empty() && line_no <= done) return true;
    size_t applied = 0;
    std::vector<std::pair<size_t, Status>> skipped;
    std::pair<std::string, std::string> progress{key, std::to_string(line_no)};
    Status s = (*idx)->ApplyBatch(batch, a.actor, &applied, &skipped, &progress);
    if (!s.ok()) {
      spdlog::error("{}", s.message());
      return false;
    }
    for (const auto& [i, why] : skipped) {
      spdlog::warn("{}:{}: row refused: {}", a.file, batch_lines[i], why.message());
      ++refused[why.code() == StatusCode::kFailedPrecondition ? "revocation is final" : "not in the index"];
    }
    imported += applied;
    unchanged += batch.size() - applied - skipped.size();
    batch.clear();
    batch_lines.clear();
    return true;
  };
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line_no <= done) {
      ++skipped_existing;
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto row = io::ParseStatusRow(line);
    if (!row.ok()) {
      if (row.status().code() != StatusCode::kNotFound) {
        spdlog::warn("{}:{}: malformed row skipped: {}", a.file, line_no, row.status().message());
        ++malformed;
      }
      continue;
    }
    batch.push_back({row->id, storage::Operation::kImport, row->state, row->reason, row->time});
    batch_lines.push_back(line_no);
    if (batch.size() >= a.batch && !flush()) return 2;
  }
  if (!flush()) return 2;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t refused_total = 0;
  std::string refused_text;
  for (const auto& [why, n] : refused) {
    refused_total += n;
    refused_text += (refused_text.empty() ? " (" : ", ") + std::to_string(n) + " " + why;
  }
  if (!refused_text.empty()) refused_text += ")";
  spdlog::info("{} rows imported, {} malformed skipped{}, {} unchanged (already in that state), {} refused{}, "
               "{:.2f} s ({:.0f} rows/s)",
               imported, malformed,
               skipped_existing ? ", " + std::to_string(skipped_existing) + " lines already imported" : "",
               unchanged, refused_total, refused_text, secs, secs > 0 ? imported / secs : 0.0);
  // The rest of the file is imported either way; a refused row fails the command.
  return refused_total ? 1 : 0;
}

struct RegisterArgs {
  std::vector<std::string> inputs;
  std::string db, actor = "register";
};

int RunRegister(const RegisterArgs& a) {
  auto reader = io::RecordReader::Open(a.inputs, {});
  if (!reader.ok()) return UsageError(reader.status().message());
  auto idx = storage::OpenForWriting(a.db);
  if (!idx.ok()) return UsageError(idx.status().message());
  // Ids and issuers are read the way verify reads them (any envelope), without
  // checking signatures: registering records what was issued.
  std::vector<storage::Change> batch;
  size_t registered = 0, without_id = 0;
  Status failure;
  auto flush = [&] {
    size_t applied = 0;
    if (failure.ok()) failure = (*idx)->ApplyBatch(batch, a.actor, &applied);
    registered += applied;
    batch.clear();
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
    batch.push_back({c.credential.id, storage::Operation::kRegister, CredentialState::kActive, "", 0, c.credential.issuer});
    if (batch.size() >= kBatchRows) flush();
  }
  flush();
  if (!failure.ok()) return UsageError(failure.message());
  spdlog::info("{} credentials newly registered as active; {} records without an id", registered, without_id);
  return 0;
}

}  // namespace

void AddImportCommands(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand("import", "Bulk-load states from CSV (id,state,reason[,time]) or JSONL");
  cmd->add_option("file", a->file, "CSV or JSON Lines file")->required();
  cmd->add_option("--db", a->db, "Status index directory (created when missing)")->required();
  cmd->add_option("--actor", a->actor, "Actor recorded in the event log")->capture_default_str();
  cmd->add_option("--batch", a->batch, "Rows per synced batch")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->callback([a, exit_code] { *exit_code = RunImport(*a); });

  auto r = std::make_shared<RegisterArgs>();
  CLI::App* reg = app.add_subcommand("register", "Record issued credentials as active");
  reg->add_option("inputs", r->inputs, "Credential files or directories, as verify reads them")->required();
  reg->add_option("--db", r->db, "Status index directory (created when missing)")->required();
  reg->add_option("--actor", r->actor, "Actor recorded in the event log")->capture_default_str();
  reg->callback([r, exit_code] { *exit_code = RunRegister(*r); });
}

}  // namespace credsweep::io::cli
