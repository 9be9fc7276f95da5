#include "io/cli/applicant_nonces.h"

#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace credsweep::io::cli {
namespace {

constexpr size_t kMaxFileBytes = 16u << 20;

// The file a record came from: its source without the :LINE and #K it carries.
std::string_view FileOf(std::string_view source) {
  for (;;) {
    const size_t at = source.find_last_of(":#");
    if (at == std::string_view::npos || at + 1 == source.size()) return source;
    const std::string_view tail = source.substr(at + 1);
    if (tail.find_first_not_of("0123456789") != std::string_view::npos) return source;
    source = source.substr(0, at);
  }
}

// `path` absolute and lexically normal, a folder ("ends in /") keeping its slash.
std::string Normal(std::string_view path) {
  const bool folder = path.ends_with('/');
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(std::filesystem::path(path), ec);
  if (ec) p = std::filesystem::path(path);
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.ends_with('/')) out.pop_back();
  return folder && out != "/" ? out + "/" : out;
}

}  // namespace

Result<ApplicantNonces> ApplicantNonces::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("--nonces: cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.size() > kMaxFileBytes) return InvalidArgument("--nonces: " + path + " is larger than 16 MiB");
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(text).get_object().get(obj) != simdjson::SUCCESS) {
    return InvalidArgument("--nonces: " + path + " is not a JSON object of path: nonce");
  }
  ApplicantNonces out;
  for (auto [key, value] : obj) {
    std::string_view nonce;
    if (key.empty() || value.get_string().get(nonce) != simdjson::SUCCESS || nonce.empty()) {
      return InvalidArgument("--nonces: " + path + ": each member must map a path to a non-empty string ('" +
                             std::string(key) + "' does not)");
    }
    if (!out.by_path_.emplace(Normal(key), std::string(nonce)).second) {
      return InvalidArgument("--nonces: " + path + ": '" + std::string(key) + "' appears twice");
    }
  }
  return out;
}

std::string ApplicantNonces::For(std::string_view source) const {
  if (by_path_.empty()) return {};
  const std::string normal = Normal(FileOf(source));
  std::string_view file = normal;
  // The file itself, then each folder above it, nearest first.
  if (auto it = by_path_.find(file); it != by_path_.end()) return it->second;
  for (size_t slash = file.rfind('/'); slash != std::string_view::npos; slash = file.rfind('/', slash - 1)) {
    if (auto it = by_path_.find(file.substr(0, slash + 1)); it != by_path_.end()) return it->second;
    if (slash == 0) break;
  }
  return {};
}

}  // namespace credsweep::io::cli
