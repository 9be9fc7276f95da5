// credsweep: batch verification of sealed digital credentials.
#include <malloc.h>
#include <sched.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <thread>

#include "io/cli/argument_check.h"
#include "io/cli/command_line.h"
#include "io/cli/commands.h"
#include "io/cli/logging.h"
#include "io/cli/version.h"

namespace credsweep::io::cli {

int UsageError(const std::string& message) {
  spdlog::error("{}", message);
  return 2;
}

Status LoadKeysAndAnchors(const std::vector<std::string>& jwks, const std::vector<std::string>& ca,
                          std::shared_ptr<KeySet>* keys, std::shared_ptr<ChainValidator>* anchors) {
  *keys = std::make_shared<KeySet>();
  for (const auto& f : jwks) {
    // ISSUER=FILE binds the file's keys to ISSUER (a URI: it has a scheme); FILE alone
    // leaves them unbound.
    std::string issuer, path = f;
    if (size_t eq = f.find('='); eq != std::string::npos && f.substr(0, eq).find(':') != std::string::npos) {
      issuer = f.substr(0, eq);
      path = f.substr(eq + 1);
    }
    if (Status s = (*keys)->AddJwksFile(path, issuer); !s.ok()) return s;
  }
  for (const auto& w : (*keys)->warnings()) spdlog::warn("{}", w);
  *anchors = std::make_shared<ChainValidator>();
  for (const auto& f : ca) {
    if (Status s = (*anchors)->AddAnchorsPemFile(f); !s.ok()) return s;
  }
  return Status::Ok();
}

std::optional<UnixSeconds> ParseTimeOption(const std::string& text) {
  if (text.empty() || text == "now") return NowUtc();
  return ParseDateTimeStamp(text);
}

std::optional<JwsAlg> ParseAlgOption(const std::string& name) {
  for (int i = 0; i <= static_cast<int>(JwsAlg::kPS512); ++i) {
    auto alg = static_cast<JwsAlg>(i);
    std::string_view canonical = JwsAlgName(alg);
    if (std::equal(canonical.begin(), canonical.end(), name.begin(), name.end(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                               std::tolower(static_cast<unsigned char>(b)); })) {
      return alg;
    }
  }
  return std::nullopt;
}

namespace {

// The cores this process may run on (its CPU affinity, as taskset or a container
// sets it), which is what the thread pools can use.
int CoreCount() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

int CapThreads(int requested, const std::string& option) {
  int cores = CoreCount();
  if (requested <= cores) return requested;
  spdlog::warn("{} {}: this machine has {} core(s); using {} threads", option, requested, cores, cores);
  return cores;
}

namespace {

// `credsweep help [COMMAND...]`: the help of the root or of a (sub)command, on stdout.
void AddHelpCommand(CLI::App& app, int* exit_code) {
  auto path = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand("help", "Show help for credsweep or a command (credsweep help verify)");
  cmd->add_option("command", *path, "Command, and subcommand (e.g. lists publish)");
  cmd->callback([&app, path, exit_code] {
    const CLI::App* target = &app;
    std::string prefix = "credsweep";
    for (const auto& name : *path) {
      std::vector<std::string> subs = SubcommandNames(*target);
      subs.erase(std::remove(subs.begin(), subs.end(), "help"), subs.end());
      if (std::find(subs.begin(), subs.end(), name) == subs.end()) {
        *exit_code = UsageError("help: unknown command '" + name + "'" + DidYouMean(name, subs));
        return;
      }
      if (target != &app) prefix += " " + target->get_name();
      target = target->get_subcommand(name);
    }
    std::string text = target == &app
                           ? app.get_formatter()->make_help(&app, "credsweep", CLI::AppFormatMode::Normal)
                           : target->get_formatter()->make_help(target, prefix + " " + target->get_name(),
                                                                CLI::AppFormatMode::Normal);
    std::fputs(text.c_str(), stdout);
    *exit_code = 0;
  });
}

}  // namespace
}  // namespace credsweep::io::cli

int main(int argc, char** argv) {
  // Records up to several MB are allocated and freed at a high rate. Keep such
  // blocks in the heap instead of mmap/munmap per record, which costs a page
  // fault per 4 KiB touched (a third of the time on 150 KB credentials).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  credsweep::io::cli::ConfigureLogging("text");

  CLI::App app{"credsweep: verify sealed digital credentials in bulk", "credsweep"};
  app.require_subcommand(1);
  // Any command takes --log-format (before or after the command's name).
  app.fallthrough();
  static std::string log_format = "text";
  app.add_option("--log-format", log_format, "Log lines on stderr: text (default) or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->trigger_on_parse()
      ->each([](const std::string& format) { credsweep::io::cli::ConfigureLogging(format); });
  app.set_version_flag("--version", std::string("credsweep ") + credsweep::io::cli::kVersion);
  int exit_code = 0;
  credsweep::io::cli::AddVerifyCommand(app, &exit_code);
  credsweep::io::cli::AddSweepCommand(app, &exit_code);
  credsweep::io::cli::AddKeygenCommand(app, &exit_code);
  credsweep::io::cli::AddSampleCommand(app, &exit_code);
  credsweep::io::cli::AddStatusCommands(app, &exit_code);
  credsweep::io::cli::AddImportCommands(app, &exit_code);
  credsweep::io::cli::AddListsCommand(app, &exit_code);
  credsweep::io::cli::AddServeCommand(app, &exit_code);
  credsweep::io::cli::AddTrustCommands(app, &exit_code);
  credsweep::io::cli::AddCanonicalizeCommand(app, &exit_code);
  credsweep::io::cli::AddHelpCommand(app, &exit_code);
  return credsweep::io::cli::RunCommandLine(app, argc, argv, &exit_code);
}
