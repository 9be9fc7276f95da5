// credsweep canonicalize FILE: the RFC 8785 (JCS) form of a JSON document, the bytes
// a Data Integrity jcs cryptosuite hashes; for people debugging such signatures.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "engine/jcs.h"
#include "io/cli/commands.h"

namespace credsweep::io::cli {
namespace {

constexpr size_t kMaxDocumentBytes = 64u << 20;

int RunCanonicalize(const std::string& file) {
  std::string text;
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) return UsageError("cannot read " + file);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (text.size() > kMaxDocumentBytes) return UsageError(file + ": larger than 64 MiB");
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // a byte order mark is not part of the JSON
  auto canonical = JcsCanonicalize(text);
  if (!canonical.ok()) return UsageError(file + ": " + canonical.status().message());
  std::fwrite(canonical->data(), 1, canonical->size(), stdout);
  std::fputc('\n', stdout);
  return std::fflush(stdout) == 0 ? 0 : 2;
}

}  // namespace

void AddCanonicalizeCommand(CLI::App& app, int* exit_code) {
  auto file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "canonicalize", "Print the RFC 8785 (JCS) form of a JSON document: what Data Integrity jcs suites sign");
  cmd->add_option("FILE", *file, "JSON file, or - for standard input")->required();
  cmd->callback([file, exit_code] { *exit_code = RunCanonicalize(*file); });
}

}  // namespace credsweep::io::cli
